"""The postings stage on its own: gathering postings, exact sums, term masks."""

from __future__ import annotations

from math import fsum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.qa.postings import Postings, exact_sums, held_terms, term_masks

TERMS = ["a", "b", "c", "d", "e", "f"]


def reference_sums(items: list[set[str]], terms: list[str], values: list[float]) -> list[float]:
    """Item by item, with fsum: what exact_sums must give."""
    return [fsum(v for t, v in zip(terms, values, strict=True) if t in held) for held in items]


def test_postings_list_each_terms_items_in_order():
    postings = Postings([{"a", "b"}, {"b"}, set(), {"a", "c"}])
    assert postings.items("a").tolist() == [0, 3]
    assert postings.items("b").tolist() == [0, 1]
    assert postings.items("zz").tolist() == []
    gathered = postings.gather(["c", "zz", "a"])
    assert gathered.items.tolist() == [3, 0, 3]
    assert gathered.lengths == [1, 0, 2]
    assert gathered.size == 4


def test_sums_of_values_that_do_not_add_exactly_in_floats():
    # 0.1 + 0.2 + 0.3 in floats is 0.6000000000000001; the exact sum rounds to 0.6.
    postings = Postings([{"a", "b", "c"}, {"a"}, {"b", "c"}, set()])
    got = exact_sums(postings.gather(["a", "b", "c"]), [0.1, 0.2, 0.3]).tolist()
    assert got == [0.6, 0.1, 0.5, 0.0]
    assert got[0] != 0.1 + 0.2 + 0.3


def test_values_spanning_many_binades_take_more_limbs():
    postings = Postings([{"a", "b", "c"}, {"a", "c"}, {"b"}])
    values = [1e-30, 1.0, 1e30]
    got = exact_sums(postings.gather(["a", "b", "c"]), values).tolist()
    assert got == reference_sums([{"a", "b", "c"}, {"a", "c"}, {"b"}], ["a", "b", "c"], values)


def test_negative_values_are_refused():
    with pytest.raises(ValueError, match="≥ 0"):
        exact_sums(Postings([{"a"}]).gather(["a"]), [-1.0])


_VALUES = st.one_of(
    st.floats(min_value=1e-4, max_value=20.0),
    st.floats(min_value=0.0, max_value=1e300, allow_subnormal=False),
    st.sampled_from([0.0, 0.1, 0.2, 0.3, 1 / 3, 2.0**-40, 6.3]),
)


@given(
    items=st.lists(st.sets(st.sampled_from(TERMS)), max_size=10),
    values=st.lists(_VALUES, min_size=len(TERMS), max_size=len(TERMS)),
)
def test_exact_sums_are_fsum_item_by_item(items, values):
    got = exact_sums(Postings(items).gather(TERMS), values).tolist()
    assert got == reference_sums(items, TERMS, values)


@given(
    items=st.lists(st.sets(st.integers(0, 119)), max_size=8),
    asked=st.lists(st.integers(0, 119), unique=True, max_size=120),
)
def test_term_masks_say_which_terms_each_item_holds(items, asked):
    """Beyond 52 terms the masks take several columns; held_terms() reads them back."""
    postings = Postings([{str(t) for t in held} for held in items])
    masks = term_masks(postings.gather([str(t) for t in asked]))
    assert masks.shape[1] == len(items)
    rows = held_terms(masks.T, len(asked))
    for held, row in zip(items, rows, strict=True):
        assert len(row) == len(asked)
        assert {t for t, h in zip(asked, row, strict=True) if h} == held & set(asked)
