"""Taking progress reports: resolve the task or target, check permission, write, confirm.

This is the whole write path the bot uses, without Telegram: the handlers pass
what they know about the message (who, where, forwarded or not) and render the
:class:`Outcome`. Every refusal says why in one line, writes nothing but an
audit row, and the bot confirms only what has been committed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from knowledge.engine import FOUND_THRESHOLD, Engine, Result
from knowledge.formatting import day, number
from knowledge.model import Indicator, Task
from knowledge.progress import (
    STATUS_LABELS,
    ProgressStore,
    Report,
    TaskState,
    task_status,
)
from knowledge.render import PLAIN, Markup, shorten
from knowledge.report_text import ParsedReport, command_body, parse_report, read_number

__all__ = ["USAGE", "Outcome", "Reporting", "Sender"]

USAGE = (
    "Cú pháp: /capnhat <mã hoặc tên nhiệm vụ> <tiến độ %> <tình trạng> <ghi chú>. "
    "Ví dụ: /capnhat 5.3 60% đã ban hành kế hoạch; /capnhat II.8 hoàn thành; "
    "/capnhat chỉ tiêu che phủ rừng 46,2% năm 2024"
)
# A task named by words is written at once only when it is this clear a winner.
CLEAR_LEAD = 1.1


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


@dataclass
class Outcome:
    """What happened to a report.

    Attributes:
        kind: ``saved``, ``refused``, ``usage``, ``choose`` (several tasks match)
            or ``ask`` (a number needs confirming).
        text: The message to send.
        report: The committed row, for ``saved``.
        choices: Candidate tasks or targets for ``choose``.

    """

    kind: str
    text: str
    report: Report | None = None
    choices: list[Result] = field(default_factory=list)


class Reporting:
    """The write side of the bot: reports, undo, amendments, status views."""

    def __init__(self, engine: Engine, store: ProgressStore) -> None:
        """Use ``engine`` to resolve tasks and targets and ``store`` to keep reports."""
        self.engine = engine
        self.store = store
        store.bind(engine.programme.tasks, engine.programme.indicators)

    # -- helpers -------------------------------------------------------------

    def state_line(self, task: Task, today: date) -> str:
        """One line on where a task stands, for task cards."""
        state = self.store.state(task)
        return _state_line(task, state, today)

    def _refuse(self, sender: Sender, reason: str, text: str, action: str) -> Outcome:
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

    def _gatekeep(self, sender: Sender, text: str, action: str) -> Outcome | None:
        # On behalf of a chat first: an anonymous admin's sender is a bot account.
        if sender.on_behalf_of_chat:
            reason = (
                "tin nhắn gửi dưới danh nghĩa nhóm hoặc kênh (quản trị viên ẩn danh) không cho "
                "biết ai báo cáo; hãy tắt chế độ ẩn danh rồi gửi lại"
            )
            return self._refuse(sender, reason, text, action)
        if sender.is_bot:
            return self._refuse(sender, "tin nhắn của bot khác", text, action)
        if sender.forwarded:
            reason = "tin nhắn chuyển tiếp không dùng để cập nhật, hãy tự gõ báo cáo"
            return self._refuse(sender, reason, text, action)
        if self.store.member(sender.user_id) is None:
            return self._refuse(
                sender,
                "bạn chưa được cấp quyền cập nhật tiến độ (nhờ quản trị viên dùng /quyen)",
                text,
                action,
            )
        return None

    # -- reports ----------------------------------------------------------------

    def submit(
        self,
        text: str,
        sender: Sender,
        today: date,
        *,
        task_code: str | None = None,
        m: Markup = PLAIN,
    ) -> Outcome:
        """Take a report line (what follows /capnhat, or a reply to a task card).

        Args:
            text: The report.
            sender: Who sent it and how.
            today: Today in the bot's time zone (for the status).
            task_code: The task, when the report replies to its card.
            m: Markup for the confirmation.

        Returns:
            The outcome; ``saved`` only after the row is committed.

        """
        if not text.strip() and not task_code:
            return Outcome("usage", m.text(USAGE))
        refused = self._gatekeep(sender, text, "report")
        if refused is not None:
            return refused
        parsed = parse_report(text)
        if parsed.indicator:
            return self._submit_indicator(parsed, sender, m)
        task = self.engine.task(task_code or parsed.code) if (task_code or parsed.code) else None
        if task is None and (task_code or parsed.code):
            return Outcome(
                "usage", m.text(f"Không có nhiệm vụ mã {task_code or parsed.code}. {USAGE}")
            )
        if parsed.bad_percent:
            return Outcome(
                "usage",
                m.text(f"Tiến độ “{parsed.percent_raw}” phải từ 0 đến 100%. {USAGE}"),
            )
        if parsed.percent is None and not parsed.status:
            return Outcome("usage", m.text(f"Thiếu tiến độ (%) hoặc tình trạng. {USAGE}"))
        if task is None:
            choices = self.engine.suggest(parsed.topic, limit=3, kinds={"task"})
            clear = (
                choices
                and choices[0].score >= FOUND_THRESHOLD
                and (len(choices) == 1 or choices[0].score >= choices[1].score * CLEAR_LEAD)
            )
            if not choices:
                return Outcome(
                    "usage", m.text(f"Không tìm thấy nhiệm vụ “{parsed.topic}”. {USAGE}")
                )
            if not clear:
                return Outcome(
                    "choose",
                    m.text("Bạn muốn cập nhật nhiệm vụ nào?"),
                    choices=choices,
                )
            task = self.engine.tasks[choices[0].id]
        return self.write_task(task, parsed, sender, today, m)

    def write_task(
        self, task: Task, parsed: ParsedReport, sender: Sender, today: date, m: Markup = PLAIN
    ) -> Outcome:
        """Check permission on ``task`` and write the report (also after a button pick)."""
        refused = self._gatekeep(sender, parsed.text, "report")
        if refused is not None:
            return refused
        allowed, reason = self.store.may_report_task(self.store.member(sender.user_id), task)
        if not allowed:
            return self._refuse(sender, reason, parsed.text, "report")
        report = self.store.record_task(
            task,
            **_author(sender),
            progress=parsed.percent,
            status=parsed.status,
            note=parsed.note,
        )
        return Outcome("saved", self._confirm(task, report, today, m), report=report)

    def _confirm(self, task: Task, report: Report, today: date, m: Markup) -> str:
        change = _change(report)
        lines = [
            m.bold(f"✅ Đã ghi nhận nhiệm vụ {task.code}: ") + m.text(change),
            m.text(shorten(task.content)),
        ]
        if report.note:
            lines.append(m.italic(f"Ghi chú: {report.note}"))
        lines.append(m.text(_state_line(task, self.store.state(task), today)))
        lines.append(m.italic(f"Báo cáo #{report.id}. Có thể hoàn tác trong 10 phút."))
        return "\n".join(lines)

    def _submit_indicator(self, parsed: ParsedReport, sender: Sender, m: Markup) -> Outcome:
        choices = self.engine.suggest(parsed.topic, limit=3, kinds={"indicator"})
        if not parsed.topic or not choices or choices[0].score < FOUND_THRESHOLD:
            return Outcome("usage", m.text(f"Không rõ chỉ tiêu nào. {USAGE}"))
        ind = self.engine.indicators[choices[0].id]
        allowed, reason = self.store.may_report_indicator(self.store.member(sender.user_id), ind)
        if not allowed:
            return self._refuse(sender, reason, parsed.text, "indicator")
        if not parsed.value:
            return Outcome("usage", m.text(f"Thiếu giá trị của chỉ tiêu. {USAGE}"))
        value, ambiguous = read_number(parsed.value, ind.low)
        if value is None:
            text = (
                f"“{parsed.value}” là {parsed.value.replace('.', '')} hay "
                f"{parsed.value.replace('.', ',')}? Gõ lại với dấu phẩy cho phần thập phân, "
                f"ví dụ 46,2."
                if ambiguous
                else f"Không đọc được giá trị “{parsed.value}”. {USAGE}"
            )
            return Outcome("ask" if ambiguous else "usage", m.text(text))
        report = self.store.record_indicator(
            ind,
            value=value,
            value_text=parsed.value,
            year=parsed.year,
            **_author(sender),
            note=parsed.note,
        )
        year = f" năm {parsed.year}" if parsed.year else ""
        name = re.sub(r"\s*(?:đến )?năm \d{4}", "", ind.name) if parsed.year else ind.name
        shown = number(value) + ("%" if ind.unit.startswith("%") else f" {ind.unit}".rstrip())
        lines = [
            m.bold("✅ Đã ghi nhận chỉ tiêu: ") + m.text(f"{name}{year}: {shown}"),
            m.text(compare(ind, value)),
            m.italic(f"Báo cáo #{report.id}. Có thể hoàn tác trong 10 phút."),
        ]
        return Outcome("saved", "\n".join(lines), report=report)

    def undo(self, report_id: int, sender: Sender, now: datetime, m: Markup = PLAIN) -> Outcome:
        """Undo a report: only its author, within 10 minutes, once."""
        report = self.store.report(report_id)
        if report is None:
            return Outcome("usage", m.text("Không tìm thấy báo cáo này."))
        if not self.store.undo_allowed(report, sender.user_id, now):
            return self._refuse(
                sender,
                "chỉ người gửi báo cáo được hoàn tác, trong vòng 10 phút",
                f"undo #{report_id}",
                "undo",
            )
        undone = self.store.undo(report, user_id=sender.user_id, user_name=sender.name)
        return Outcome(
            "saved",
            m.bold(f"↩️ Đã hoàn tác báo cáo #{report.id}")
            + m.text(f" (ghi nhận #{undone.id}): {_change(undone)}."),
            report=undone,
        )

    def amend(self, text: str, sender: Sender, today: date, m: Markup = PLAIN) -> Outcome | None:
        """An edited message that was a report amends it; None if it was not a report."""
        original = self.store.report_for_message(sender.chat_id, sender.message_id)
        if original is None:
            return None
        if original.user_id != sender.user_id:
            return self._refuse(sender, "chỉ người gửi được sửa báo cáo", text, "amend")
        parsed = parse_report(command_body(text), indicator=original.kind == "indicator")
        if original.kind == "task":
            task = self.engine.task(original.target)
            if task is None or (parsed.percent is None and not parsed.status):
                return Outcome("usage", m.text(f"Bản sửa không đọc được. {USAGE}"))
            report = self.store.record_task(
                task,
                **_author(sender),
                progress=parsed.percent,
                status=parsed.status,
                note=parsed.note,
                action="amend",
                ref_report=original.id,
            )
            return Outcome(
                "saved",
                m.bold(f"✏️ Đã sửa báo cáo #{original.id} (ghi nhận #{report.id}): ")
                + m.text(_change(report)),
                report=report,
            )
        ind = self.engine.indicators.get(original.target)
        value, _ = (
            read_number(parsed.value, ind.low if ind else None) if parsed.value else (None, 0)
        )
        if ind is None or value is None:
            return Outcome("usage", m.text(f"Bản sửa không đọc được. {USAGE}"))
        report = self.store.record_indicator(
            ind,
            value=value,
            value_text=parsed.value,
            year=parsed.year,
            **_author(sender),
            note=parsed.note,
            action="amend",
            ref_report=original.id,
        )
        return Outcome(
            "saved",
            m.bold(f"✏️ Đã sửa báo cáo #{original.id}: ") + m.text(compare(ind, value)),
            report=report,
        )

    # -- views --------------------------------------------------------------------

    def overview(self, today: date, m: Markup = PLAIN) -> str:
        """Counts of tasks by part and computed status."""
        lines = [
            m.bold(f"Tiến độ {len(self.engine.programme.tasks)} nhiệm vụ (ngày {day(today)}):")
        ]
        parts: dict[str, list[Task]] = {}
        for t in self.engine.programme.tasks:
            parts.setdefault(f"{t.part}. {t.part_title}", []).append(t)
        total: dict[str, int] = dict.fromkeys(STATUS_LABELS, 0)
        for title, tasks in parts.items():
            counts: dict[str, int] = dict.fromkeys(STATUS_LABELS, 0)
            for t in tasks:
                counts[task_status(t, self.store.state(t), today)] += 1
            for k, v in counts.items():
                total[k] += v
            lines.append(m.bold(title))
            lines.extend(f"• {m.text(k)}: {v}" for k, v in counts.items() if v)
        lines.append(m.bold("Tổng cộng"))
        lines.extend(f"• {m.text(k)}: {v}" for k, v in total.items() if v)
        lines.append(m.italic("Xem một nhiệm vụ: /tiendo 5.3 · theo cơ quan: /tiendo Ban Dân vận"))
        return "\n".join(lines)

    def task_progress(self, task: Task, today: date, m: Markup = PLAIN) -> str:
        """The task card with its status and its last 5 reports."""
        lines = [self.engine.card("task", task.code, m) or ""]
        history = self.store.history(task, 5)
        if history:
            lines.append(m.bold("Báo cáo gần nhất:"))
            lines.extend(m.text(_history_line(r)) for r in history)
        else:
            lines.append(m.italic("Chưa có báo cáo nào."))
        return "\n".join(lines)

    def agency_progress(self, name: str, today: date, m: Markup = PLAIN) -> str | None:
        """The status of every task a body leads, or None if the name is not a body."""
        found = self.engine.resolve_agency(name)
        if found is None:
            return None
        tasks = self.engine.tasks_led_by(found)
        if not tasks:
            return m.text(f"{found} không chủ trì nhiệm vụ nào trong Phụ lục.")
        lines = [m.bold(f"Tiến độ các nhiệm vụ do {found} chủ trì:")]
        for t in tasks:
            state = self.store.state(t)
            lines.append(
                f"• {m.bold(t.code)} {m.text(shorten(t.content, 70))} — "
                + m.text(_state_line(t, state, today).removeprefix("Tình trạng: "))
            )
        return "\n".join(lines)


def _author(sender: Sender) -> dict[str, Any]:
    """Who and where, as the store's record_* methods take them."""
    return {
        "user_id": sender.user_id,
        "user_name": sender.name,
        "chat_id": sender.chat_id,
        "message_id": sender.message_id,
    }


