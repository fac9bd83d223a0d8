"""Several questions in one message: each answered, in the order asked."""

from __future__ import annotations

from knowledge.qa.answer import Answer

__all__ = ["join_parts"]


def join_parts(answers: list[Answer]) -> Answer:
    """One answer holding every part's answer.

    Args:
        answers: The parts' answers, in order (at least one).

    Returns:
        Found when any part was found; the texts one after the other; the results of all.

    """
    first = answers[0]
    text = "\n\n".join(a.text for a in answers)
    results = [r for a in answers for r in a.results]
    alternatives = [r for a in answers for r in a.alternatives]
    found = any(a.found for a in answers)
    return Answer(first.query, first.intent, found, text, results, alternatives)
