"""Deterministic checks of the question sets in tests/data/qa (no engine involved).

In the spirit of the shared dev2 checker: format, unique ids, family sizes, found/expect
consistency, every expected item in the source document under the scorer's own rule, no
question copied from the other sets, and the claims in claims.json (counts, reverse-lookup
sets, single-row facts, out-of-document words, Telex keystrokes) recomputed from the text and
its appendix table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.scoring import NUMERIC, hit, hit_folded, norm

HERE = Path(__file__).resolve().parent
QA = HERE / "data" / "qa"
SOURCE = HERE.parent / "knowledge" / "data" / "ctr-08-khanh-hoa-2020-2025.txt"
MAIN, HOLDOUT = "new_questions.jsonl", "holdout_questions.jsonl"
FRESH, FRESH_HOLDOUT = "fresh_questions.jsonl", "fresh_holdout.jsonl"  # written blind, later
OTHER_SETS = [HERE / "data" / "questions.jsonl", HERE / "data" / "questions_holdout.jsonl"]

DEV2 = ["topic", "count", "reverse", "multi", "yesno", "chat", "passage", "responsibility",
        "meta", "out", "long", "robust"]  # fmt: skip
FAMILIES = [*DEV2, "progress", "followup"]
# minimum cases per family, and minimum cases in the dev2 families together
MINIMUM = {
    MAIN: ({**dict.fromkeys(DEV2, 15), "out": 40, "progress": 20, "followup": 20}, 300),
    HOLDOUT: ({**dict.fromkeys(FAMILIES, 5), "out": 10}, 80),
    FRESH: ({**dict.fromkeys([*DEV2, "followup"], 4), "out": 15}, 90),
    FRESH_HOLDOUT: ({**dict.fromkeys([*DEV2, "followup"], 2), "out": 8}, 45),
}
NO_REPORT = "Chưa có báo cáo"  # the only item that is not from the source (progress family)
CODE = re.compile(r"^(?:\d\.\d|II\.\d)$")
ROW_FIELDS = ("lead", "approval", "issuer", "submit", "period")


def read(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load(name: str) -> list[dict[str, Any]]:
    return read(QA / name)


def alts(item: str | list[str]) -> list[str]:
    return item if isinstance(item, list) else [item]


def family(case: dict[str, Any]) -> str:
    return str(case["tag"]).split("-")[0]


@cache
def source() -> str:
    return SOURCE.read_text(encoding="utf-8")


@cache
def appendix() -> list[dict[str, str]]:
    """The 29 rows of the appendix table, part II numbered II.1..II.9 as the bot names them."""
    lines = source().split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "PHỤ LỤC")
    rows, part = [], ""
    for line in lines[start:]:
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 2 or cells[0] == "STT":
            continue
        cells += [""] * (7 - len(cells))
        if cells[0] in ("I.", "II."):
            part = cells[0][:-1]
            continue
        if part == "I" and re.fullmatch(r"\d\.\d", cells[0]):
            code = cells[0]
        elif part == "II" and re.fullmatch(r"\d", cells[0]):
            code = "II." + cells[0]
        else:
            continue  # a group heading such as "1."
        rows.append(dict(zip(("code", "title", *ROW_FIELDS), [code, *cells[1:7]], strict=True)))
        rows[-1]["part"] = part
    return rows


def by_code(code: str) -> dict[str, str]:
    return next(r for r in appendix() if r["code"] == code)


def parts(value: str) -> list[str]:
    return [norm(x) for x in value.split(",")]


def same(field: str) -> Callable[[dict[str, str], Any], bool]:
    return lambda r, v: norm(r[field]) == norm(v)


FILTERS: dict[str, Callable[[dict[str, str], Any], bool]] = {
    **{f: same(f) for f in ROW_FIELDS},
    "part": lambda r, v: r["part"] == v,
    "group": lambda r, v: r["part"] == "I" and r["code"].split(".")[0] == v,
    "kind": lambda r, v: norm(r["title"]).startswith(norm(v)),
    "submit_year": lambda r, v: norm(r["submit"]).endswith(v),
    "approval_has": lambda r, v: norm(v) in parts(r["approval"]),
    "not_approval_has": lambda r, v: norm(v) not in parts(r["approval"]),
    "not_lead": lambda r, v: norm(r["lead"]) != norm(v),
    "issuer_in": lambda r, v: norm(r["issuer"]) in {norm(x) for x in v},
}


def select(flt: dict[str, Any]) -> list[dict[str, str]]:
    return [r for r in appendix() if all(FILTERS[k](r, v) for k, v in flt.items())]


def rows_named(item: str | list[str]) -> set[str]:
    """The appendix rows an item names: by code, or by a fragment of exactly one title."""
    named = set()
    for x in alts(item):
        if CODE.match(x):
            named.add(x)
            continue
        titled = [r["code"] for r in appendix() if not NUMERIC.match(x) and hit(x, r["title"])]
        if len(titled) == 1:
            named.add(titled[0])
    return named


@cache
def claims() -> dict[str, dict[str, list[list[Any]]]]:
    data: dict[str, dict[str, list[list[Any]]]] = json.loads(
        (QA / "claims.json").read_text(encoding="utf-8")
    )
    return data


def count_items(name: str, case: dict[str, Any]) -> set[str]:
    return {c[1] for c in claims()[name].get(str(case["id"]), []) if c[0] in ("count", "distinct")}


TONE_KEY = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


def telex(text: str) -> str:
    """The Telex keystrokes of a Vietnamese text (tone key at the end of each word)."""
    words = []
    for word in text.split(" "):
        keys, tone = [], ""
        for ch in unicodedata.normalize("NFD", word):
            if ch == "đ":
                keys.append("dd")
            elif ch == "\u0302":  # â ê ô: double the vowel
                keys.append(keys[-1][-1])
            elif ch in ("\u0306", "\u031b"):  # ă, ơ ư
                keys.append("w")
            elif ch in TONE_KEY:
                tone = TONE_KEY[ch]
            else:
                keys.append(ch)
        words.append("".join(keys) + tone)
    return " ".join(words)


SETS = [MAIN, HOLDOUT, FRESH, FRESH_HOLDOUT]


def test_telex_rule_matches_the_house_example() -> None:
    assert telex("tỷ lệ") == "tyr leej"
    assert telex("đề án") == "ddeef ans"
    assert telex("được") == "dduwowcj"


def test_appendix_has_29_rows() -> None:
    rows = appendix()
    assert Counter(r["part"] for r in rows) == {"I": 20, "II": 9}
    assert [r["code"] for r in rows][-9:] == [f"II.{n}" for n in range(1, 10)]


@pytest.mark.parametrize("name", SETS)
def test_format(name: str) -> None:
    for n, case in enumerate(load(name), 1):
        keys = {"id", "q", "expect", "found", "tag"}
        fam = family(case)
        assert set(case) == (keys | {"context"} if fam == "followup" else keys), case
        assert case["id"] == n, case
        assert isinstance(case["q"], str) and case["q"].strip(), case
        assert re.fullmatch(r"[a-z]+-[a-z]+", case["tag"]), case
        assert fam in FAMILIES, case
        assert case["found"] is (fam != "out"), case
        assert bool(case["expect"]) is case["found"], case
        for item in case["expect"]:
            assert all(isinstance(x, str) and x.strip() for x in alts(item)), case
            assert alts(item), case
        if fam == "followup":
            ctx = case["context"]
            assert isinstance(ctx, list) and ctx and all(isinstance(x, str) for x in ctx)


@pytest.mark.parametrize("name", SETS)
def test_family_sizes(name: str) -> None:
    sizes = Counter(family(c) for c in load(name))
    per_family, dev2_total = MINIMUM[name]
    for fam, least in per_family.items():
        assert sizes[fam] >= least, (fam, sizes[fam])
    assert sum(sizes[f] for f in DEV2) >= dev2_total


def key(case: dict[str, Any]) -> str:
    return norm(" | ".join([*case.get("context", []), case["q"]]))


def test_no_question_repeated_within_or_across_sets() -> None:
    seen = {key(c): f"{p.name}#{c['id']}" for p in OTHER_SETS for c in read(p)}
    for name in SETS:
        for case in load(name):
            k = key(case)
            assert k not in seen, f"{name}#{case['id']} repeats {seen[k]}: {case['q']!r}"
            seen[k] = f"{name}#{case['id']}"


@pytest.mark.parametrize("name", SETS)
def test_every_item_occurs_in_the_source(name: str) -> None:
    codes = {r["code"] for r in appendix()}
    folded = norm(source())
    for case in load(name):
        counted = count_items(name, case)
        for item in case["expect"]:
            if not isinstance(item, list) and item in counted:
                continue  # a count, recomputed from the appendix in test_claims
            ok = any(
                hit_folded(x, folded)
                or (CODE.match(x) and x in codes)
                or (x == NO_REPORT and family(case) == "progress")
                for x in alts(item)
            )
            assert ok, f"{name}#{case['id']}: {item!r} is not in the source"


@pytest.mark.parametrize("name", SETS)
def test_kinds_that_need_a_claim_have_one(name: str) -> None:
    for case in load(name):
        kinds = {c[0] for c in claims()[name].get(str(case["id"]), [])}
        fam, variant = str(case["tag"]).split("-")
        if fam == "count":
            assert kinds & {"count", "distinct"}, case
        if fam == "reverse":
            assert "titles" in kinds, case
        if fam == "out":
            assert kinds & {"absent", "apart"}, case
        if variant == "telex":
            assert "telex" in kinds, case


def check_claim(case: dict[str, Any], claim: list[Any]) -> None:
    kind, *args = claim
    expect = case["expect"]
    flat = [x for item in expect for x in alts(item)]
    if kind == "count":
        item, flt = args
        assert item in expect and len(select(flt)) == int(item), (claim, len(select(flt)))
    elif kind == "distinct":
        item, field = args
        assert item in expect and len({norm(r[field]) for r in appendix()}) == int(item)
    elif kind == "titles":
        flt, full = args
        sel = {r["code"] for r in select(flt)}
        assert sel, claim
        named = set()
        for item in expect:
            rows = rows_named(item)
            assert rows <= sel, (claim, item, rows - sel)
            named |= rows
        if full:
            assert named == sel, (claim, sorted(sel - named))
    elif kind == "row":
        code, fields = args
        r = by_code(code)
        for field, item in fields.items():
            got = r[field]
            if field == "approval":  # each level must be named by an item
                assert norm(got) == norm(item), (claim, got)
                assert all(any(hit(p, x) for x in flat) for p in got.split(",")), claim
                continue
            assert item in flat, (claim, item)
            ok = norm(got) == norm(item) if field in ROW_FIELDS else hit(item, got)
            assert ok, (claim, field, got)
    elif kind == "absent":
        spaced = " " + re.sub(r"[^\w/.-]+", " ", norm(source())) + " "
        for word in args[0]:
            assert " " + norm(word) + " " not in spaced, (claim, word)
    elif kind == "apart":
        a, b = (norm(x) for x in args)
        together = [s for s in source().split("\n") if a in norm(s) and b in norm(s)]
        assert not together, (claim, together[:1])
    elif kind == "telex":
        assert case["q"] == telex(args[0]), (case["q"], telex(args[0]))
    else:
        raise AssertionError(f"unknown claim {claim}")


@pytest.mark.parametrize("name", SETS)
def test_claims(name: str) -> None:
    cases = {str(c["id"]): c for c in load(name)}
    assert set(claims()[name]) <= set(cases)
    for cid, claim_list in claims()[name].items():
        for claim in claim_list:
            check_claim(cases[cid], claim)


@pytest.mark.parametrize("name", SETS)
def test_variants_are_what_their_tags_say(name: str) -> None:
    for case in load(name):
        q, variant = case["q"], str(case["tag"]).split("-")[1]
        if variant == "caps":
            assert q == q.upper(), case
        elif variant == "nfd":
            assert unicodedata.is_normalized("NFD", q), case
            assert not unicodedata.is_normalized("NFC", q), case
        elif variant == "oldtone":
            assert re.search(r"oà|oá|oả|oạ|uỷ|uý|oẻ", q.casefold()), case
        elif variant == "emoji":
            assert "\u200b" in q and any(ord(ch) >= 0x1F300 for ch in q), case
        elif variant == "nodiac":
            assert q.isascii(), case
        if family(case) == "long":
            assert 3 <= len(re.findall(r"[.?!]+(\s|$)", q)) <= 5, case


def fake(expect: list[Any], q: str = "?") -> dict[str, Any]:
    return {"id": 1, "q": q, "expect": expect, "found": True, "tag": "count-diac"}


@pytest.mark.parametrize(
    ("case", "claim"),
    [
        (fake(["13"]), ["count", "13", {"issuer": "UBND tỉnh"}]),  # 14 in the appendix
        (fake(["lý tưởng cách mạng"]), ["titles", {"lead": "Ban Dân vận Tỉnh ủy"}, True]),
        (fake(["dân vận chính quyền"]), ["titles", {"lead": "Ban Dân vận Tỉnh ủy"}, True]),
        (fake(["Quý II năm 2021"]), ["row", "II.7", {"submit": "Quý II năm 2021"}]),
        (fake(["x"]), ["row", "1.2", {"approval": "Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy"}]),
        (fake([]), ["absent", ["Khu kinh tế Vân Phong"]]),
        (fake([]), ["apart", "che phủ rừng", "46,5"]),
        (fake([], q="tyr le"), ["telex", "tỷ lệ"]),
    ],
)
def test_checker_rejects_a_wrong_claim(case: dict[str, Any], claim: list[Any]) -> None:
    with pytest.raises(AssertionError):
        check_claim(case, claim)


def test_rows_named_by_code_or_by_one_title() -> None:
    assert rows_named("II.8") == {"II.8"}
    assert rows_named("rác thải nhựa") == {"5.4"}
    assert rows_named("công tác dân vận") == set()  # II.5 and II.6: names no single row
