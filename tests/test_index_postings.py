"""The postings stage on its own: gathering postings, per-item sums."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from knowledge.qa.postings import Postings, term_sums

TERMS = ["a", "b", "c", "d", "e", "f"]


def reference_sums(items: list[set[str]], terms: list[str], values: list[float]) -> list[float]:
    """Item by item, in the terms' order: what term_sums must give."""
    return [
        sum((v for t, v in zip(terms, values, strict=True) if t in held), 0.0) for held in items
    ]


def test_postings_list_each_terms_items_in_order():
    postings = Postings([{"a", "b"}, {"b"}, set(), {"a", "c"}])
    assert postings.items("a").tolist() == [0, 3]
    assert postings.items("b").tolist() == [0, 1]
    assert postings.items("zz").tolist() == []
    gathered = postings.gather(["c", "zz", "a"])
    assert gathered.items.tolist() == [3, 0, 3]
    assert gathered.lengths == [1, 0, 2]
    assert gathered.size == 4


_VALUES = st.one_of(
    st.floats(min_value=1e-4, max_value=20.0),
    st.floats(min_value=0.0, max_value=1e300, allow_subnormal=False),
    st.sampled_from([0.0, 0.1, 0.2, 0.3, 1 / 3, 2.0**-40, 6.3]),
)


@given(
    items=st.lists(st.sets(st.sampled_from(TERMS)), max_size=10),
    values=st.lists(_VALUES, min_size=len(TERMS), max_size=len(TERMS)),
)
def test_term_sums_add_each_items_values_in_term_order(items, values):
    got = term_sums(Postings(items).gather(TERMS), values).tolist()
    assert got == reference_sums(items, TERMS, values)
    for a, held in enumerate(items):  # the same terms: the same float, whatever the item
        assert all(got[a] == got[b] for b, other in enumerate(items) if other == held)


def test_sums_follow_the_terms_order_not_the_items():
    # 0.1 + 0.2 + 0.3 is 0.6000000000000001 in floats, 0.3 + 0.2 + 0.1 is 0.6.
    postings = Postings([{"a", "b", "c"}, {"c", "b", "a"}, {"a"}])
    got = term_sums(postings.gather(["a", "b", "c"]), [0.1, 0.2, 0.3]).tolist()
    assert got == [0.1 + 0.2 + 0.3, 0.1 + 0.2 + 0.3, 0.1]
    assert term_sums(postings.gather(["c", "b", "a"]), [0.3, 0.2, 0.1]).tolist()[0] == 0.6
