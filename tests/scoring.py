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
from pathlib import Path

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


def evaluate(
    cases: Iterable[dict], ask: Callable[[str], dict]
) -> tuple[float, list[tuple[dict, dict]], Counter[str], Counter[str]]:
    """Return (accuracy, failures, passed per tag, total per tag)."""
    failures = []
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    n = 0
    for case in cases:
        n += 1
        got = ask(case["q"])
        tag = case["tag"].split("-")[0]
        total[tag] += 1
        if passes(case, got):
            passed[tag] += 1
        else:
            failures.append((case, got))
    return (1 - len(failures) / n if n else 0.0), failures, passed, total
