"""The board's data (knowledge/digest/board.py): the counts of /tiendo, scopes, lists, pages."""

from __future__ import annotations

import re
from datetime import date

import pytest

from knowledge.digest.board import Board, Source, scope_for
from knowledge.digest.board_svg import status_bars, target_bars
from knowledge.progress import views as progress_views
from knowledge.progress.keys import document_key
from knowledge.progress.log import (
    ADMIN,
    NO_REPORT,
    OVERDUE,
    STATUS_LABELS,
    Member,
    ProgressStore,
    indicator_key,
)

TODAY = date(2021, 6, 1)  # Quý IV 2020 tasks are overdue, Quý II 2021 ones due within 30 days
ADMIN_ID, REPORTER_ID = 1, 2
AGENCY = "Ban Tuyên giáo Tỉnh ủy"


@pytest.fixture
def store(db, engine):
    store = ProgressStore(db, admin_ids={ADMIN_ID})
    doc = document_key(engine.programme)
    store.bind([(doc, engine.programme.tasks, engine.programme.indicators)])
    tasks = engine.tasks
    store.record_task(tasks["5.3"], doc, user_id=ADMIN_ID, user_name="Hùng", progress=60.0)
    store.record_task(
        tasks["II.3"], doc, user_id=REPORTER_ID, user_name="Lan", status="hoàn thành"
    )
    store.record_task(
        tasks["1.1"],
        doc,
        user_id=ADMIN_ID,
        user_name="Hùng",
        progress=100.0,
        at="2020-12-01T02:00:00",
    )
    store.record_task(tasks["1.2"], doc, user_id=ADMIN_ID, user_name="Hùng", progress=30.0)
    store.add_user(REPORTER_ID, "reporter", [AGENCY], name="Lan")
    return store


def tiendo_counts(text: str) -> dict[str, dict[str, int]]:
    """The counts /tiendo prints, by part title and "Tổng cộng"."""
    out: dict[str, dict[str, int]] = {}
    section = ""
    for line in text.splitlines()[1:]:
        bullet = re.fullmatch(r"• (.+): (\d+)", line)
        if bullet:
            out[section][bullet[1]] = int(bullet[2])
        elif not line.startswith("Xem "):
            section = line
            out[section] = {}
    return out


def nonzero(counts):
    return {k: v for k, v in counts.items() if v}


def one(engine):
    return [Source(1, "", engine.programme)]


def board(engine, store, user_id, today=TODAY):
    scope = scope_for(store.member(user_id), store, one(engine))
    assert scope is not None
    return Board(one(engine), store, scope, today)


@pytest.mark.parametrize("today", [TODAY, date(2022, 1, 1), date(2026, 12, 1)])
def test_admin_counts_are_those_of_tiendo(engine, store, today):
    expected = tiendo_counts(progress_views.overview(engine, store, today))
    data = board(engine, store, ADMIN_ID, today).overview()
    got = {p["title"]: nonzero(p["counts"]) for p in data["parts"]}
    got["Tổng cộng"] = nonzero(data["totals"])
    assert got == expected
    assert data["total"] == len(engine.programme.tasks) == sum(data["totals"].values())
    assert list(data["totals"]) == list(STATUS_LABELS) == data["labels"]


def test_known_counts_after_four_reports(engine, store):
    totals = board(engine, store, ADMIN_ID).overview()["totals"]
    assert totals[NO_REPORT] == len(engine.programme.tasks) - 4
    assert sum(totals.values()) == len(engine.programme.tasks)


def test_overdue_and_due_soon_lists(engine, store):
    data = board(engine, store, ADMIN_ID).overview()
    overdue = {r["code"]: r for r in data["overdue"]}
    soon = {r["code"] for r in data["due_soon"]}
    for code in ("1.1", "II.3"):  # done: in neither list
        assert code not in overdue and code not in soon
    assert all(r["status"] in (OVERDUE, NO_REPORT) for r in overdue.values())
    quarter_iv_2020 = [c for c, t in engine.tasks.items() if t.due == "Quý IV năm 2020"]
    quarter_ii_2021 = [c for c, t in engine.tasks.items() if t.due == "Quý II năm 2021"]
    assert quarter_iv_2020 and quarter_ii_2021
    assert set(quarter_iv_2020) - {"1.1", "II.3"} <= set(overdue)
    assert set(quarter_ii_2021) - {"1.1", "II.3"} <= soon
    assert not soon & set(overdue)


