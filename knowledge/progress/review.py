"""An admin's review of a completed task: confirm it, or return it with a reason.

Both are rows of the append-only report log: ``confirm`` (the values carry over; the
task's status then reads "… (đã xác nhận)") and ``return`` (the task goes back to
"đang thực hiện", the note is the reason). Both pass :meth:`Reporting.authorise` with
``admin_only``: rights are checked at the time of the press or command, so a reporter,
a stranger or a removed admin is refused with an audit row. The state is read under the
write lock, so two admins pressing at once write one row: a task that is not done now
cannot be confirmed or returned, and a confirmed task is not confirmed twice.

The author of the report that said the task was done is told (in private) of either.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.programme.model import Task
from knowledge.progress.log import CONFIRM, RETURN, DatabaseBusy, write_lock
from knowledge.progress.report_text import IN_PROGRESS
from knowledge.progress.reporting import BUSY, Outcome, Reporting, Sender, author_fields
from knowledge.progress.write_rules import cap_note
from knowledge.render import PLAIN, Markup

__all__ = ["RETURN_USAGE", "Notice", "Reviewed", "confirm", "not_done", "send_back"]

RETURN_USAGE = (
    "Cú pháp: /tralai <mã nhiệm vụ> <lý do>. Ví dụ: /tralai 5.3 thiếu quyết định ban hành"
)


@dataclass(frozen=True)
class Notice:
    """A private message to the reporter whose completion was reviewed."""

    user_id: int
    name: str
    text: str


@dataclass(frozen=True)
class Reviewed:
    """What a review did: the outcome for the admin and who else to tell."""

    outcome: Outcome
    notice: Notice | None = None


def not_done(service: Reporting, task: Task, sender: Sender, text: str, action: str) -> Outcome:
    """Refuse a review of a task that is not done now (with its audit row)."""
    what = "xác nhận" if action == CONFIRM else "trả lại"
    reason = f"nhiệm vụ {task.code} hiện không ở trạng thái hoàn thành, không có gì để {what}"
    return service.refuse(sender, reason, text, action)


def confirm(service: Reporting, task: Task, sender: Sender, m: Markup = PLAIN) -> Reviewed:
    """Confirm that ``task`` is complete (an admin; idempotent)."""
    text = f"confirm {task.code}"
    refused = service.authorise(sender, task, text, CONFIRM, admin_only=True)
    if refused is not None:
        return Reviewed(refused)
    store = service.store
    document = service.document_of(task)
    try:
        with write_lock(store.db):
            state = store.state(task, document)
            if not state.done:
                return Reviewed(not_done(service, task, sender, text, CONFIRM))
            if state.confirmed:
                said = f"Nhiệm vụ {task.code} đã được xác nhận hoàn thành trước đó."
                return Reviewed(Outcome("usage", m.text(said)))
            done = store.done_report(task, document)
            row = store.record_task(
                task,
                document,
                **author_fields(sender),
                action=CONFIRM,
                ref_report=done.id if done else None,
            )
    except DatabaseBusy:
        return Reviewed(Outcome("busy", m.text(BUSY)))
    by = f" (báo cáo #{done.id} của {done.user_name or done.user_id})" if done else ""
    said = m.bold(f"✅ Đã xác nhận hoàn thành nhiệm vụ {task.code}") + m.text(
        f"{by}, ghi nhận #{row.id}."
    )
    notice = None
    if done is not None and done.user_id != sender.user_id:
        notice = Notice(
            done.user_id,
            done.user_name,
            m.bold(f"✅ Nhiệm vụ {task.code} đã được xác nhận hoàn thành")
            + m.text(f" (báo cáo #{done.id} của bạn; người xác nhận: {sender.name})."),
        )
    return Reviewed(Outcome("saved", said, report=row), notice)


def send_back(
    service: Reporting, task: Task, reason: str, sender: Sender, m: Markup = PLAIN
) -> Reviewed:
    """Return ``task`` to "đang thực hiện" with ``reason`` (an admin; only while it is done)."""
    reason, _ = cap_note(" ".join(reason.split()))
    text = f"return {task.code} {reason}"
    refused = service.authorise(sender, task, text, RETURN, admin_only=True)
    if refused is not None:
        return Reviewed(refused)
    if not reason:
        return Reviewed(Outcome("usage", m.text(f"Cần nêu lý do trả lại. {RETURN_USAGE}")))
    store = service.store
    document = service.document_of(task)
    try:
        with write_lock(store.db):
            if not store.state(task, document).done:
                return Reviewed(not_done(service, task, sender, text, RETURN))
            done = store.done_report(task, document)
            row = store.record_task(
                task,
                document,
                **author_fields(sender),
                status=IN_PROGRESS,
                note=reason,
                action=RETURN,
                ref_report=done.id if done else None,
            )
    except DatabaseBusy:
        return Reviewed(Outcome("busy", m.text(BUSY)))
    said = m.bold(f"↩️ Đã trả lại nhiệm vụ {task.code}") + m.text(
        f" (ghi nhận #{row.id}): về “{IN_PROGRESS}”. Lý do: {reason}"
    )
    notice = None
    if done is not None and done.user_id != sender.user_id:
        notice = Notice(
            done.user_id,
            done.user_name,
            m.bold(f"↩️ Nhiệm vụ {task.code} bị trả lại")
            + m.text(
                f" (báo cáo #{done.id} của bạn chưa được xác nhận hoàn thành).\n"
                f"Lý do: {reason}\nNgười trả lại: {sender.name}. Nhiệm vụ trở về "
                f"“{IN_PROGRESS}”; khi xong, báo cáo lại: /capnhat {task.code} hoàn thành …"
            ),
        )
    return Reviewed(Outcome("saved", said, report=row), notice)
