"""Report lines: the corpus (main and held-out), each stage on its own, and properties."""

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.engine import Engine
from knowledge.progress.keys import document_key
from knowledge.progress.log import ProgressStore
from knowledge.progress.report_status import (
    K_DONE,
    K_MILESTONE,
    K_NOT_DONE,
    K_NOT_STARTED,
    K_PAUSED,
    K_WORKING,
    decide_status,
    read_phrases,
)
from knowledge.progress.report_text import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    PAUSED,
    ParsedReport,
    parse_report,
    pick_percent,
)

DATA = Path(__file__).parent / "data"


def _load(name: str) -> list[dict]:
    lines = (DATA / name).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


MAIN = _load("report_lines.jsonl")
HOLDOUT = _load("report_lines_holdout.jsonl")


def reading(p: ParsedReport, row: dict) -> dict:
    """The parts of a reading the corpus row speaks about."""
    if row.get("indicator"):
        return {"indicator": p.indicator, "topic": p.topic, "value": p.value, "year": p.year}
    got = {
        "code": p.code,
        "percent": p.percent,
        "status": p.status,
        "ambiguous": p.ambiguous_percent,
        "bad": p.bad_percent,
        "note_contains": [s for s in row["note_contains"] if s in p.note],
    }
    if "percents" in row:
        got["percents"] = list(p.percents)
    if "topic" in row:
        got["topic"] = p.topic
    return got


def expected(row: dict) -> dict:
    if row.get("indicator"):
        return {k: row[k] for k in ("indicator", "topic", "value", "year")}
    want = {k: row[k] for k in ("code", "status", "ambiguous", "bad", "note_contains")}
    want["percent"] = None if row["percent"] is None else float(row["percent"])
    if "percents" in row:
        want["percents"] = [float(v) for v in row["percents"]]
    if "topic" in row:
        want["topic"] = row["topic"]
    return want


def test_corpus_sizes():
    assert len(MAIN) + len(HOLDOUT) >= 200
    assert 0.2 <= len(HOLDOUT) / (len(MAIN) + len(HOLDOUT)) <= 0.3
    assert not {r["line"] for r in MAIN} & {r["line"] for r in HOLDOUT}


@pytest.mark.parametrize("row", MAIN, ids=[r["line"][:40] for r in MAIN])
def test_main_corpus(row):
    assert reading(parse_report(row["line"]), row) == expected(row)


@pytest.mark.parametrize("row", HOLDOUT, ids=[r["line"][:40] for r in HOLDOUT])
def test_holdout_corpus(row):
    assert reading(parse_report(row["line"]), row) == expected(row)


# ---- The bugs of issue #8, whole readings --------------------------------


def test_negated_completion_is_in_progress():
    assert parse_report("4.1 chưa hoàn thành") == ParsedReport(
        text="4.1 chưa hoàn thành", code="4.1", status=IN_PROGRESS, note="chưa hoàn thành"
    )


def test_exponent_is_a_bad_percent():
    assert parse_report("5.3 1e2%") == ParsedReport(
        text="5.3 1e2%", code="5.3", percent_raw="1e2%", bad_percent=True
    )


def test_later_half_report_takes_the_task_out_of_done(db):
    store = ProgressStore(db, admin_ids=[1])
    engine = Engine.from_database(db)
    task, doc = engine.tasks["1.1"], document_key(engine.programme)
    for line in ("1.1 hoàn thành", "1.1 50% ... làm lại"):
        p = parse_report(line)
        store.record_task(task, doc, user_id=1, progress=p.percent, status=p.status, note=p.note)
    state = store.state(task, doc)
    assert (state.progress, state.status) == (50.0, IN_PROGRESS)


def test_full_width_and_nfd_read_like_ascii():
    plain = parse_report("5.3 45% chưa xong")
    for variant in ("5.3 ４５％ chưa xong", unicodedata.normalize("NFD", "5.3 45% chưa xong")):
        got = parse_report(variant)
        assert (got.code, got.percent, got.status, got.note) == (
            plain.code,
            plain.percent,
            plain.status,
            plain.note,
        )


def test_document_numbers_and_dates_stay_in_the_note():
    line = "2.5 65% theo Quyết định số 123/QĐ-UBND ngày 15/3/2024, quý 3 năm 2024"
    assert parse_report(line) == ParsedReport(
        text=line,
        code="2.5",
        percent=65.0,
        percent_raw="65%",
        status=IN_PROGRESS,
        note="theo Quyết định số 123/QĐ-UBND ngày 15/3/2024, quý 3 năm 2024",
        percents=(65.0,),
    )


# ---- Ambiguous percents and the pick that finishes them -------------------


def test_two_percents_are_not_guessed_and_a_pick_finishes_the_reading():
    line = "đạt 100% kế hoạch quý, tiến độ chung 40%"
    first = parse_report(f"5.1 {line}")
    assert (first.percent, first.percents, first.ambiguous_percent, first.status) == (
        None,
        (100.0, 40.0),
        True,
        "",
    )
    assert (pick_percent(first, 40).percent, pick_percent(first, 40).status) == (40.0, IN_PROGRESS)
    assert (pick_percent(first, 100).percent, pick_percent(first, 100).status) == (100.0, DONE)
    with pytest.raises(ValueError):
        pick_percent(first, 55)


def test_a_pick_keeps_a_negation():
    first = parse_report("5.1 chưa hoàn thành: hạng mục A 100%, hạng mục B 20%")
    assert first.ambiguous_percent
    assert pick_percent(first, 100).status == IN_PROGRESS


