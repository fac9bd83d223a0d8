"""Accuracy on the project's own question sets (the same rule as the shared dev set).

These are regression guards on accuracy, not timings. The held-out set was
written independently of the engine; the bar there is lower on purpose, so it
keeps measuring rather than being tuned to.
"""

import pytest

from knowledge.programme.store import open_database
from tests.conftest import DATA, FIXTURES
from tests.scoring import engine_asker, evaluate, load_cases, progress_engine

QA = DATA / "qa"


# Regression bars on the issue #9 sets (tests/data/qa): the level reached, minus a margin.
NEW_BAR = 0.91
HOLDOUT_BAR = 0.80


def _report(failures):
    return "\n".join(
        f"#{c['id']} {c['q']!r} expect={c['expect']} found={c['found']} -> "
        f"{g['found']} {g['answer'][:160]!r}"
        for c, g in failures
    )


@pytest.fixture(scope="module")
def bot_engine():
    """The engine as the bot builds it: with a progress view over an empty report log."""
    return progress_engine(open_database(memory=True))


@pytest.fixture(scope="module")
def bot_engine_b(programme_b):
    return progress_engine(open_database(memory=True), programme_b)


@pytest.mark.parametrize(
    ("path", "engine_name", "bar"),
    [
        (DATA / "questions.jsonl", "bot_engine", 0.97),
        (FIXTURES / "programme_b_questions.jsonl", "bot_engine_b", 0.97),
        (DATA / "questions_holdout.jsonl", "bot_engine", 0.95),
        (QA / "new_questions.jsonl", "bot_engine", NEW_BAR),
        # Held out (issue #9): measured, never tuned on; the bar sits below the measured level.
        (QA / "holdout_questions.jsonl", "bot_engine", HOLDOUT_BAR),
    ],
)
def test_question_set_accuracy(request, path, engine_name, bar):
    engine = request.getfixturevalue(engine_name)
    cases = load_cases(path)
    accuracy, failures, _, _ = evaluate(cases, engine_asker(engine))
    assert accuracy >= bar, _report(failures)


def test_follow_up_cases_are_asked_in_their_context(bot_engine):
    """A follow-up alone has no subject; after its context message it is answered."""
    case = {"q": "thế cơ quan nào ban hành?", "context": ["nhiệm vụ 5.1 là gì"]}
    got = engine_asker(bot_engine)(case)
    assert got["found"] and "nhiệm vụ 5.1: UBND tỉnh" in got["answer"]


def test_progress_cases_see_an_empty_report_log(bot_engine):
    got = engine_asker(bot_engine)({"q": "Nhiệm vụ 5.3 đến đâu rồi?"})
    assert got["found"] and "Chưa có báo cáo" in got["answer"]


def test_question_set_covers_every_intent():
    cases = load_cases(DATA / "questions.jsonl")
    tags = {c["tag"] for c in cases}
    assert len(cases) >= 150
    for prefix in (
        "indicator",
        "task-lead",
        "task-due",
        "task-period",
        "task-approval",
        "task-issuer",
        "task-list-agency",
        "task-list-quarter",
        "responsibility",
        "passage",
        "out",
    ):
        assert any(t.startswith(prefix) for t in tags), prefix
    for variant in ("nodiac", "typo", "abbr", "nfd", "upper"):
        assert any(t.endswith(variant) for t in tags), variant
