"""Periodic reports in the layout offices use, as a table, a short text and an Excel workbook.

STT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn | Tiến độ | Tình trạng | Kết quả / sản phẩm | Ghi chú |
Phần phối hợp, grouped by part of the appendix, with totals by status. The figures and status
are the lead body's; a coordinating body's report on its part is shown in the last column.
A period's report holds the tasks due in it and those due earlier that were still unfinished
at its end ("chuyển từ kỳ trước"); each task is shown as it stood at the end of the period (or
today, for the current one).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlite_utils import Database

from knowledge.formatting import day
from knowledge.programme.agencies import split_names
from knowledge.programme.model import Task
from knowledge.programme.quarters import deadline_of
from knowledge.progress.log import (
    COORDINATING,
    DONE_LATE,
    DONE_ON_TIME,
    STATUS_LABELS,
    Report,
    TaskState,
    task_status,
    write_lock,
)
from knowledge.progress.periods import KINDS, Period
from knowledge.progress.report_text import DONE
from knowledge.progress.reporting import Reporting
from knowledge.progress.views import pct_text
from knowledge.render import PLAIN, Markup, shorten

__all__ = [
    "COLUMNS",
    "PeriodReport",
    "ReportRow",
    "ReportSubscriptions",
    "build_report",
    "report_text",
    "report_xlsx",
    "state_as_of",
]

COLUMNS = (
    "STT",
    "Nhiệm vụ",
    "Cơ quan chủ trì",
    "Thời hạn",
    "Tiến độ",
    "Tình trạng",
    "Kết quả / sản phẩm",
    "Ghi chú",
    "Phần phối hợp",
)
CARRIED = "Chuyển từ kỳ trước"
NO_DEADLINE = "Không ghi thời hạn"


@dataclass(frozen=True)
class ReportRow:
    """One task row of the table."""

    number: int
    code: str
    content: str
    lead: str
    due: str
    progress: str
    status: str
    result: str
    note: str
    helpers: tuple[str, ...] = ()

    def cells(self) -> list[object]:
        """The row in :data:`COLUMNS` order."""
        task = f"{self.code}. {self.content}"
        return [
            *(self.number, task, self.lead, self.due),
            *(self.progress, self.status, self.result, self.note, "\n".join(self.helpers)),
        ]


@dataclass(frozen=True)
class PeriodReport:
    """A report: its period, the body it is limited to, rows by part, totals by status."""

    title: str
    period: Period
    agency: str | None
    as_of: date
    parts: list[tuple[str, list[ReportRow]]]
    totals: dict[str, int]

    @property
    def count(self) -> int:
        """How many tasks it lists."""
        return sum(len(rows) for _, rows in self.parts)


def _moment(at: str) -> datetime:
    found = datetime.fromisoformat(at)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def state_as_of(history: Sequence[Report], before: datetime) -> TaskState:
    """A task's state from its rows made before ``before`` (rows oldest first)."""
    rows = [r for r in history if _moment(r.at) < before]
    if not rows:
        return TaskState()
    done_at = ""
    for row in rows:
        done = row.new_status == DONE or (row.new_progress or 0) >= 100
        if done and not done_at:
            done_at = row.at
        elif not done:
            done_at = ""
    last = rows[-1]
    return TaskState(last.new_progress, last.new_status, last.note, last.at, done_at, len(rows))


def _serves(service: Reporting, task: Task, agency: str) -> bool:
    names = split_names(task.lead) + split_names(task.coordinating)
    return any(service.shelf_of(task).engine.resolve_agency(n) == agency for n in names)


