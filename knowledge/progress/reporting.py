"""Taking progress reports: resolve the task or target, check rights, write, confirm.

This is the whole write path the bot uses, without Telegram: the handlers pass
what they know about the message (who, where, forwarded or not) and render the
:class:`Outcome`. Every way of changing the log — a new report, a reply to a task
card, a button pick, an edited message, an undo — passes one gate,
:meth:`Reporting.authorise`, which checks the sender's rights *now*; the time and
ownership rules are in :mod:`knowledge.progress.write_rules`. Every refusal says why in one
line and writes nothing but an audit row, and the bot confirms only what has been
committed. A file sent with a report (or later, as a reply to its confirmation) is
kept as evidence (:mod:`knowledge.progress.evidence`); an admin's review (confirm / return,
:mod:`knowledge.progress.review`) passes the same gate with ``admin_only``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from knowledge.engine import FOUND_THRESHOLD, Engine, Result
from knowledge.formatting import number
from knowledge.programme.model import Indicator, Task
from knowledge.progress import views
from knowledge.progress.chat_settings import ChatSettings
from knowledge.progress.evidence import Attachment, Evidence, EvidenceStore
from knowledge.progress.keys import document_key, document_of_key, indicator_key, task_key
from knowledge.progress.log import (
    ADMIN,
    COORDINATING,
    LEAD,
    NOT_A_MEMBER,
    DatabaseBusy,
    ProgressStore,
    Report,
    TaskState,
    write_lock,
)
from knowledge.progress.named import Ask, Hits, clear, settle
from knowledge.progress.report_text import (
    ParsedReport,
    command_body,
    parse_report,
    pick_percent,
    read_number,
)
from knowledge.progress.write_rules import (
    NOTE_LIMIT,
    UNDO_WINDOW,
    attach_refusal,
    cap_note,
    edit_refusal,
    undo_refusal,
)
from knowledge.qa.library import Library
from knowledge.render import PLAIN, Markup, shorten

__all__ = [
    "BUSY",
    "USAGE",
    "Outcome",
    "Pins",
    "Reporting",
    "Sender",
    "Shelf",
    "author_fields",
    "compare",
    "pct_text",
    "shelves",
]

USAGE = (
    "Cú pháp: /capnhat <mã hoặc tên nhiệm vụ> <tiến độ %> <tình trạng> <ghi chú>. "
    "Ví dụ: /capnhat 5.3 60% đã ban hành kế hoạch; /capnhat II.8 hoàn thành; "
    "/capnhat chỉ tiêu che phủ rừng 46,2% năm 2024"
)
BUSY = "⏳ Cơ sở dữ liệu đang bận, vui lòng gửi lại sau ít giây. Báo cáo chưa được ghi."
ADMINS_ONLY = "chỉ quản trị viên được xác nhận hoặc trả lại nhiệm vụ"
NOT_KEPT = "Tệp đính kèm không được lưu: minh chứng chỉ gắn với báo cáo nhiệm vụ."
compare = views.compare
pct_text = views.pct_text


@dataclass(frozen=True)
class Sender:
    """Who sent the message and how: identity is the numeric user id only.

    Attributes:
        user_id: Telegram user id (0 when unknown).
        name: Display name, for the record only.
        chat_id: Chat the message came from.
        message_id: The message.
        is_bot: Sent by a bot.
        forwarded: A forwarded message (its author is someone else).
        on_behalf_of_chat: Sent as a chat or channel (anonymous group admin).

    """

    user_id: int
    name: str = ""
    chat_id: int = 0
    message_id: int = 0
    is_bot: bool = False
    forwarded: bool = False
    on_behalf_of_chat: bool = False


@dataclass(frozen=True)
class Shelf:
    """A stored document as the write path knows it.

    Attributes:
        id: The document's id (``documents.id``).
        label: How the bot names it ("Kế hoạch 45/KH-UBND").
        engine: Its engine (task codes are per document).

    """

    id: int
    label: str
    engine: Engine

    @property
    def key(self) -> str:
        """The document's key, which its report rows are filed under (its identity)."""
        return document_key(self.engine.programme)


def shelves(books: Library) -> list[Shelf]:
    """Every document of a library as the write path knows it, in the library's order."""
    return [Shelf(d.id, f"{d.genre} {d.number}".strip(), d.engine) for d in books.documents]


