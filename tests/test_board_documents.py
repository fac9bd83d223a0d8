"""The board over every document: keys per document, each document's columns, coordinating
rows beside the lead's, and the web server after a Telegram upload (no stale service)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import aiohttp
import pytest

from bot.board_server import sources
from handlers.context import new_reporting
from knowledge.digest.board import COORDINATING_MARK, Board, scope_for
from knowledge.programme.store import load_programme, open_database
from knowledge.progress.log import NO_REPORT
from knowledge.progress.reporting import Sender
from knowledge.qa.library import Library
from tests.botkit import started_app
from tests.fakebot import FakeTelegram
from tests.test_board_web import CLOCK, get, init_data

PLAN = (Path(__file__).parent / "fixtures" / "plan_c.txt").read_text("utf-8")
TODAY = date(2026, 3, 2)
ADMIN_ID, LEAD_ID, HELPER_ID = 1, 7, 8
PLAN_COLUMNS = ["Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"]


@pytest.fixture
def service():
    from knowledge.progress.log import ProgressStore

    db = open_database(memory=True)
    load_programme(db, PLAN)
    service = new_reporting(Library.from_database(db), ProgressStore(db, [ADMIN_ID]), None)
    service.store.add_user(LEAD_ID, "reporter", ["Sở Nội vụ"], name="Hoa")
    service.store.add_user(HELPER_ID, "reporter", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"])
    return service


def board_of(service, user_id):
    documents = sources(service)
    scope = scope_for(service.store.member(user_id), service.store, documents)
    assert scope is not None
    return Board(documents, service.store, scope, TODAY)


def plan_of(service):
    return next(d for d in service.documents if "45/KH-UBND" in d.label)


def test_the_overview_counts_every_document_in_parts_named_per_document(service):
    data = board_of(service, ADMIN_ID).overview()
    sizes = {d.label: len(d.engine.programme.tasks) for d in service.documents}
    assert data["title"] == "2 văn bản" and data["total"] == sum(sizes.values())
    by_document = {
        label: sum(p["total"] for p in data["parts"] if p["title"].startswith(label + " — "))
        for label in sizes
    }
    assert by_document == sizes
    assert data["totals"][NO_REPORT] == sum(sizes.values())


def test_a_shared_code_is_keyed_per_document_and_a_plan_task_shows_the_plans_columns(service):
    board = board_of(service, ADMIN_ID)
    plan = plan_of(service)
    assert board.task("II.3") is None  # two documents have II.3: the bare code is ambiguous
    page = board.task(f"{plan.id}:II.3")
    assert page is not None and page["document"] == plan.label
    assert [f["label"] for f in page["fields"]] == PLAN_COLUMNS
    assert page["fields"][2] == {"label": "Sản phẩm", "value": "Báo cáo kết quả rà soát"}
    assert page["source"] == f"{plan.label}, Phụ lục, mục II.3"
    other = next(d for d in service.documents if d is not plan)
    programme = board.task(f"{other.id}:II.3")
    assert programme is not None
    labels = [f["label"] for f in programme["fields"]]
    assert "Cơ quan chủ trì tham mưu" in labels and "Sản phẩm" not in labels
    assert board.task("5.3") is not None  # a code only one document has still opens


def test_a_reporter_sees_the_tasks_their_body_leads_in_any_document(service):
    keys = {r["key"] for b in board_of(service, LEAD_ID).bodies() for r in b["tasks"]}
    plan = plan_of(service)
    assert f"{plan.id}:II.3" in keys
    assert all(k.startswith(f"{plan.id}:") for k in keys)  # Sở Nội vụ leads nothing else here


def test_a_coordinating_bodys_rows_are_in_the_history_marked_and_the_status_is_the_leads(
    service,
):
    plan = plan_of(service)
    lead = service.submit("II.3 30%", Sender(LEAD_ID, "Hoa", 5, 1), TODAY, document=plan.id)
    helper = service.submit("II.3 90%", Sender(HELPER_ID, "Tâm", 5, 2), TODAY, document=plan.id)
    assert (lead.kind, helper.kind) == ("saved", "saved")
    page = board_of(service, ADMIN_ID).task(f"{plan.id}:II.3")
    assert page is not None and page["progress"] == "30%"
    helping = [h for h in page["history"] if h.startswith(COORDINATING_MARK)]
    leading = [h for h in page["history"] if not h.startswith(COORDINATING_MARK)]
    assert len(helping) == 1 and "Tâm" in helping[0] and "90%" in helping[0]
    assert len(leading) == 1 and "Hoa" in leading[0] and "30%" in leading[0]


def test_targets_of_every_document_are_listed_with_their_document(service):
    targets = board_of(service, ADMIN_ID).targets()
    sizes = {d.label: len(d.engine.programme.indicators) for d in service.documents}
    assert {label: sum(t["document"] == label for t in targets) for label in sizes} == sizes


async def test_the_board_shows_a_document_uploaded_after_start_up(tmp_path):
    from tests.test_library_bot import ADMIN, load_plan

    fake = FakeTelegram()
    app = await started_app(
        fake,
        db_path=tmp_path / "b.sqlite3",
        admin_ids=frozenset({ADMIN["id"]}),
        web_listen=("127.0.0.1", 0),
        web_url="https://board.example.test/bang/",
        clock=CLOCK,
    )
    try:
        server = app.bot_data["board_server"]
        async with aiohttp.ClientSession(f"http://127.0.0.1:{server.port}") as http:
            status, before = await get(http, "/api/overview", init_data(fake, ADMIN))
            assert status == 200 and before["title"] != "2 văn bản"
            await load_plan(fake, app, tmp_path)
            status, after = await get(http, "/api/overview", init_data(fake, ADMIN))
            assert status == 200 and after["title"] == "2 văn bản"
            assert after["total"] == before["total"] + 12
            plan = next(d for d in app.bot_data["reporting"].documents if "45/" in d.label)
            status, page = await get(http, f"/api/task/{plan.id}:II.3", init_data(fake, ADMIN))
            assert status == 200 and [f["label"] for f in page["fields"]] == PLAN_COLUMNS
            status, _ = await get(
                http, "/api/overview", init_data(fake, {"id": 4, "first_name": "X"})
            )
            assert status == 403
    finally:
        await app.shutdown()
        await app.post_shutdown(app)
