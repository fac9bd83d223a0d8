"""SearchIndex.score against the straightforward scorer it replaced (the reference).

The reference below is the scorer as it was before postings arrays: every candidate entry,
every field, set intersections and ``fsum``. The vectorised scorer must return the same hits
in the same order, with the same matched syllables and the same scores.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from math import fsum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.programme.parser import parse_programme
from knowledge.qa.index import Entry, Field, Hit, SearchIndex
from knowledge.qa.query import parse_query
from knowledge.text import bigrams

ROOT = Path(__file__).parent
QUESTION_SETS = [
    ROOT / "data" / "questions.jsonl",
    ROOT / "data" / "questions_holdout.jsonl",
    ROOT / "data" / "qa" / "new_questions.jsonl",
    ROOT / "data" / "qa" / "holdout_questions.jsonl",
    ROOT / "fixtures" / "plan_c_questions.jsonl",
    ROOT / "fixtures" / "plan_c_questions_holdout.jsonl",
    ROOT / "fixtures" / "programme_b_questions.jsonl",
]
KINDS: list[set[str] | None] = [None, {"task"}, {"passage"}, {"indicator", "responsibility"}]


def reference_score(
    index: SearchIndex,
    words: Sequence[str],
    kinds: set[str] | None = None,
    penalised: Iterable[str] = (),
) -> list[Hit]:
    """The scorer before postings arrays, kept verbatim as the reference."""
    if not words:
        return []
    soft = set(penalised)
    full = {w: index.idf(w) for w in words}
    weights = {w: full[w] * (0.6 if w in soft else 1.0) for w in words}
    total = sum(full.values())
    qpairs = bigrams(list(words))
    pair_w = {p: (weights[a] + weights[b]) / 2 for p in qpairs for a, b in [p.split(" ", 1)]}
    pair_total = sum((full[a] + full[b]) / 2 for p in qpairs for a, b in [p.split(" ", 1)])
    hits: list[Hit] = []
    asked, asked_pairs = frozenset(weights), frozenset(pair_w)
    for entry in index.entries:
        if kinds is not None and entry.kind not in kinds:
            continue
        best = 0.0
        matched: set[str] = set()
        for f in entry.fields:
            got = f.unigrams & asked
            if not got:
                continue
            own = sum(index.idf(w) for w in f.unigrams) or 1.0
            uni = fsum(weights[w] for w in got) / total
            if pair_total:
                bi = fsum(pair_w[p] for p in f.pairs & asked_pairs) / pair_total
                cov = 0.6 * uni + 0.4 * bi
            else:
                cov = uni
            precision = fsum(full[w] for w in got) / own
            s = f.weight * cov * (0.9 + 0.1 * precision)
            if s > best:
                best = s
            matched.update(got)
        if best > 0:
            hits.append(Hit(entry, best, frozenset(matched)))
    hits.sort(key=lambda h: h.score, reverse=True)
    return hits


def assert_same(got: list[Hit], want: list[Hit]) -> None:
    assert [(h.entry.kind, h.entry.key) for h in got] == [
        (h.entry.kind, h.entry.key) for h in want
    ]
    assert [h.matched for h in got] == [h.matched for h in want]
    for g, w in zip(got, want, strict=True):
        assert g.entry is w.entry
        assert abs(g.score - w.score) <= 1e-12


def real_queries(index: SearchIndex) -> list[tuple[list[str], list[str]]]:
    """The topic syllables of every question of every set, corrected as the engine does."""
    queries = []
    for path in QUESTION_SETS:
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            q = parse_query(json.loads(line)["q"], index.correct_unknown)
            words, _ = index.correct(q.topic)
            guessed = [n for n, o in zip(words, q.topic, strict=True) if n != o]
            queries.append((words, guessed))
    return queries


@pytest.fixture(scope="module")
def indexes(engine, engine_b) -> list[SearchIndex]:
    plan_c = parse_programme((ROOT / "fixtures" / "plan_c.txt").read_text("utf-8"))
    from knowledge.engine import Engine

    return [engine.index, engine_b.index, Engine(plan_c).index]


def test_real_queries_score_as_the_reference(indexes):
    checked = 0
    for index in indexes:
        for words, guessed in real_queries(index):
            for kinds in KINDS:  # the same query again and again: its scores are kept
                want = reference_score(index, words, kinds, guessed)
                assert_same(index.score(words, kinds, guessed), want)
                assert_same(index.score(words, kinds, guessed, limit=3), want[:3])
                checked += 1
    assert checked > 3000


def test_real_queries_touch_hits(engine):
    """The real queries do find entries, so the comparison above compares something."""
    queries = real_queries(engine.index)
    found = [q for q in queries if engine.index.score(q[0])]
    assert len(found) > 0.9 * len(queries)


def test_a_body_sub_index_scores_as_the_reference(engine):
    """The small per-question index of one body's tasks (see records._agency_answer)."""
    sub = SearchIndex(
        Entry("task", t.code, (Field(1.0, tuple(t.content.lower().split())),))
        for t in engine.programme.tasks[:12]
    )
    for words in (["de", "an"], ["xay", "dung", "dang"], ["khong", "co"], ["chuyen", "doi", "so"]):
        assert_same(sub.score(words), reference_score(sub, words))