class Pins(Protocol):
    """Each chat's pinned document (``knowledge.qa.pins.PinStore``)."""

    def get(self, chat_id: int) -> int | None:
        """The document id ``chat_id`` pinned, or None."""


@dataclass
class Outcome:
    """What happened to a report.

    Attributes:
        kind: ``saved``, ``refused``, ``usage``, ``busy`` (the database stayed locked),
            ``choose`` (several tasks match), ``choose_percent`` (two different percents),
            ``choose_document`` (the task code is in several documents) or ``ask`` (a number
            needs confirming).
        text: The message to send.
        report: The committed row, for ``saved``.
        choices: Candidate tasks or targets for ``choose``.
        percents: Candidate percents for ``choose_percent``.
        short: The one-line confirmation of ``saved`` (for quiet group chats).
        evidence: The file kept with the report, if one was.
        documents: Candidate documents ``(id, label)`` for ``choose_document``.
        document: The document the ``choose`` candidates are in (None with one document).

    """

    kind: str
    text: str
    report: Report | None = None
    choices: list[Result] = field(default_factory=list)
    percents: tuple[float, ...] = ()
    short: str = ""
    evidence: Evidence | None = None
    documents: list[tuple[int, str]] = field(default_factory=list)
    document: int | None = None


def _sender_refusal(sender: Sender) -> str | None:
    """Why a message cannot stand for its sender at all, or None."""
    # On behalf of a chat first: an anonymous admin's sender is a bot account.
    if sender.on_behalf_of_chat:
        return (
            "tin nhắn gửi dưới danh nghĩa nhóm hoặc kênh (quản trị viên ẩn danh) không cho "
            "biết ai báo cáo; hãy tắt chế độ ẩn danh rồi gửi lại"
        )
    if sender.is_bot:
        return "tin nhắn của bot khác"
    if sender.forwarded:
        return "tin nhắn chuyển tiếp không dùng để cập nhật, hãy tự gõ báo cáo"
    return None


def _problem(parsed: ParsedReport, m: Markup, *, picked: bool = False) -> Outcome | None:
    """The same bounds for a new report and an edit: a readable percent or a status.

    ``picked``: the percent was chosen by a button among several the line gave.
    """
    if picked:
        return None
    if parsed.bad_percent:
        return Outcome(
            "usage", m.text(f"Tiến độ “{parsed.percent_raw}” phải từ 0 đến 100%. {USAGE}")
        )
    if parsed.ambiguous_percent:
        return Outcome(
            "choose_percent",
            m.text("Báo cáo có nhiều con số phần trăm. Tiến độ chung của nhiệm vụ là bao nhiêu?"),
            percents=parsed.percents,
        )
    if parsed.percent is None and not parsed.status:
        return Outcome("usage", m.text(f"Thiếu tiến độ (%) hoặc tình trạng. {USAGE}"))
    return None


