"""The rules every change to the report log obeys, as small pure functions.

One place says who may change what and until when:

- **Undo** ("Hoàn tác"): only the author, within :data:`UNDO_WINDOW` of the report,
  once, and only while the report is still the newest row on its task or target;
  otherwise the refusal names who reported after it. An undo never removes anyone
  else's report.
- **Edit** (editing the Telegram message that carried a report): only the author,
  within :data:`EDIT_WINDOW` of the original report, only while the report is still
  the newest row on its task or target, never into another task. An older edit gets a
  line saying to send a new report.
- **Evidence** (a file sent as a reply to the bot's confirmation of a report): only the
  author, within :data:`EDIT_WINDOW` of the report, only on a task report or amendment
  that has not been undone. (A file sent with the report itself is part of the report.)
- **Review** rows (an admin's confirm or return) cannot be undone or edited; a return is
  answered with a new report, a wrong confirmation with a return.
- **Notes** are kept up to :data:`NOTE_LIMIT` characters; a longer note is cut and the
  confirmation says so.

Rights (member, role, agency) are checked by the caller *at the time of the change*,
not when the original was written: a removed or demoted member loses every path.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from knowledge.progress.log import WRITTEN, Report

__all__ = [
    "EDIT_WINDOW",
    "NOTE_LIMIT",
    "UNDO_WINDOW",
    "attach_refusal",
    "cap_note",
    "edit_refusal",
    "undo_refusal",
]

UNDO_WINDOW = timedelta(minutes=10)
EDIT_WINDOW = timedelta(hours=48)
NOTE_LIMIT = 1000


def _who(report: Report) -> str:
    return report.user_name or f"id {report.user_id}"


def _later(report: Report, latest: Report) -> str | None:
    """Why ``report`` is no longer the one to change, or None while it is the newest row."""
    if latest.id == report.id:
        return None
    if latest.action == "undo" and latest.ref_report == report.id:
        return f"báo cáo #{report.id} đã được hoàn tác"
    return (
        f"sau báo cáo #{report.id} đã có báo cáo #{latest.id} của {_who(latest)}; "
        "hãy gửi báo cáo mới"
    )


def undo_refusal(
    report: Report, latest: Report, *, user_id: int, undone: bool, now: datetime
) -> str | None:
    """Why ``user_id`` may not undo ``report`` now, or None when they may.

    Args:
        report: The row to undo.
        latest: The newest row on the same task or target.
        user_id: Who asks.
        undone: Whether an undo row already reverses ``report``.
        now: The current time (aware).

    Returns:
        One Vietnamese reason, or None.

    """
    if report.action == "undo":
        return "không hoàn tác được một lần hoàn tác"
    if report.action not in WRITTEN:
        return "không hoàn tác được việc xác nhận hay trả lại của quản trị viên"
    if report.user_id != user_id:
        return "chỉ người gửi báo cáo được hoàn tác"
    if undone:
        return f"báo cáo #{report.id} đã được hoàn tác"
    if now - datetime.fromisoformat(report.at) > UNDO_WINDOW:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        return f"chỉ hoàn tác được trong vòng {minutes} phút; hãy gửi báo cáo mới"
    return _later(report, latest)


def edit_refusal(
    first: Report, current: Report, latest: Report, *, user_id: int, now: datetime
) -> str | None:
    """Why ``user_id`` may not amend a report by editing its message, or None.

    Args:
        first: The row the message first made (the window runs from it).
        current: The newest row the message made (the report as amended so far).
        latest: The newest row on the same task or target.
        user_id: Who edited the message.
        now: The current time (aware).

    Returns:
        One Vietnamese reason, or None.

    """
    if first.user_id != user_id:
        return "chỉ người gửi được sửa báo cáo"
    if now - datetime.fromisoformat(first.at) > EDIT_WINDOW:
        hours = int(EDIT_WINDOW.total_seconds() // 3600)
        return f"chỉ sửa được báo cáo trong vòng {hours} giờ; hãy gửi báo cáo mới bằng /capnhat"
    return _later(current, latest)


def attach_refusal(report: Report, *, user_id: int, undone: bool, now: datetime) -> str | None:
    """Why ``user_id`` may not attach a file to ``report`` now, or None when they may.

    Args:
        report: The report the file would be evidence of.
        user_id: Who sent the file.
        undone: Whether an undo row already reverses ``report``.
        now: The current time (aware).

    Returns:
        One Vietnamese reason, or None.

    """
    if report.kind != "task" or report.action not in WRITTEN:
        return "minh chứng chỉ gắn được vào báo cáo tiến độ nhiệm vụ"
    if report.user_id != user_id:
        return "chỉ người gửi báo cáo được gắn minh chứng vào báo cáo đó"
    if undone:
        return f"báo cáo #{report.id} đã được hoàn tác"
    if now - datetime.fromisoformat(report.at) > EDIT_WINDOW:
        hours = int(EDIT_WINDOW.total_seconds() // 3600)
        return (
            f"chỉ gắn được minh chứng trong vòng {hours} giờ sau báo cáo; hãy gửi báo cáo mới "
            "kèm tệp (chú thích của tệp là /capnhat ...)"
        )
    return None


def cap_note(note: str) -> tuple[str, bool]:
    """The note as stored (at most :data:`NOTE_LIMIT` characters) and whether it was cut.

    >>> cap_note("ngắn")
    ('ngắn', False)
    >>> text, cut = cap_note("x" * 1500)
    >>> len(text), cut
    (1000, True)
    """
    if len(note) <= NOTE_LIMIT:
        return note, False
    cut = note.rfind(" ", 0, NOTE_LIMIT)
    cut = cut if cut > NOTE_LIMIT * 3 // 4 else NOTE_LIMIT - 1
    return note[:cut].rstrip() + "…", True