def helper_parts(rows: Sequence[Report], before: datetime) -> tuple[str, ...]:
    """Each coordinating reporter's part as it stood before ``before``: "Tâm: 90% — ghi chú".

    Args:
        rows: The task's coordinating rows, oldest first.
        before: The end of the period.

    """
    latest: dict[int, Report] = {}
    for row in rows:
        if _moment(row.at) < before:
            latest[row.user_id] = row
    parts = []
    for row in latest.values():
        figures = ", ".join(
            x for x in (pct_text(row.new_progress), row.new_status) if x and x != "—"
        )
        note = f" — {row.note}" if row.note and row.action != "undo" else ""
        parts.append(f"{row.user_name or f'id {row.user_id}'}: {figures or '—'}{note}")
    return tuple(parts)


def _row(
    number: int,
    task: Task,
    state: TaskState,
    status: str,
    note: str,
    helpers: tuple[str, ...] = (),
) -> ReportRow:
    return ReportRow(
        number=number,
        code=task.code,
        content=task.content,
        lead=task.lead,
        due=task.due,
        progress=pct_text(state.progress) if state.reports else "—",
        status=status,
        result=state.note,
        note=note,
        helpers=helpers,
    )


def _note(task: Task, period: Period, at_start: TaskState) -> str | None:
    """Why a task is in the report ("" = due in it), or None when it is not."""
    deadline = deadline_of(task.due)
    if deadline is None:
        return NO_DEADLINE
    if period.start <= deadline <= period.end:
        return ""
    started = task_status(task, at_start, period.start - timedelta(days=1))
    if deadline < period.start and started not in (DONE_ON_TIME, DONE_LATE):
        return CARRIED  # still unfinished when the period began
    return None


def build_report(
    service: Reporting, period: Period, today: date, tz: tzinfo | None, agency: str | None = None
) -> PeriodReport:
    """The report of ``period`` as of its end (or ``today`` if it has not ended)."""
    as_of = min(period.end, today)
    before = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=tz or UTC)
    opening = datetime.combine(period.start, time(0), tzinfo=tz or UTC)
    parts: dict[str, list[ReportRow]] = {}
    totals = dict.fromkeys(STATUS_LABELS, 0)
    number = 0
    for task in service.all_tasks():
        if agency is not None and not _serves(service, task, agency):
            continue
        document = service.document_of(task)
        history = list(reversed(service.store.history(task, document)))
        state = state_as_of(history, before)
        status = task_status(task, state, as_of)
        note = _note(task, period, state_as_of(history, opening))
        if note is None:
            continue
        number += 1
        totals[status] += 1
        title = f"{task.part}. {task.part_title}"
        if service.several:  # a section per document: its parts under its name
            title = f"{service.shelf_of(task).label} — {title}"
        helping = reversed(service.store.history(task, document, role=COORDINATING))
        row = _row(number, task, state, status, note, helper_parts(list(helping), before))
        parts.setdefault(title, []).append(row)
    name = (
        f"{len(service.documents)} văn bản" if service.several else service.engine.programme.title
    )
    return PeriodReport(name, period, agency, as_of, list(parts.items()), totals)


def _heading(report: PeriodReport) -> str:
    scope = f" — {report.agency}" if report.agency else ""
    return f"Báo cáo {report.period.label}{scope}: {report.title}"


def _totals_line(report: PeriodReport) -> str:
    parts = [f"{k.lower()} {v}" for k, v in report.totals.items() if v]
    return f"Tổng {report.count} nhiệm vụ" + (": " + "; ".join(parts) if parts else "") + "."


def report_text(report: PeriodReport, m: Markup = PLAIN) -> str:
    """The same table as a short message: one line a task, by part, totals first."""
    lines = [
        m.bold("📊 " + _heading(report)),
        m.italic(f"Tính đến {day(report.as_of)}; chi tiết trong tệp Excel."),
        m.text(_totals_line(report)),
    ]
    if not report.count:
        lines.append(m.text("Không có nhiệm vụ nào đến hạn hoặc chuyển từ kỳ trước."))
    for title, rows in report.parts:
        lines.append(m.bold(title))
        for r in rows:
            note = f" ({r.note.lower()})" if r.note else ""
            lines.append(
                f"{r.number}. {m.bold(r.code)} "
                + m.text(
                    f"{shorten(r.content, 60)} — {r.lead} — {r.due} — {r.progress} — "
                    f"{r.status}{note}"
                )
            )
            lines.extend(m.italic(f"   🤝 Phần phối hợp — {h}") for h in r.helpers)
    return "\n".join(lines)