def compare(ind: Indicator, value: float) -> str:
    """Whether a reported value meets the target, by the target's comparator."""
    target = f"mục tiêu {ind.value}" + (f" (năm {ind.year})" if ind.year else "")
    low, high = ind.low, ind.high
    if low is None or ind.comparator in ("gấp", "giảm"):
        return f"So với {target}: cần đối chiếu với năm gốc, không so sánh tự động."
    comp = ind.comparator
    met = {
        "trên": value > low,
        "dưới": value < low,
        "ít nhất": value >= low,
        "từ-đến": low <= value <= (high if high is not None else low),
        "đạt": value >= low,
    }.get(comp, value >= low)
    if met:
        return f"✅ Đạt {target}."
    gap = abs(low - value)
    unit = " điểm %" if ind.unit.startswith("%") else f" {ind.unit}".rstrip()
    direction = "vượt" if comp == "dưới" else "còn thiếu"
    return f"⚠️ Chưa đạt {target}: {direction} {number(round(gap, 2))}{unit}."


def pct_text(value: float | None) -> str:
    """A progress figure for messages: "60%", or "—" when there is none."""
    return "—" if value is None else f"{number(value)}%"


def _change(report: Report) -> str:
    parts = []
    if report.old_progress != report.new_progress:
        parts.append(f"tiến độ {pct_text(report.old_progress)} → {pct_text(report.new_progress)}")
    if report.old_status != report.new_status:
        parts.append(f"tình trạng {report.old_status or '—'} → {report.new_status or '—'}")
    return "; ".join(parts) or "không đổi tiến độ, thêm ghi chú"


def _state_line(task: Task, state: TaskState, today: date) -> str:
    label = task_status(task, state, today)
    if not state.reports:
        return f"Tình trạng: {label}"
    when = datetime.fromisoformat(state.last_at).date()
    progress = pct_text(state.progress) if state.progress is not None else ""
    figures = ", ".join(x for x in (progress, state.status) if x)
    return f"Tình trạng: {label} ({figures}; cập nhật {day(when)})"


def _history_line(r: Report) -> str:
    when = datetime.fromisoformat(r.at).date()
    who = r.user_name or f"id {r.user_id}"
    action = {"undo": "hoàn tác", "amend": "sửa"}.get(r.action, "báo cáo")
    note = f" — {r.note}" if r.note else ""
    return f"#{r.id} {day(when)} {who} ({action}): {_change(r)}{note}"