def test_same_percent_twice_is_one_percent():
    p = parse_report("1.3 60% khối lượng, giải ngân 60%")
    assert (p.percent, p.percents, p.ambiguous_percent) == (60.0, (60.0,), False)


# ---- Stage: status phrases -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("hoàn thành", [K_DONE]),
        ("chưa hoàn thành", [K_NOT_DONE]),
        ("xong chưa", [K_NOT_DONE]),
        ("chưa làm xong hồ sơ", [K_NOT_DONE]),
        ("chua thuc hien", [K_NOT_STARTED]),
        ("sắp hoàn thành", [K_WORKING]),
        ("xong bước 1", [K_WORKING]),
        ("đang hoàn thành", [K_WORKING]),
        ("làm lại", [K_WORKING]),
        ("đã trình, đã ban hành", [K_MILESTONE, K_MILESTONE]),
        ("tạm hoãn", [K_PAUSED]),
        ("hoãn thành", []),
        ("đã đăng tải", []),
        ("sử dụng lại", []),
        ("không những hoàn thành", [K_DONE]),
        ("không có vướng mắc, hoàn thành", [K_DONE]),
    ],
)
def test_read_phrases(text, kinds):
    assert [p.kind for p in read_phrases(text)] == kinds


def test_phrase_spans_point_into_the_text():
    text = "60% chưa xong phần thẩm định"
    (phrase,) = read_phrases(text)
    assert text[phrase.start : phrase.end] == "chưa xong"


@pytest.mark.parametrize(
    ("kinds", "percent", "status"),
    [
        (set(), None, ""),
        (set(), 0.0, NOT_STARTED),
        (set(), 50.0, IN_PROGRESS),
        (set(), 100.0, DONE),
        ({K_DONE}, None, DONE),
        ({K_DONE}, 70.0, IN_PROGRESS),
        ({K_DONE, K_MILESTONE}, None, DONE),
        ({K_MILESTONE}, None, IN_PROGRESS),
        ({K_MILESTONE}, 100.0, DONE),
        ({K_NOT_DONE}, 100.0, IN_PROGRESS),
        ({K_NOT_DONE}, 0.0, NOT_STARTED),
        ({K_NOT_DONE, K_DONE}, None, IN_PROGRESS),
        ({K_NOT_STARTED}, None, NOT_STARTED),
        ({K_NOT_STARTED}, 40.0, IN_PROGRESS),
        ({K_NOT_STARTED, K_MILESTONE}, None, IN_PROGRESS),
        ({K_PAUSED, K_DONE}, 100.0, PAUSED),
        ({K_WORKING}, 0.0, IN_PROGRESS),
    ],
)
def test_decide_status(kinds, percent, status):
    assert decide_status(kinds, percent) == status


# ---- Properties -------------------------------------------------------------

NEGATED = st.sampled_from(
    [
        "chưa hoàn thành",
        "chua xong",
        "không hoàn thành",
        "CHƯA HOÀN THÀNH",
        "chua hoan thanh",
        unicodedata.normalize("NFD", "chưa xong"),
        "k xong",
        "chưa làm xong",
    ]
)
WORDS = st.sampled_from(
    [
        "5.3",
        "II.8",
        "hoàn thành",
        "xong rồi",
        "xong r",
        "ht",
        "đã",
        "đang",
        "100%",
        "100 %",
        "60%",
        "0%",
        "chưa",
        "không",
        "tạm dừng",
        "làm lại",
        "đạt",
        "kế hoạch",
        ",",
        ".",
        "-",
        "dc",
        "ko",
        "bước 1",
        "quý 3 năm 2024",
        "123/QĐ-UBND",
        "%",
        "phần trăm",
        "đã ban hành",
        "sắp",
    ]
)
SURROUNDING = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=10).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_percents_stay_in_range(text):
    p = parse_report(text)
    assert p.percent is None or 0 <= p.percent <= 100
    assert all(0 <= v <= 100 for v in p.percents)
    assert p.status in ("", NOT_STARTED, IN_PROGRESS, DONE, PAUSED)


@settings(max_examples=400, deadline=None)
@given(SURROUNDING, NEGATED, SURROUNDING)
def test_a_negated_completion_is_never_done(before, negated, after):
    p = parse_report(f"{before} {negated} {after}")
    assert p.status != DONE
    if p.ambiguous_percent:
        assert all(pick_percent(p, v).status != DONE for v in p.percents)


OUT_OF_RANGE = st.one_of(
    st.integers(min_value=101, max_value=10**6),
    st.integers(max_value=-1, min_value=-(10**6)),
    st.floats(min_value=100.01, max_value=1e6, allow_nan=False),
    st.floats(max_value=-0.01, min_value=-1e6, allow_nan=False),
)
FORMATS = st.sampled_from(["{}%", "{} %", "{} phần trăm", "{}phan tram", "đạt {}%", "~{}%"])


@settings(max_examples=300, deadline=None)
@given(SURROUNDING, OUT_OF_RANGE, FORMATS, st.booleans())
def test_a_percent_outside_0_100_is_never_accepted(before, value, form, comma):
    number = f"{value:g}" if isinstance(value, float) else str(value)
    if comma:
        number = number.replace(".", ",")
    p = parse_report(f"{before} {form.format(number)}")
    assert p.percent is None or 0 <= p.percent <= 100
    assert float(value) not in p.percents and p.percent != float(value)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=9), st.integers(min_value=0, max_value=9))
def test_exponents_are_bad(mantissa, exponent):
    p = parse_report(f"5.3 {mantissa}e{exponent}%")
    assert (p.bad_percent, p.percent, p.percents) == (True, None, ())
