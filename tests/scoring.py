"""The answer-checking rule of the question sets (same rule as the shared dev set).

An expected item passes when its normalised text occurs in the normalised
answer; a list item is a set of alternatives; a purely numeric item must stand
alone (65 does not match 65,57); ``found`` must match.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

NUMERIC = re.compile(r"^[\d.,/%\- ]+$")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFD", s.casefold())
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.replace("đ", "d").replace("–", "-").replace("—", "-").replace("\u00a0", " ")
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"\s*([-/])\s*", r"\1", s)


def hit(item: str, answer: str) -> bool:
    return hit_folded(item, norm(answer))


def hit_folded(item: str, a: str) -> bool:
    """``hit`` against a text already folded with ``norm`` (to search one long text often)."""
    i = norm(item)
    if NUMERIC.match(item):
        return re.search(r"(?<![\d.,])" + re.escape(i) + r"(?![\d]|[.,]\d)", a) is not None
    return i.replace(" ", "") in a.replace(" ", "")


def passes(case: dict, got: dict) -> bool:
    if bool(got.get("found")) != case["found"]:
        return False
    answer = got.get("answer") or ""
    for item in case["expect"]:
        alts = item if isinstance(item, list) else [item]
        if not any(hit(x, answer) for x in alts):
            return False
    return True


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def progress_engine(db: Any, programme: Any = None) -> Any:
    """An engine built as the bot builds it: with a progress view over ``db``'s report log.

    ``programme`` (a parsed ``knowledge.programme.model.Programme``) replaces the stored one,
    for the second programme fixture; its tasks simply have no reports in ``db``.
    """
    from knowledge.engine import Engine
    from knowledge.progress.log import ProgressStore
    from knowledge.qa.progress_view import StoreProgress

    view = StoreProgress(ProgressStore(db), date.today)
    if programme is not None:
        return Engine(programme, progress=view)
    return Engine.from_database(db, progress=view)


def engine_asker(engine: Any) -> Callable[[dict], dict]:
    """Ask a case as a chat would: its ``context`` messages first, then ``q``.

    Each earlier answer's ``context`` is passed to the next question (the conversation API
    the bot uses), and the last answer is the one scored.
    """

    def ask(case: dict) -> dict:
        context = None
        for earlier in case.get("context", []):
            context = engine.ask(earlier, context=context).context
        result: dict = engine.ask(case["q"], context=context).to_json()
        return result

    return ask


def evaluate(
    cases: Iterable[dict], ask: Callable[[dict], dict]
) -> tuple[float, list[tuple[dict, dict]], Counter[str], Counter[str]]:
    """Return (accuracy, failures, passed per tag, total per tag); ``ask`` takes a case."""
    failures = []
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    n = 0
    for case in cases:
        n += 1
        got = ask(case)
        tag = case["tag"].split("-")[0]
        total[tag] += 1
        if passes(case, got):
            passed[tag] += 1
        else:
            failures.append((case, got))
    return (1 - len(failures) / n if n else 0.0), failures, passed, total