def test_reporter_sees_only_their_bodies_tasks_and_targets(engine, store):
    led = {t.code for t in engine.tasks_led_by(AGENCY)}
    assert led and len(led) < len(engine.programme.tasks)
    reporter = board(engine, store, REPORTER_ID)
    assert {t.code for t in reporter.tasks} == led
    data = reporter.overview()
    assert data["total"] == len(led) and not data["everything"]
    assert all(r["code"] in led for r in data["overdue"] + data["due_soon"])
    assert all(r["code"] in led for b in reporter.bodies() for r in b["tasks"])
    assert reporter.task("5.3") is None  # led by another body
    assert reporter.task("II.3")["history"]
    assert reporter.targets() == []
    ind = engine.programme.indicators[0]
    store.assign_indicator(REPORTER_ID, indicator_key(ind, document_key(engine.programme)))
    assert [t["id"] for t in board(engine, store, REPORTER_ID).targets()] == [ind.id]


def test_strangers_and_removed_members_see_nothing(engine, store):
    assert scope_for(store.member(999), store, one(engine)) is None
    store.remove_user(REPORTER_ID)
    assert scope_for(store.member(REPORTER_ID), store, one(engine)) is None
    env_admin = scope_for(Member(ADMIN_ID, ADMIN, from_env=True), store, one(engine))
    assert env_admin is not None and env_admin.everything


def test_task_page_is_the_card_and_history_of_tiendo(engine, store):
    task = engine.tasks["5.3"]
    page = board(engine, store, ADMIN_ID).task("5.3")
    doc = document_key(engine.programme)
    assert page["content"] == task.content
    assert page["state_line"] == progress_views.state_line(task, store.state(task, doc), TODAY)
    assert page["history"] == [progress_views.history_line(r) for r in store.history(task, doc)]
    assert {"label": "Cơ quan chủ trì tham mưu", "value": task.lead} in page["fields"]
    assert (page["progress"], page["reporter"]) == ("60%", "Hùng")
    assert board(engine, store, ADMIN_ID).task("no-such-code") is None


def test_bodies_group_tasks_by_lead(engine, store):
    bodies = board(engine, store, ADMIN_ID).bodies()
    listed = [r["code"] for b in bodies for r in b["tasks"]]
    assert set(listed) == set(engine.tasks)
    for body in bodies:
        assert sum(body["counts"].values()) == len(body["tasks"])
    tuyen_giao = next(b for b in bodies if AGENCY in b["name"])
    led = {t.code for t in engine.tasks_led_by(AGENCY)}
    assert {r["code"] for r in tuyen_giao["tasks"]} == led


def test_targets_with_check_ins(engine, store):
    ind = next(
        i for i in engine.programme.indicators if i.low is not None and i.comparator == "trên"
    )
    doc = document_key(engine.programme)
    store.record_indicator(ind, doc, value=ind.low - 1, value_text="", year=2021, user_id=ADMIN_ID)
    store.record_indicator(
        ind, doc, value=ind.low + 1, value_text="", year=2022, user_id=ADMIN_ID, user_name="Hùng"
    )
    target = next(t for t in board(engine, store, ADMIN_ID).targets() if t["id"] == ind.id)
    assert [c["year"] for c in target["checkins"]] == [2022, 2021]
    assert target["on_track"] is True and target["verdict"] == progress_views.compare(
        ind, ind.low + 1
    )
    assert target["chart"].count("<rect") == 2
    untouched = next(t for t in board(engine, store, ADMIN_ID).targets() if t["id"] != ind.id)
    assert (untouched["checkins"], untouched["on_track"], untouched["chart"]) == ([], None, "")


def test_status_chart_draws_every_nonzero_status(engine):
    svg = status_bars([("Phần I", {STATUS_LABELS[0]: 3, STATUS_LABELS[3]: 1})], STATUS_LABELS)
    assert svg.count("<rect") == 2 and 'class="s0"' in svg and 'class="s3"' in svg
    assert "Phần I (4)" in svg and f"{STATUS_LABELS[3]}: 1" in svg
    hostile = status_bars([("<script>alert(1)</script>", {STATUS_LABELS[0]: 1})], STATUS_LABELS)
    assert "<script>" not in hostile
    ind = next(i for i in engine.programme.indicators if i.comparator == "gấp")
    assert target_bars(ind, [1.0]) == ""
