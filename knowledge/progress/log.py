"""Progress tracking: who may report, the append-only report log, computed task status.

Every change is a new row of ``reports``: who, when, in which chat and message,
which task or target, old → new progress/status/value, the note. Nothing is
updated or deleted; an undo or an amendment is a row of its own that names the
row it reverses or corrects. The current state of a task is the newest row's
"new" values. Tasks are identified by code and by a key made from their document's
identity and their content (:mod:`knowledge.progress.keys`), so reloading a document
(``ctbot load``) keeps every report attached, and an identically worded task of another
document never shares them. Every read and write names the document explicitly.

Roles: ``admin`` may do everything; ``reporter`` may report on tasks led by
their agencies and on targets an admin assigned to them. Identity is the
Telegram numeric user id only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlite_utils import Database

from knowledge.errors import KnowledgeError
from knowledge.programme.agencies import agency_key, split_names
from knowledge.programme.model import Indicator, Task
from knowledge.programme.quarters import deadline_of
from knowledge.progress.keys import document_of_key, indicator_key, scoped, task_key
from knowledge.progress.report_text import DONE, IN_PROGRESS, NOT_STARTED

__all__ = [
    "ADMIN",
    "CONFIRM",
    "COORDINATING",
    "LEAD",
    "REPORTER",
    "RETURN",
    "STATUS_LABELS",
    "WRITTEN",
    "DatabaseBusy",
    "Member",
    "ProgressStore",
    "Report",
    "TaskState",
    "deadline_of",
    "indicator_key",
    "task_key",
    "task_status",
]

ADMIN = "admin"
REPORTER = "reporter"
# A report's role: the lead body's (and admins') rows make the task's status; a coordinating
# body's rows on its part of the task are shown beside them.
LEAD = ""
COORDINATING = "coordinating"
NOT_A_MEMBER = "bạn chưa được cấp quyền cập nhật tiến độ (nhờ quản trị viên dùng /quyen)"

# Computed status of a task, in the government's vocabulary.
DONE_ON_TIME = "Hoàn thành đúng hạn"
DONE_LATE = "Hoàn thành quá hạn"
ON_TIME = "Đang thực hiện trong hạn"
OVERDUE = "Quá hạn chưa hoàn thành"
NO_REPORT = "Chưa có báo cáo"
# Actions of the log: what a reporter writes, and what an admin's review writes.
WRITTEN = ("report", "amend")
CONFIRM = "confirm"
RETURN = "return"
STATUS_LABELS = (DONE_ON_TIME, DONE_LATE, ON_TIME, OVERDUE, NO_REPORT)


@dataclass(frozen=True)
class Member:
    """Someone allowed to report.

    Attributes:
        user_id: Telegram user id.
        role: ``admin`` or ``reporter``.
        agencies: Canonical agency names a reporter speaks for.
        indicators: Keys of targets assigned to a reporter.
        name: Display name (informative only).
        from_env: Admin through ``CTBOT_ADMIN_IDS`` rather than the database.

    """

    user_id: int
    role: str
    agencies: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    name: str = ""
    from_env: bool = False


@dataclass(frozen=True)
class Report:
    """One row of the report log (see the module docstring)."""

    id: int
    at: str
    user_id: int
    user_name: str
    chat_id: int
    message_id: int
    kind: str
    target: str
    target_key: str
    title: str
    action: str
    ref_report: int | None
    old_progress: float | None
    new_progress: float | None
    old_status: str
    new_status: str
    value: float | None
    value_text: str
    year: int | None
    note: str
    role: str = LEAD


@dataclass(frozen=True)
class TaskState:
    """Where a task stands.

    Attributes:
        progress: Latest progress in percent, if any report gave one.
        status: Latest reported status word ("đang thực hiện" ...).
        note: Latest note.
        last_at: When the latest report was made (UTC ISO), or "".
        done_at: When it was first reported done and not undone since, or "".
        reports: How many rows the log holds for it.
        confirmed: An admin confirmed the completion and it has stayed done since.

    """

    progress: float | None = None
    status: str = ""
    note: str = ""
    last_at: str = ""
    done_at: str = ""
    reports: int = 0
    confirmed: bool = False

    @property
    def done(self) -> bool:
        """Whether the task stands as done."""
        return self.reports > 0 and (self.status == DONE or (self.progress or 0) >= 100)


def task_status(task: Task, state: TaskState, today: date) -> str:
    """The computed status of a task on ``today`` (see :data:`STATUS_LABELS`).

    Args:
        task: The task (its submission time gives the deadline).
        state: Its reports.
        today: The day to judge on, in the bot's time zone.

    Returns:
        One of the five labels.

    """
    if not state.reports:
        return NO_REPORT
    deadline = deadline_of(task.due, today)
    if state.done:
        if deadline is None or not state.done_at:
            return DONE_ON_TIME
        return DONE_ON_TIME if date.fromisoformat(state.done_at[:10]) <= deadline else DONE_LATE
    if deadline is not None and today > deadline:
        return OVERDUE
    return ON_TIME


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DatabaseBusy(KnowledgeError):
    """Another process held the write lock for longer than the busy timeout."""


@contextmanager
def write_lock(db: Database) -> Iterator[Database]:
    """One write transaction that takes SQLite's write lock up front.

    ``BEGIN IMMEDIATE`` waits up to the connection's ``busy_timeout`` for another
    writer (sqlite-utils' ``atomic()`` begins a deferred transaction, which fails at
    once when its first write meets a lock). Nested sqlite-utils calls inside use
    savepoints.

    Raises:
        DatabaseBusy: The lock could not be had within the busy timeout.

    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise DatabaseBusy(str(error)) from error
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def derive_status(
    progress: float | None, status: str, current: TaskState
) -> tuple[float | None, str]:
    """The progress and status a new row stores, from what the report said.

    - A percent given without a status word sets the status from the percent (100 →
      done, 0 → not started, between → in progress), so a later "50%" after "hoàn
      thành" is in progress.
    - A status without a percent keeps the current percent, except that "hoàn thành"
      means 100% and any other status drops a carried-over 100%.
    - "hoàn thành" with an explicit percent below 100 is not done (in progress).
    - Neither given: both carry over.

    >>> derive_status(50.0, "", TaskState(progress=100.0, status=DONE, reports=1))
    (50.0, 'đang thực hiện')
    >>> derive_status(None, DONE, TaskState())
    (100.0, 'hoàn thành')
    """
    new_progress = progress if progress is not None else current.progress
    if status:
        new_status = status
    elif progress is not None:
        new_status = DONE if progress >= 100 else IN_PROGRESS if progress > 0 else NOT_STARTED
    else:
        new_status = current.status
    if new_status == DONE and progress is not None and progress < 100:
        new_status = IN_PROGRESS
    if new_status == DONE:
        new_progress = 100.0
    elif progress is None and new_progress is not None and new_progress >= 100:
        new_progress = None
    if not new_status and new_progress is not None:
        new_status = IN_PROGRESS
    return new_progress, new_status