def report_xlsx(report: PeriodReport) -> bytes:
    """The report as an Excel workbook: heading, the table grouped by part, totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = report.period.label.replace("/", "-")[:31]
    sheet.append([_heading(report)])
    sheet.append([f"Tính đến ngày {day(report.as_of)}"])
    sheet.append([])
    sheet.append(list(COLUMNS))
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    width = len(COLUMNS)
    for title, rows in report.parts:
        sheet.append([title])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for r in rows:
            sheet.append(r.cells())
    sheet.append([])
    sheet.append(["", "Tổng hợp theo tình trạng"])
    sheet.cell(sheet.max_row, 2).font = Font(bold=True)
    for label, n in report.totals.items():
        sheet.append(["", label, n])
    sheet.append(["", "Tổng số nhiệm vụ", report.count])
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    for column, size in zip("ABCDEFGHI", (6, 60, 28, 18, 10, 26, 40, 22, 36), strict=True):
        sheet.column_dimensions[column].width = size
    for row in sheet.iter_rows(min_row=header + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ReportSubscriptions:
    """Chats subscribed to a periodic report, and the reports sent (claimed before sending)."""

    def __init__(self, db: Database) -> None:
        """Wrap a migrated database."""
        self.db = db

    def subscribe(self, chat_id: int, kind: str, *, by: int, now: datetime) -> None:
        """Subscribe a chat to the report of each ``kind`` period (month, quarter …)."""
        if kind not in KINDS:
            raise ValueError(f"unknown period {kind!r}")
        with write_lock(self.db):
            self.db.table("report_subscriptions").upsert(
                {"chat_id": chat_id, "period": kind, "created_by": by, "created_at": _iso(now)},
                pk=("chat_id", "period"),
            )

    def unsubscribe(self, chat_id: int, kind: str | None = None) -> int:
        """Remove a chat's report subscriptions (one kind, or all); how many there were."""
        sql, args = "DELETE FROM report_subscriptions WHERE chat_id = ?", [str(chat_id)]
        if kind is not None:
            sql, args = sql + " AND period = ?", [str(chat_id), kind]
        with write_lock(self.db):
            return int(self.db.execute(sql, args).rowcount)

    def all(self) -> list[dict[str, object]]:
        """Every subscription row, by chat and kind."""
        return list(
            self.db.query(
                "SELECT chat_id, period, created_by, created_at FROM report_subscriptions "
                "ORDER BY chat_id, period"
            )
        )

    def move(self, old_chat_id: int, new_chat_id: int) -> None:
        """A chat got a new id (group → supergroup): its subscriptions and claims follow."""
        with write_lock(self.db):
            for table in ("report_subscriptions", "reports_sent"):
                self.db.execute(
                    f"UPDATE OR IGNORE [{table}] SET chat_id = ? WHERE chat_id = ?",
                    [new_chat_id, old_chat_id],
                )
                self.db.execute(f"DELETE FROM [{table}] WHERE chat_id = ?", [old_chat_id])

    def claim(self, chat_id: int, kind: str, label: str, now: datetime) -> bool:
        """Claim sending the report ``label`` to a chat; False if it was claimed before."""
        with write_lock(self.db):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO reports_sent (chat_id, period, label, at) "
                "VALUES (?, ?, ?, ?)",
                [chat_id, kind, label, _iso(now)],
            )
            return cursor.rowcount == 1

    def release(self, chat_id: int, kind: str, label: str) -> None:
        """Give a claim back after a failed send."""
        with write_lock(self.db):
            self.db.execute(
                "DELETE FROM reports_sent WHERE chat_id = ? AND period = ? AND label = ?",
                [chat_id, kind, label],
            )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