class Reporting:
    """The write side of the bot: reports, undo, amendments, status views."""

    def __init__(
        self,
        engine: Engine,
        store: ProgressStore,
        documents: Sequence[Shelf] = (),
        pins: Pins | None = None,
    ) -> None:
        """Resolve tasks in ``documents`` (else ``engine`` alone) and keep reports in ``store``.

        Args:
            engine: The primary document's engine (targets and tasks named in words).
            store: The report log.
            documents: Every stored document, in the library's order; empty for one document.
            pins: Each chat's pinned document: an ambiguous task code resolves in it.

        """
        self.engine = engine
        self.store = store
        self.documents = tuple(documents) or (Shelf(0, "", engine),)
        self.pins = pins
        # Which document each task and target is in, by object (tasks of two documents can
        # be equal); read once, the engines live as long as this service.
        self._homes = {
            id(item): d
            for d in self.documents
            for item in (*d.engine.programme.tasks, *d.engine.programme.indicators)
        }
        self.evidence = EvidenceStore(store.db)
        self.chats = ChatSettings(store.db)
        store.bind(
            (d.key, d.engine.programme.tasks, d.engine.programme.indicators)
            for d in self.documents
        )

    @property
    def several(self) -> bool:
        """Whether more than one document is loaded (views then name documents)."""
        return len(self.documents) > 1

    def all_tasks(self) -> list[Task]:
        """Every document's tasks, document by document."""
        return [t for d in self.documents for t in d.engine.programme.tasks]

    def all_indicators(self) -> list[Indicator]:
        """Every document's targets, document by document."""
        return [i for d in self.documents for i in d.engine.programme.indicators]

    def named(self, task: Task) -> str:
        """A task's code, with its document when several are loaded ("II.3 (Kế hoạch 45/…)")."""
        return f"{task.code} ({self.shelf_of(task).label})" if self.several else task.code

    def shelf_of(self, task: Task) -> Shelf:
        """The document ``task`` belongs to (the primary one when none holds it)."""
        home = self._homes.get(id(task))
        if home is not None:
            return home
        primary = [d for d in self.documents if d.engine is self.engine]
        return primary[0] if primary else self.documents[0]

    def document_of(self, item: Task | Indicator) -> str:
        """The key of the document a task or target belongs to (reports are filed under it).

        The primary document's for one that no loaded document holds.
        """
        home = self._homes.get(id(item))
        return home.key if home is not None else document_key(self.engine.programme)

    def state_of(self, task: Task) -> TaskState:
        """Where ``task`` stands (the lead's rows), read under its own document's key."""
        return self.store.state(task, self.document_of(task))

    def key_of(self, task: Task) -> str:
        """The key ``task``'s rows (and its evidence, its reminders) are filed under."""
        return task_key(task, self.document_of(task))

    def find_task(
        self, code: str, chat_id: int = 0, document: int | None = None
    ) -> Task | list[Shelf] | None:
        """The task with ``code``, or the documents to choose from.

        In ``document`` if given, else in the only document that has it, else in the chat's
        pinned document when that has it; else the documents that have it.
        """
        holders = [(d, t) for d in self.documents if (t := d.engine.task(code)) is not None]
        if document is not None:
            return next((t for d, t in holders if d.id == document), None)
        if len(holders) <= 1:
            return holders[0][1] if holders else None
        pinned = self.pins.get(chat_id) if self.pins is not None and chat_id else None
        chosen = [t for d, t in holders if d.id == pinned]
        return chosen[0] if chosen else [d for d, _ in holders]

    # -- the gate -------------------------------------------------------------

    def authorise(
        self,
        sender: Sender,
        target: Task | Indicator | None,
        text: str,
        action: str,
        *,
        admin_only: bool = False,
    ) -> Outcome | None:
        """The one gate every write passes: the sender's rights on ``target``, checked now.

        ``admin_only``: the write is an admin's (a review): a reporter, even of the task's
        lead body, is refused.

        Returns:
            None when the write may go ahead, else the refusal (an audit row is written).

        """
        reason = _sender_refusal(sender)
        if reason is None:
            member = self.store.member(sender.user_id)
            if member is None:
                reason = NOT_A_MEMBER
            elif admin_only and member.role != ADMIN:
                reason = ADMINS_ONLY
            elif isinstance(target, Task):
                reason = self.store.report_role(member, target)[1] or None
            elif isinstance(target, Indicator):
                document = self.document_of(target)
                reason = self.store.may_report_indicator(member, target, document)[1] or None
        return None if reason is None else self.refuse(sender, reason, text, action)

    def refuse(self, sender: Sender, reason: str, text: str, action: str) -> Outcome:
        """Refuse a write: an audit row (unless the database is busy) and the one-line reason."""
        # The refusal stands even when the database is too busy for its audit row.
        with contextlib.suppress(DatabaseBusy):
            self.store.log_attempt(
                user_id=sender.user_id,
                chat_id=sender.chat_id,
                message_id=sender.message_id,
                action=action,
                allowed=False,
                reason=reason,
                text=text,
            )
        return Outcome("refused", f"⛔ Không ghi nhận: {reason}.")

    def target_of(self, report: Report) -> Task | Indicator | None:
        """The task or target a row is about, in its document as loaded now.

        By key; a row whose key its document no longer has falls back to the task or
        target with its code *in the same document* (never another document's).
        """
        own = [d for d in self.documents if d.key == document_of_key(report.target_key)]
        if not own:
            return None
        shelf = own[0]
        programme = shelf.engine.programme
        if report.kind == "indicator":
            keyed = [
                i for i in programme.indicators if indicator_key(i, shelf.key) == report.target_key
            ]
            return keyed[0] if keyed else shelf.engine.indicators.get(report.target)
        by_key = [t for t in programme.tasks if task_key(t, shelf.key) == report.target_key]
        return by_key[0] if by_key else shelf.engine.task(report.target)

    # -- reports ----------------------------------------------------------------

    def submit(
        self,
        text: str,
        sender: Sender,
        today: date,
        *,
        task_code: str | None = None,
        percent: float | None = None,
        m: Markup = PLAIN,
        attachment: Attachment | None = None,
        document: int | None = None,
    ) -> Outcome:
        """Take a report line (what follows /capnhat, or a reply to a task card).

        Args:
            text: The report.
            sender: Who sent it and how.
            today: Today in the bot's time zone (for the status).
            task_code: The task, when the report replies to its card or was picked.
            percent: The percent picked by a button when the line gave several.
            m: Markup for the confirmation.
            attachment: A file sent with the report (its caption was the report).
            document: The document the task code is in (a card's, or picked by a button).

        Returns:
            The outcome; ``saved`` only after the row is committed (``choose_document`` when
            the code is in several documents and the chat pinned none of them).

        """
        if not text.strip() and not task_code:
            return Outcome("usage", m.text(USAGE))
        refused = self.authorise(sender, None, text, "report")
        if refused is not None:
            return refused
        parsed = parse_report(text)
        if parsed.indicator:
            checked = self._submit_indicator(parsed, sender, m, document)
            if checked.kind == "saved" and attachment is not None:
                checked.text += "\n" + m.italic(NOT_KEPT)
            return checked
        code = task_code or parsed.code
        found = self.find_task(code, sender.chat_id, document) if code else None
        if found is None and code:
            return Outcome("usage", m.text(f"Không có nhiệm vụ mã {code}. {USAGE}"))
        problem = _problem(parsed, m, picked=percent is not None)
        if problem is not None:
            return problem
        if isinstance(found, list):
            return _which_document(code, found, m)
        task = found
        if task is None:
            named = self._task_by_words(parsed.topic, sender.chat_id, document, m)
            if isinstance(named, Outcome):
                return named
            task = named
        return self.write_task(
            task, parsed, sender, today, m, percent=percent, attachment=attachment
        )

    def percent_choices(self, text: str) -> tuple[float, ...]:
        """The distinct percents a report line gives, in order (for "which percent?")."""
        return parse_report(command_body(text)).percents

    def _task_by_words(
        self, topic: str, chat_id: int, document: int | None, m: Markup
    ) -> Task | Outcome:
        """The task a report names in words, or the question which document or task."""
        found = self._by_words(topic, "task", chat_id, document, floor=0.0)
        if found is None:
            return Outcome("usage", m.text(f"Không tìm thấy nhiệm vụ “{topic}”. {USAGE}"))
        if isinstance(found, Ask):
            return self._which_document_by_words(topic, "nhiệm vụ", found, m)
        shelf, choices = found
        if not clear(choices):
            where = f" của {shelf.label}" if self.several else ""
            return Outcome(
                "choose",
                m.text(f"Bạn muốn cập nhật nhiệm vụ nào{where}?"),
                choices=list(choices),
                document=shelf.id if self.several else None,
            )
        return shelf.engine.tasks[choices[0].id]

    def _by_words(
        self, topic: str, kind: str, chat_id: int, document: int | None, *, floor: float
    ) -> tuple[Shelf, tuple[Result, ...]] | Ask | None:
        """Each document's matches for ``topic`` settled to one document, or the question.

        In ``document`` alone when given (a pick); else every document, the chat's pinned
        one first (:func:`knowledge.progress.named.settle`). None when nothing matches.
        """
        shelves = {d.id: d for d in self.documents if document in (None, d.id)}
        hits = [
            Hits(d.id, found)
            for d in shelves.values()
            if (found := self._matches(d, topic, kind, floor))
        ]
        if not hits:
            return None
        pinned = self._pinned(chat_id) if document is None else None
        settled = settle(hits, pinned if pinned in shelves else None)
        if isinstance(settled, Ask):
            return settled
        return shelves[settled.document], settled.results

    def tasks_by_words(self, topic: str, chat_id: int = 0) -> list[Task]:
        """The task a read-only view names in words, or each close document's best match.

        The same settling as a report (the chat's pin first), but nothing is asked: when
        several documents match about as well, each one's best task is returned.
        """
        found = self._by_words(topic, "task", chat_id, None, floor=FOUND_THRESHOLD)
        if found is None:
            return []
        if not isinstance(found, Ask):
            shelf, results = found
            return [shelf.engine.tasks[results[0].id]]
        shelves = {d.id: d for d in self.documents}
        best = [
            (shelves[i], self._matches(shelves[i], topic, "task", 0.0)) for i in found.documents
        ]
        return [d.engine.tasks[r[0].id] for d, r in best if r]

    @staticmethod
    def _matches(shelf: Shelf, topic: str, kind: str, floor: float) -> tuple[Result, ...]:
        """A document's best matches of ``kind`` for ``topic`` (at least ``floor``)."""
        found = shelf.engine.suggest(topic, limit=3, kinds={kind}) if topic else []
        return tuple(r for r in found if r.kind == kind and r.score >= floor)

    def _pinned(self, chat_id: int) -> int | None:
        """The chat's pinned document, when several are loaded and it pinned one."""
        if not self.several or self.pins is None or not chat_id:
            return None
        return self.pins.get(chat_id)

    def _which_document_by_words(self, topic: str, what: str, ask: Ask, m: Markup) -> Outcome:
        """The question which document a report named in words is about (a button each)."""
        labels = {d.id: d.label for d in self.documents}
        if ask.off_pin:
            text = (
                f"Văn bản đã chọn cho cuộc trò chuyện này (/vanban) không có {what} “{topic}”. "
                "Bạn cập nhật văn bản nào?"
            )
        else:
            count = len(ask.documents)
            text = f"“{topic}” khớp với {what} ở {count} văn bản. Bạn cập nhật văn bản nào?"
        return Outcome(
            "choose_document", m.text(text), documents=[(i, labels[i]) for i in ask.documents]
        )

    def write_task(
        self,
        task: Task,
        parsed: ParsedReport,
        sender: Sender,
        today: date,
        m: Markup = PLAIN,
        *,
        percent: float | None = None,
        attachment: Attachment | None = None,
    ) -> Outcome:
        """Check rights on ``task`` now and write the report (also after a button pick).

        Args:
            task: The task.
            parsed: The report line.
            sender: Who reports.
            today: For the status line.
            m: Markup.
            percent: The percent picked by a button when the line had several.
            attachment: A file kept with the report, in the same transaction.

        """
        refused = self.authorise(sender, task, parsed.text, "report")
        if refused is not None:
            return refused
        if percent is not None:
            if percent not in parsed.percents:
                return Outcome("usage", m.text(f"Tiến độ không có trong báo cáo. {USAGE}"))
            parsed = pick_percent(parsed, percent)
        problem = _problem(parsed, m, picked=percent is not None)
        if problem is not None:
            return problem
        note, cut = cap_note(parsed.note)
        role = self.store.report_role(self.store.member(sender.user_id), task)[0] or LEAD
        kept: Evidence | None = None
        try:
            with write_lock(self.store.db):
                report = self.store.record_task(
                    task,
                    self.document_of(task),
                    **author_fields(sender),
                    progress=parsed.percent,
                    status=parsed.status,
                    note=note,
                    role=role,
                )
                if attachment is not None:
                    kept = self.evidence.add(report, attachment, **_where(sender))
        except DatabaseBusy:
            return Outcome("busy", m.text(BUSY))
        text = self._confirm(task, report, today, m, cut=cut, kept=kept)
        short = _short(self.named(task), report, m) + (
            m.text(" · 📎 đã lưu minh chứng") if kept else ""
        )
        return Outcome("saved", text, report=report, short=short, evidence=kept)

    def _confirm(
        self,
        task: Task,
        report: Report,
        today: date,
        m: Markup,
        *,
        cut: bool,
        kept: Evidence | None = None,
    ) -> str:
        lines = [
            m.bold(f"✅ Đã ghi nhận nhiệm vụ {self.named(task)}: ")
            + m.text(views.change_text(report)),
            m.text(shorten(task.content)),
        ]
        if report.note:
            lines.append(m.italic(f"Ghi chú: {report.note}"))
        if cut:
            lines.append(m.italic(f"Ghi chú dài quá {number(NOTE_LIMIT)} ký tự nên đã được cắt."))
        if kept is not None:
            lines.append(m.text(f"📎 Đã lưu minh chứng: {views.evidence_line(kept)}"))
        if report.role == COORDINATING:
            lines.append(m.italic(views.COORDINATING_NOTE))
        lines.append(m.text(views.state_line(task, self.state_of(task), today)))
        lines.append(m.italic(f"Báo cáo #{report.id}. {_undo_hint()}"))
        return "\n".join(lines)

    def _submit_indicator(
        self, parsed: ParsedReport, sender: Sender, m: Markup, document: int | None = None
    ) -> Outcome:
        found = self._by_words(
            parsed.topic, "indicator", sender.chat_id, document, floor=FOUND_THRESHOLD
        )
        if found is None:
            return Outcome("usage", m.text(f"Không rõ chỉ tiêu nào. {USAGE}"))
        if isinstance(found, Ask):
            return self._which_document_by_words(parsed.topic, "chỉ tiêu", found, m)
        shelf, choices = found
        ind = shelf.engine.indicators[choices[0].id]
        refused = self.authorise(sender, ind, parsed.text, "indicator")
        if refused is not None:
            return refused
        value = self._indicator_value(parsed, ind, m)
        if isinstance(value, Outcome):
            return value
        report = self._record_indicator(ind, value, parsed, sender, m)
        if isinstance(report, Outcome):
            return report
        where = f" ({shelf.label})" if self.several else ""
        return _indicator_saved(ind, value, parsed, report, where, m)

    def _indicator_value(self, parsed: ParsedReport, ind: Indicator, m: Markup) -> float | Outcome:
        """The value of a target check-in, or why it cannot be read."""
        if not parsed.value:
            return Outcome("usage", m.text(f"Thiếu giá trị của chỉ tiêu. {USAGE}"))
        value, ambiguous = read_number(parsed.value, ind.low)
        if value is not None:
            return value
        if ambiguous:
            raw = parsed.value
            return Outcome(
                "ask",
                m.text(
                    f"“{raw}” là {raw.replace('.', '')} hay {raw.replace('.', ',')}? Gõ lại với "
                    "dấu phẩy cho phần thập phân, ví dụ 46,2."
                ),
            )
        return Outcome("usage", m.text(f"Không đọc được giá trị “{parsed.value}”. {USAGE}"))

    # -- undo and edits -------------------------------------------------------------

    def undo(self, report_id: int, sender: Sender, now: datetime, m: Markup = PLAIN) -> Outcome:
        """Undo a report (``write_rules.undo_refusal``), with the rights checked now."""
        report = self.store.report(report_id) if 0 < report_id < 2**63 else None
        if report is None:
            return Outcome("usage", m.text("Không tìm thấy báo cáo này."))
        text = f"undo #{report_id}"
        refused = self.authorise(sender, self.target_of(report), text, "undo")
        if refused is not None:
            return refused
        reason = undo_refusal(
            report,
            self.store.latest(report),
            user_id=sender.user_id,
            undone=self.store.undone(report),
            now=now,
        )
        if reason is not None:
            return self.refuse(sender, reason, text, "undo")
        try:
            undone = self.store.undo(report, user_id=sender.user_id, user_name=sender.name)
        except DatabaseBusy:
            return Outcome("busy", m.text(BUSY))
        return Outcome(
            "saved",
            m.bold(f"↩️ Đã hoàn tác báo cáo #{report.id}")
            + m.text(f" (ghi nhận #{undone.id}): {views.change_text(undone)}."),
            report=undone,
        )

    def amend(self, text: str, sender: Sender, now: datetime, m: Markup = PLAIN) -> Outcome | None:
        """An edited message that was a report amends it; None if it was not a report.

        The edit passes the same gate and bounds as a new report, plus
        ``write_rules.edit_refusal``; an edit naming another task is refused.
        """
        rows = self.store.reports_for_message(sender.chat_id, sender.message_id)
        if not rows:
            return None
        first, current = rows[0], rows[-1]
        target = self.target_of(first)
        refused = self.authorise(sender, target, text, "amend")
        if refused is not None:
            return refused
        reason = edit_refusal(
            first, current, self.store.latest(current), user_id=sender.user_id, now=now
        )
        if reason is not None:
            return self.refuse(sender, reason, text, "amend")
        parsed = parse_report(command_body(text), indicator=first.kind == "indicator")
        if isinstance(target, Task):
            return self._amend_task(target, first, parsed, sender, now, m)
        if isinstance(target, Indicator):
            return self._amend_indicator(target, first, parsed, sender, m)
        return Outcome("usage", m.text(f"Bản sửa không đọc được. {USAGE}"))

    def _amend_task(
        self,
        task: Task,
        first: Report,
        parsed: ParsedReport,
        sender: Sender,
        now: datetime,
        m: Markup,
    ) -> Outcome:
        own = self.shelf_of(task).engine
        if parsed.code and own.task(parsed.code) is not task:
            reason = (
                f"bản sửa nêu nhiệm vụ {parsed.code}, còn báo cáo #{first.id} là của nhiệm vụ "
                f"{task.code}; hãy gửi báo cáo mới cho {parsed.code}"
            )
            return self.refuse(sender, reason, parsed.text, "amend")
        problem = _problem(parsed, m)
        if problem is not None:
            if problem.kind == "choose_percent":
                problem = Outcome("usage", m.text("Bản sửa có nhiều con số phần trăm. " + USAGE))
            return problem
        note, _ = cap_note(parsed.note)
        try:
            report = self.store.record_task(
                task,
                self.document_of(task),
                **author_fields(sender),
                progress=parsed.percent,
                status=parsed.status,
                note=note,
                action="amend",
                ref_report=first.id,
                role=first.role,
            )
        except DatabaseBusy:
            return Outcome("busy", m.text(BUSY))
        return Outcome(
            "saved",
            m.bold(f"✏️ Đã sửa báo cáo #{first.id} (ghi nhận #{report.id}): ")
            + m.text(views.change_text(report)),
            report=report,
        )

    def _record_indicator(
        self,
        ind: Indicator,
        value: float,
        parsed: ParsedReport,
        sender: Sender,
        m: Markup,
        *,
        amends: Report | None = None,
    ) -> Report | Outcome:
        """Write a target check-in (or an amendment of ``amends``); the busy line if locked."""
        note, _ = cap_note(parsed.note)
        try:
            return self.store.record_indicator(
                ind,
                self.document_of(ind),
                value=value,
                value_text=parsed.value,
                year=parsed.year,
                **author_fields(sender),
                note=note,
                action="amend" if amends else "report",
                ref_report=amends.id if amends else None,
            )
        except DatabaseBusy:
            return Outcome("busy", m.text(BUSY))

    def _amend_indicator(
        self, ind: Indicator, first: Report, parsed: ParsedReport, sender: Sender, m: Markup
    ) -> Outcome:
        value = self._indicator_value(parsed, ind, m)
        if isinstance(value, Outcome):
            return Outcome("usage", m.text(f"Bản sửa không đọc được. {USAGE}"))
        report = self._record_indicator(ind, value, parsed, sender, m, amends=first)
        if isinstance(report, Outcome):
            return report
        return Outcome(
            "saved",
            m.bold(f"✏️ Đã sửa báo cáo #{first.id}: ") + m.text(compare(ind, value)),
            report=report,
        )

    # -- evidence -------------------------------------------------------------------

    def attach(
        self, report_id: int, file: Attachment, sender: Sender, now: datetime, m: Markup = PLAIN
    ) -> Outcome:
        """Keep ``file`` as evidence of report ``report_id`` (a reply to its confirmation).

        The sender's rights on the task are checked now, then
        :func:`knowledge.progress.write_rules.attach_refusal`.
        """
        report = self.store.report(report_id) if 0 < report_id < 2**63 else None
        if report is None:
            return Outcome("usage", m.text("Không tìm thấy báo cáo này."))
        text = f"attach #{report_id} {file.file_name or file.kind}"
        refused = self.authorise(sender, self.target_of(report), text, "attach")
        if refused is not None:
            return refused
        reason = attach_refusal(
            report, user_id=sender.user_id, undone=self.store.undone(report), now=now
        )
        if reason is not None:
            return self.refuse(sender, reason, text, "attach")
        try:
            kept = self.evidence.add(report, file, **_where(sender))
        except DatabaseBusy:
            return Outcome("busy", m.text(BUSY))
        if kept is None:
            return Outcome("usage", m.text(f"Tệp này đã được gắn vào báo cáo #{report.id}."))
        return Outcome(
            "saved",
            m.bold(f"📎 Đã lưu minh chứng cho báo cáo #{report.id} (nhiệm vụ {report.target}): ")
            + m.text(views.evidence_line(kept)),
            report=report,
            evidence=kept,
        )

    # -- views --------------------------------------------------------------------

    def state_line(self, task: Task, today: date) -> str:
        """One line on where a task stands, for task cards."""
        return views.state_line(task, self.state_of(task), today)

    def overview(self, today: date, m: Markup = PLAIN) -> str:
        """Counts of tasks by part and computed status; per document when there are several."""
        if not self.several:
            return views.overview(self.documents[0].engine, self.store, today, m)
        return "\n\n".join(
            m.bold(f"📄 {d.label}") + "\n" + views.overview(d.engine, self.store, today, m)
            for d in self.documents
        )

    def task_progress(self, task: Task, today: date, m: Markup = PLAIN) -> str:
        """The task card with its status, its last 5 reports and its evidence."""
        files = self.evidence.for_task(self.key_of(task))
        shelf = self.shelf_of(task)
        text = views.task_progress(shelf.engine, self.store, task, m, files)
        return m.bold(f"📄 {shelf.label}") + "\n" + text if self.several else text

    def agency_progress(self, name: str, today: date, m: Markup = PLAIN) -> str | None:
        """The status of every task a body leads, or None if the name is not a body.

        With several documents, each document that knows the body gives its part, under its
        name.
        """
        if not self.several:
            return views.agency_progress(self.documents[0].engine, self.store, name, today, m)
        found = [
            (d, text)
            for d in self.documents
            if (text := views.agency_progress(d.engine, self.store, name, today, m)) is not None
        ]
        if not found:
            return None
        return "\n\n".join(m.bold(f"📄 {d.label}") + "\n" + text for d, text in found)