class ProgressStore:
    """Reads and writes progress data; every write is one transaction."""

    def __init__(self, db: Database, admin_ids: Iterable[int] = ()) -> None:
        """Wrap a migrated database.

        Args:
            db: The database (``open_database`` applies the migrations).
            admin_ids: Admins from ``CTBOT_ADMIN_IDS``, always admins.

        """
        self.db = db
        self.admin_ids = frozenset(admin_ids)
        # (kind, document key) → the keys of that document's tasks or targets (see bind).
        self._keys: dict[tuple[str, str], tuple[str, ...]] = {}  # sorted, for the queries

    # -- users ----------------------------------------------------------------

    def member(self, user_id: int) -> Member | None:
        """The member with this Telegram id, or None for strangers."""
        row = self.db.execute(
            "SELECT role, name FROM users WHERE user_id = ?", [user_id]
        ).fetchone()
        if row is None:
            if user_id in self.admin_ids:
                return Member(user_id, ADMIN, from_env=True)
            return None
        agencies = tuple(
            r[0]
            for r in self.db.execute(
                "SELECT agency FROM user_agencies WHERE user_id = ? ORDER BY agency", [user_id]
            )
        )
        indicators = tuple(
            r[0]
            for r in self.db.execute(
                "SELECT indicator FROM user_indicators WHERE user_id = ? ORDER BY indicator",
                [user_id],
            )
        )
        role = ADMIN if user_id in self.admin_ids else row[0]
        return Member(user_id, role, agencies, indicators, row[1] or "")

    def add_user(
        self,
        user_id: int,
        role: str,
        agencies: Iterable[str] = (),
        *,
        name: str = "",
        added_by: int = 0,
    ) -> Member:
        """Add or change a member (agencies are added to those already held).

        Args:
            user_id: Telegram numeric user id.
            role: ``admin`` or ``reporter``.
            agencies: Canonical agency names (see :meth:`Engine.resolve_agency`).
            name: Display name.
            added_by: Who granted it (0 for the command line).

        Returns:
            The member as stored.

        Raises:
            KnowledgeError: Unknown role, or a reporter without an agency.

        """
        if role not in (ADMIN, REPORTER):
            raise KnowledgeError(f"unknown role {role!r}: use 'admin' or 'reporter'")
        agencies = list(agencies)
        with write_lock(self.db):
            existing = self.member(user_id)
            if role == REPORTER and not agencies and not (existing and existing.agencies):
                raise KnowledgeError(
                    'a reporter needs an agency: add --agency "Ban Tuyên giáo Tỉnh ủy"'
                )
            self.db.table("users").upsert(
                {
                    "user_id": user_id,
                    "role": role,
                    "name": name or (existing.name if existing else ""),
                    "added_by": added_by,
                    "added_at": _now(),
                },
                pk="user_id",
            )
            for agency in agencies:
                self.db.table("user_agencies").insert(
                    {"user_id": user_id, "agency": agency}, pk=("user_id", "agency"), ignore=True
                )
        member = self.member(user_id)
        assert member is not None
        return member

    def assign_indicator(self, user_id: int, key: str) -> None:
        """Let a reporter check in on a target."""
        with write_lock(self.db):
            self.db.table("user_indicators").insert(
                {"user_id": user_id, "indicator": key}, pk=("user_id", "indicator"), ignore=True
            )

    def remove_user(self, user_id: int) -> bool:
        """Remove a member; returns whether there was one."""
        with write_lock(self.db):
            found = self.db.execute("SELECT 1 FROM users WHERE user_id = ?", [user_id]).fetchone()
            for table in ("user_agencies", "user_indicators", "users"):
                self.db.execute(f"DELETE FROM [{table}] WHERE user_id = ?", [user_id])
        return found is not None

    def members(self) -> list[Member]:
        """Every member, admins from the environment included."""
        ids = [r[0] for r in self.db.execute("SELECT user_id FROM users ORDER BY user_id")]
        ids += sorted(self.admin_ids - set(ids))
        return [m for m in (self.member(i) for i in ids) if m is not None]

    # -- permission -----------------------------------------------------------

    def may_report_task(self, member: Member | None, task: Task) -> tuple[bool, str]:
        """Whether ``member`` may report on ``task``, and why not.

        Returns:
            ``(allowed, reason)``; the reason is one Vietnamese line.

        """
        if member is None:
            return (
                False,
                "bạn chưa được cấp quyền cập nhật tiến độ (nhờ quản trị viên dùng /quyen)",
            )
        if member.role == ADMIN:
            return True, ""
        leads = {agency_key(n) for n in split_names(task.lead)}
        if leads & {agency_key(a) for a in member.agencies}:
            return True, ""
        return False, self._not_yours(member, task)

    def report_role(self, member: Member | None, task: Task) -> tuple[str | None, str]:
        """The role ``member``'s report on ``task`` takes, or None and why they may not report.

        The lead body's reporters and admins report as :data:`LEAD`; a reporter of a body in
        the task's ``coordinating`` column reports on its part, as :data:`COORDINATING`.
        """
        allowed, reason = self.may_report_task(member, task)
        if allowed:
            return LEAD, ""
        if member is None:
            return None, reason
        helpers = {agency_key(n) for n in split_names(task.coordinating)}
        if helpers & {agency_key(a) for a in member.agencies}:
            return COORDINATING, ""
        return None, reason

    @staticmethod
    def _not_yours(member: Member, task: Task) -> str:
        return (
            f"nhiệm vụ {task.code} do {task.lead} chủ trì; bạn chỉ cập nhật được nhiệm vụ của "
            + ", ".join(member.agencies)
        )

    def may_report_indicator(
        self, member: Member | None, ind: Indicator, document: str
    ) -> tuple[bool, str]:
        """Whether ``member`` may check in on target ``ind`` of ``document``, and why not."""
        if member is None:
            return (
                False,
                "bạn chưa được cấp quyền cập nhật tiến độ (nhờ quản trị viên dùng /quyen)",
            )
        if member.role == ADMIN or indicator_key(ind, document) in member.indicators:
            return True, ""
        return False, "chỉ tiêu này chưa được giao cho bạn cập nhật (nhờ quản trị viên giao)"

    def log_attempt(
        self,
        *,
        user_id: int,
        chat_id: int,
        message_id: int,
        action: str,
        allowed: bool,
        reason: str,
        text: str,
    ) -> None:
        """Record an attempt to write (refusals above all) in the audit table."""
        with write_lock(self.db):
            self.db.table("audit").insert(
                {
                    "at": _now(),
                    "user_id": user_id,
                    "chat_id": chat_id,
                    "message_id": message_id,
                    "action": action,
                    "allowed": int(allowed),
                    "reason": reason,
                    "text": text[:4096],
                }
            )

    # -- reports --------------------------------------------------------------

    def bind(self, documents: Iterable[tuple[str, Iterable[Task], Iterable[Indicator]]]) -> None:
        """Tell the store which tasks and targets each loaded document has.

        A report belongs to the task of its document with the same content key. Only a
        report whose key matches no current task of its document (its wording was corrected
        in a new version of that document) falls back to that document's task with its code.

        Args:
            documents: ``(document key, tasks, targets)`` for every loaded document.

        """
        self._keys = {}
        for document, tasks, targets in documents:
            self._keys["task", document] = tuple(sorted({task_key(t, document) for t in tasks}))
            self._keys["indicator", document] = tuple(
                sorted({indicator_key(i, document) for i in targets})
            )

    def _rows(self, kind: str, key: str, code: str, role: str | None = LEAD) -> list[Report]:
        """The rows on one task or target, oldest first: of ``role`` only, or all for None.

        ``key`` names the document (:func:`knowledge.progress.keys.document_of_key`); the
        fallback by ``code`` only looks at that document's rows.
        """
        document = document_of_key(key)
        known = self._keys.get((kind, document), ())
        marks = ",".join("?" for _ in known)
        prefix = scoped(document, "")
        orphan = (
            f"(target = ? AND substr(target_key, 1, ?) = ? AND target_key NOT IN ({marks}))"
            if known
            else "0"
        )
        args = [code, len(prefix), prefix, *known] if known else []
        rows = self.db.query(
            f"SELECT * FROM reports WHERE kind = ? AND (target_key = ? OR {orphan}) ORDER BY id",
            [kind, key, *args],
        )
        return [r for r in (Report(**row) for row in rows) if role is None or r.role == role]

    def history(
        self, task: Task, document: str, limit: int | None = None, role: str | None = LEAD
    ) -> list[Report]:
        """The rows of ``role`` (the lead's by default; None: every row), newest first.

        ``document``: the key of the document ``task`` belongs to.
        """
        rows = list(reversed(self._rows("task", task_key(task, document), task.code, role)))
        return rows[:limit] if limit else rows

    def indicator_history(
        self, ind: Indicator, document: str, limit: int | None = None
    ) -> list[Report]:
        """The check-ins on target ``ind`` of document ``document``, newest first."""
        key = indicator_key(ind, document)
        rows = list(reversed(self._rows("indicator", key, str(ind.id))))
        return rows[:limit] if limit else rows

    def state(self, task: Task, document: str, role: str = LEAD) -> TaskState:
        """The task's state, from its newest row of ``role`` (the lead's by default).

        ``document``: the key of the document ``task`` belongs to.
        """
        rows = self._rows("task", task_key(task, document), task.code, role)
        if not rows:
            return TaskState()
        last = rows[-1]
        done_at = ""
        confirmed = False
        for row in rows:
            done = row.new_status == DONE or (row.new_progress or 0) >= 100
            if done and not done_at:
                done_at = row.at
            elif not done:
                done_at = ""
            confirmed = done and (confirmed or row.action == CONFIRM)
        return TaskState(
            progress=last.new_progress,
            status=last.new_status,
            note=last.note,
            last_at=last.at,
            done_at=done_at,
            reports=len(rows),
            confirmed=confirmed,
        )

    def done_report(self, task: Task, document: str) -> Report | None:
        """The newest report or amendment that said the task was done, or None.

        Its author is the one told when the completion is confirmed or returned.
        """
        for row in self.history(task, document):
            done = row.new_status == DONE or (row.new_progress or 0) >= 100
            if row.action in WRITTEN and done:
                return row
        return None

    def report(self, report_id: int) -> Report | None:
        """One row by id."""
        rows = self.db.query("SELECT * FROM reports WHERE id = ?", [report_id])
        return next((Report(**row) for row in rows), None)

    def reports_for_message(self, chat_id: int, message_id: int) -> list[Report]:
        """The rows made from a given chat message (a report and its amendments), oldest first.

        Only reports and amendments count: undo, confirm and return rows are made by a
        button or an admin's command, and editing that command changes nothing.
        """
        rows = self.db.query(
            "SELECT * FROM reports WHERE chat_id = ? AND message_id = ? "
            "AND action IN ('report', 'amend') ORDER BY id",
            [chat_id, message_id],
        )
        return [Report(**row) for row in rows]

    def latest(self, report: Report) -> Report:
        """The newest row of the same role on the same task or target (possibly itself)."""
        rows = self._rows(report.kind, report.target_key, report.target, report.role)
        return rows[-1] if rows else report

    def undone(self, report: Report) -> bool:
        """Whether an undo row already reverses ``report``."""
        rows = self.db.query(
            "SELECT id FROM reports WHERE action = 'undo' AND ref_report = ? LIMIT 1", [report.id]
        )
        return next(iter(rows), None) is not None

    def record_task(
        self,
        task: Task,
        document: str,
        *,
        user_id: int,
        user_name: str = "",
        chat_id: int = 0,
        message_id: int = 0,
        progress: float | None = None,
        status: str = "",
        note: str = "",
        action: str = "report",
        ref_report: int | None = None,
        at: str | None = None,
        role: str = LEAD,
    ) -> Report:
        """Append a report on a task, in one transaction, and return the committed row.

        Missing progress or status carry over from the current state of ``role``'s rows (a
        coordinating body's report never moves the lead's figures). ``document``: the key
        of the document ``task`` belongs to.
        """
        with write_lock(self.db):
            current = self.state(task, document, role)
            new_progress, new_status = derive_status(progress, status, current)
            return self._insert(
                kind="task",
                target=task.code,
                target_key=task_key(task, document),
                title=task.content,
                user_id=user_id,
                user_name=user_name,
                chat_id=chat_id,
                message_id=message_id,
                action=action,
                ref_report=ref_report,
                old_progress=current.progress,
                new_progress=new_progress,
                old_status=current.status,
                new_status=new_status,
                note=note,
                at=at,
                role=role,
            )

    def record_indicator(
        self,
        ind: Indicator,
        document: str,
        *,
        value: float,
        value_text: str,
        year: int | None,
        user_id: int,
        user_name: str = "",
        chat_id: int = 0,
        message_id: int = 0,
        note: str = "",
        action: str = "report",
        ref_report: int | None = None,
        at: str | None = None,
    ) -> Report:
        """Append a check-in on target ``ind`` of ``document`` (a value for a year)."""
        with write_lock(self.db):
            previous = self.indicator_history(ind, document, 1)
            return self._insert(
                kind="indicator",
                target=str(ind.id),
                target_key=indicator_key(ind, document),
                title=ind.name,
                user_id=user_id,
                user_name=user_name,
                chat_id=chat_id,
                message_id=message_id,
                action=action,
                ref_report=ref_report,
                old_progress=previous[0].value if previous else None,
                new_progress=value,
                old_status="",
                new_status="",
                value=value,
                value_text=value_text,
                year=year,
                note=note,
                at=at,
            )

    def undo(self, report: Report, *, user_id: int, user_name: str = "") -> Report:
        """Append a row that restores the values before ``report``."""
        with write_lock(self.db):
            return self._insert(
                kind=report.kind,
                target=report.target,
                target_key=report.target_key,
                title=report.title,
                user_id=user_id,
                user_name=user_name,
                chat_id=report.chat_id,
                message_id=report.message_id,
                action="undo",
                ref_report=report.id,
                old_progress=report.new_progress,
                new_progress=report.old_progress,
                old_status=report.new_status,
                new_status=report.old_status,
                note=f"hoàn tác báo cáo #{report.id}",
                role=report.role,
            )

    def _insert(self, **row: object) -> Report:
        row.setdefault("value", None)
        row.setdefault("value_text", "")
        row.setdefault("year", None)
        row["at"] = row.get("at") or _now()
        table = self.db.table("reports")
        table.insert(row)
        report = self.report(int(table.last_pk))  # type: ignore[arg-type]
        assert report is not None
        return report

    def all_reports(self) -> list[Report]:
        """Every row, oldest first (for export)."""
        return [Report(**r) for r in self.db.query("SELECT * FROM reports ORDER BY id")]
