"""The pure rules of the write path (knowledge.progress.write_rules) and status derivation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from knowledge.progress.log import Report, TaskState, derive_status
from knowledge.progress.write_rules import NOTE_LIMIT, cap_note, edit_refusal, undo_refusal

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
BASE = Report(
    id=1,
    at=T0.isoformat(),
    user_id=7,
    user_name="Lan",
    chat_id=-1,
    message_id=10,
    kind="task",
    target="II.3",
    target_key="k",
    title="",
    action="report",
    ref_report=None,
    old_progress=None,
    new_progress=40.0,
    old_status="",
    new_status="đang thực hiện",
    value=None,
    value_text="",
    year=None,
    note="",
)
LATER = replace(BASE, id=2, user_id=8, user_name="Minh", message_id=11)


def test_undo_by_the_author_in_time_while_newest():
    assert undo_refusal(BASE, BASE, user_id=7, undone=False, now=T0 + timedelta(minutes=5)) is None


@pytest.mark.parametrize(
    ("report", "latest", "user_id", "undone", "minutes", "says"),
    [
        (BASE, BASE, 8, False, 1, "chỉ người gửi"),
        (BASE, BASE, 7, True, 1, "đã được hoàn tác"),
        (BASE, BASE, 7, False, 11, "10 phút"),
        (BASE, LATER, 7, False, 1, "#2 của Minh"),
        (replace(BASE, action="undo"), BASE, 7, False, 1, "một lần hoàn tác"),
    ],
)
def test_undo_refusals(report, latest, user_id, undone, minutes, says):
    now = T0 + timedelta(minutes=minutes)
    reason = undo_refusal(report, latest, user_id=user_id, undone=undone, now=now)
    assert reason is not None and says in reason


def test_edit_rules():
    soon = T0 + timedelta(hours=1)
    assert edit_refusal(BASE, BASE, BASE, user_id=7, now=soon) is None
    assert "chỉ người gửi" in (edit_refusal(BASE, BASE, BASE, user_id=8, now=soon) or "")
    late = T0 + timedelta(hours=49)
    assert "48 giờ" in (edit_refusal(BASE, BASE, BASE, user_id=7, now=late) or "")
    assert "Minh" in (edit_refusal(BASE, BASE, LATER, user_id=7, now=soon) or "")
    undo = replace(BASE, id=3, action="undo", ref_report=1)
    assert "hoàn tác" in (edit_refusal(BASE, BASE, undo, user_id=7, now=soon) or "")
    # The window runs from the first row: an amendment does not extend it.
    amended = replace(BASE, id=4, action="amend", at=(T0 + timedelta(hours=40)).isoformat())
    assert "48 giờ" in (edit_refusal(BASE, amended, amended, user_id=7, now=late) or "")


def test_cap_note_cuts_at_a_word():
    note, cut = cap_note("lời " * 400)
    assert cut and len(note) <= NOTE_LIMIT and note.endswith("…")
    assert cap_note("x" * NOTE_LIMIT) == ("x" * NOTE_LIMIT, False)


DONE = TaskState(progress=100.0, status="hoàn thành", reports=1)
HALF = TaskState(progress=50.0, status="đang thực hiện", reports=1)


@pytest.mark.parametrize(
    ("progress", "status", "current", "expected"),
    [
        (50.0, "", DONE, (50.0, "đang thực hiện")),
        (100.0, "", HALF, (100.0, "hoàn thành")),
        (None, "hoàn thành", HALF, (100.0, "hoàn thành")),
        (60.0, "hoàn thành", HALF, (60.0, "đang thực hiện")),
        (None, "tạm dừng", HALF, (50.0, "tạm dừng")),
        (None, "đang thực hiện", DONE, (None, "đang thực hiện")),
        (None, "", HALF, (50.0, "đang thực hiện")),
        (0.0, "", TaskState(), (0.0, "chưa thực hiện")),
    ],
)
def test_derive_status(progress, status, current, expected):
    assert derive_status(progress, status, current) == expected