def _which_document(code: str, shelves: list[Shelf], m: Markup) -> Outcome:
    """The question which document's task ``code`` a report is about (one button each)."""
    return Outcome(
        "choose_document",
        m.text(f"Nhiệm vụ {code} có trong {len(shelves)} văn bản. Bạn cập nhật văn bản nào?"),
        documents=[(d.id, d.label) for d in shelves],
    )


def _indicator_saved(
    ind: Indicator, value: float, parsed: ParsedReport, report: Report, where: str, m: Markup
) -> Outcome:
    """The confirmation of a target check-in; ``where`` names its document when several."""
    year = f" năm {parsed.year}" if parsed.year else ""
    name = re.sub(r"\s*(?:đến )?năm \d{4}", "", ind.name) if parsed.year else ind.name
    shown = number(value) + ("%" if ind.unit.startswith("%") else f" {ind.unit}".rstrip())
    lines = [
        m.bold(f"✅ Đã ghi nhận chỉ tiêu{where}: ") + m.text(f"{name}{year}: {shown}"),
        m.text(compare(ind, value)),
        m.italic(f"Báo cáo #{report.id}. {_undo_hint()}"),
    ]
    short = m.text(f"👍 Đã ghi nhận chỉ tiêu {name}{year}: {shown} · Báo cáo #{report.id}")
    return Outcome("saved", "\n".join(lines), report=report, short=short)


def _undo_hint() -> str:
    minutes = int(UNDO_WINDOW.total_seconds() // 60)
    return f"Có thể hoàn tác trong {minutes} phút."


def _short(named: str, report: Report, m: Markup) -> str:
    """The one-line confirmation of a task report (quiet groups); ``named``: its code."""
    return m.text(
        f"👍 Đã ghi nhận nhiệm vụ {named}: {views.change_text(report)} · Báo cáo #{report.id}"
    )


def _where(sender: Sender) -> dict[str, int]:
    """The message a file came with, as :meth:`EvidenceStore.add` takes it."""
    return {"chat_id": sender.chat_id, "message_id": sender.message_id}


def author_fields(sender: Sender) -> dict[str, Any]:
    """Who and where, as the store's record_* methods take them."""
    return {
        "user_id": sender.user_id,
        "user_name": sender.name,
        "chat_id": sender.chat_id,
        "message_id": sender.message_id,
    }