def test_long_queries_score_as_the_reference(engine):
    """More than a hundred distinct syllables (a pasted paragraph) score as the reference."""
    index = engine.index
    words = index.vocabulary[::4][:150]
    assert len(set(words)) > 128
    for kinds in KINDS:
        want = reference_score(index, words, kinds, words[::5])
        assert want
        assert_same(index.score(words, kinds, words[::5]), want)


def test_empty_and_unknown_queries(engine):
    assert engine.index.score([]) == []
    assert engine.index.score(["zzqx", "qqqy"]) == []
    assert engine.index.score(["de"], {"no such kind"}) == []
    assert SearchIndex([]).score(["de", "an"]) == []


def test_fields_of_weight_zero_match_without_scoring():
    entries = [
        Entry("task", "1", (Field(0.0, ("de", "an")), Field(1.0, ("so",)))),
        Entry("task", "2", (Field(0.0, ("de", "an")),)),
        Entry("passage", "3", (Field(0.5, ("an", "de", "an")),)),
    ]
    index = SearchIndex(entries)
    for words in (["de", "an"], ["de", "so"], ["an"], ["de", "an", "de", "an"]):
        assert_same(index.score(words), reference_score(index, words))


_SYLLABLES = st.sampled_from(
    [
        "de",
        "an",
        "xay",
        "dung",
        "dang",
        "so",
        "chuyen",
        "doi",
        "ty",
        "le",
        "nong",
        "thon",
        "moi",
        "rung",
        "che",
        "phu",
        "zzz",
        "kinh",
        "te",
        "xa",
        "hoi",
        "tinh",
        "uy",
        "ban",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(_SYLLABLES, max_size=25),
    guessed=st.lists(_SYLLABLES, max_size=4),
    kinds=st.sampled_from(KINDS),
)
def test_generated_queries_score_as_the_reference(engine, words, guessed, kinds):
    index = engine.index
    assert_same(index.score(words, kinds, guessed), reference_score(index, words, kinds, guessed))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(
        st.lists(
            st.tuples(
                st.sampled_from([0.0, 0.5, 0.93, 1.0]),
                st.lists(_SYLLABLES, min_size=1, max_size=8),
            ),
            min_size=1,
            max_size=3,
        ),
        max_size=12,
    ),
    words=st.lists(_SYLLABLES, max_size=12),
)
def test_generated_indexes_score_as_the_reference(fields, words):
    entries = [
        Entry("task" if i % 2 else "passage", str(i), tuple(Field(w, tuple(ws)) for w, ws in fs))
        for i, fs in enumerate(fields)
    ]
    index = SearchIndex(entries)
    for kinds in (None, {"task"}):
        assert_same(index.score(words, kinds), reference_score(index, words, kinds))


def test_postings_read_counts_the_fields_holding_each_distinct_syllable(engine):
    index = engine.index
    words = ["de", "an", "chuyen", "doi", "so", "de", "zzqx"]
    fields = [f for e in index.entries for f in e.fields]
    syllables, pairs = index.postings_read(words)
    assert syllables == sum(sum(w in f.unigrams for f in fields) for w in set(words))
    assert pairs == sum(sum(p in f.pairs for f in fields) for p in set(bigrams(words)))
    assert syllables > 0 and pairs > 0


def test_a_real_word_error_is_corrected_from_its_neighbours():
    """A known syllable pairing with neither neighbour becomes one that pairs with both."""
    texts = ["ty le che phu rung", "rong mo thi truong", "che phu rung phong ho", "dat rong"]
    index = SearchIndex(
        Entry("passage", str(i), (Field(1.0, tuple(t.split())),)) for i, t in enumerate(texts)
    )
    # "rong" is a word (rộng) but not after "phu" nor before "phong"; "rung" pairs with both.
    assert index.correct(["che", "phu", "rong", "phong", "ho"]) == (
        ["che", "phu", "rung", "phong", "ho"],
        ["rong"],
    )
    # Pairing on one side only, a frequent word stays: "phu rong" at the end.
    assert index.correct(["dat", "rong"]) == (["dat", "rong"], [])
    # Once corrected, the next word pairs with the new one: "rung phong" is not checked again.
    words, changed = index.correct(["phu", "rong", "phong"])
    assert words == ["phu", "rung", "phong"] and changed == ["rong"]
