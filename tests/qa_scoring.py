"""The matching rule of the shared scorer (score.py), copied so CI needs nothing outside the repo.

Both texts are case-folded, stripped of diacritics (đ matched as d), en/em dashes become "-",
non-breaking spaces become spaces, whitespace runs collapse and spaces around "-" and "/" are
dropped. A purely numeric item must stand alone (65 does not match 65,57; 2 does not match II.2);
any other item must occur once all spaces are removed from both sides.
"""

from __future__ import annotations

import re
import unicodedata

NUMERIC = re.compile(r"^[\d.,/%\- ]+$")


def norm(s: str) -> str:
    """Fold a text the way score.py does."""
    s = unicodedata.normalize("NFD", s.casefold())
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.replace("đ", "d").replace("–", "-").replace("—", "-").replace("\u00a0", " ")
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"\s*([-/])\s*", r"\1", s)


def hit(item: str, text: str) -> bool:
    """Whether one expected item occurs in a text, under score.py's rule."""
    return hit_folded(item, norm(text))


def hit_folded(item: str, a: str) -> bool:
    """``hit`` against a text already folded with ``norm`` (to search one long text often)."""
    i = norm(item)
    if NUMERIC.match(item):
        return re.search(r"(?<![\d.,])" + re.escape(i) + r"(?![\d]|[.,]\d)", a) is not None
    return i.replace(" ", "") in a.replace(" ", "")


def passes(case: dict[str, object], answer: str, found: bool) -> bool:
    """Whether an answer passes a case: same ``found`` and every item (or one alternative) hit."""
    if found != case["found"]:
        return False
    expect = case["expect"]
    assert isinstance(expect, list)
    return all(
        any(hit(x, answer) for x in (item if isinstance(item, list) else [item]))
        for item in expect
    )
