"""A progress answer's card shows its document's columns (a UBND plan's, not a programme's)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from knowledge.engine import Engine
from knowledge.programme.plan import parse_plan
from knowledge.progress.keys import document_key
from knowledge.progress.log import ProgressStore
from knowledge.qa.progress_view import StoreProgress

PLAN = (Path(__file__).parent / "fixtures" / "plan_c.txt").read_text("utf-8")


def test_a_plan_tasks_progress_card_lists_the_plans_columns(db):
    plan = parse_plan(PLAN)
    store = ProgressStore(db, [1])
    doc = document_key(plan)
    store.bind([(doc, plan.tasks, plan.indicators)])
    ii3 = next(t for t in plan.tasks if t.code == "II.3")
    store.record_task(ii3, doc, user_id=1, progress=40.0)
    engine = Engine(plan, StoreProgress(store, lambda: date(2026, 3, 2)))
    answer = engine.ask("nhiệm vụ II.3 đến đâu rồi")
    assert answer.intent == "progress" and "40%" in answer.text
    assert "• Sản phẩm: Báo cáo kết quả rà soát" in answer.text
    assert "• Thời gian hoàn thành: Hằng năm" in answer.text
    assert "• Cơ quan chủ trì: Sở Nội vụ" in answer.text
    assert "tham mưu" not in answer.text and "Thời gian trình" not in answer.text
