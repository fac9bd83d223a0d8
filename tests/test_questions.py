"""Accuracy on the project's own question sets (the same rule as the shared dev set).

These are regression guards on accuracy, not timings. The held-out set was
written independently of the engine; the bar there is lower on purpose, so it
keeps measuring rather than being tuned to.
"""

import pytest

from tests.conftest import DATA, FIXTURES
from tests.scoring import evaluate, load_cases


def _report(failures):
    return "\n".join(
        f"#{c['id']} {c['q']!r} expect={c['expect']} found={c['found']} -> "
        f"{g['found']} {g['answer'][:160]!r}"
        for c, g in failures
    )


@pytest.mark.parametrize(
    ("path", "engine_name", "bar"),
    [
        (DATA / "questions.jsonl", "engine", 0.97),
        (FIXTURES / "programme_b_questions.jsonl", "engine_b", 0.97),
        (DATA / "questions_holdout.jsonl", "engine", 0.95),
    ],
)
def test_question_set_accuracy(request, path, engine_name, bar):
    engine = request.getfixturevalue(engine_name)
    cases = load_cases(path)
    accuracy, failures, _, _ = evaluate(cases, lambda q: engine.ask(q).to_json())
    assert accuracy >= bar, _report(failures)


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
