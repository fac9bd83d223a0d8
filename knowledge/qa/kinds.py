"""Record kinds: one class per kind, knowing its records, search fields, title and card.

The catalog, the index and the answers ask the kind instead of testing ``if kind == ...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar

from knowledge.programme.model import Indicator
from knowledge.qa.index import Entry, Field
from knowledge.qa.lexicon import expand
from knowledge.qa.query import Intent
from knowledge.render import Markup, indicator_card, responsibility_card, shorten, task_card
from knowledge.text import fold

if TYPE_CHECKING:
    from knowledge.qa.catalog import Catalog

__all__ = ["KINDS", "RecordKind"]


def words(*parts: str) -> tuple[str, ...]:
    """Folded, expanded syllables of the non-empty ``parts``."""
    return tuple(expand(fold(" ".join(p for p in parts if p))).split())


def _planned(ind: Indicator) -> list[str]:
    """A table target's planned years ("Kế hoạch năm 2026" → "2026"), not what was achieved.

    Only the year itself: "năm" would match any question naming a year of another target.
    """
    planned = [label for label in ind.values if not fold(label).startswith("thuc hien")]
    return [y for label in planned for y in re.findall(r"\b(?:19|20)\d\d\b", label)]


class RecordKind:
    """What every kind of record can do."""

    name: ClassVar[str] = ""
    intent: ClassVar[str] = Intent.PASSAGE

    def records(self, catalog: Catalog) -> Mapping[str, object]:
        """The records of this kind, by key."""
        raise NotImplementedError

    def entries(self, catalog: Catalog) -> Iterable[Entry]:
        """The search entries of this kind's records."""
        raise NotImplementedError

    def title(self, catalog: Catalog, key: str) -> str:
        """A short title for lists and buttons."""
        raise NotImplementedError

    def card(self, catalog: Catalog, key: str, m: Markup) -> str:
        """The record rendered in full."""
        raise NotImplementedError


class TaskKind(RecordKind):
    """An appendix row."""

    name = "task"
    intent = Intent.TASK

    def records(self, catalog: Catalog) -> Mapping[str, object]:
        return catalog.tasks

    def entries(self, catalog: Catalog) -> Iterable[Entry]:
        for t in catalog.programme.tasks:
            fields = (Field(1.0, words(t.content)), Field(0.35, words(t.group, t.part_title)))
            yield Entry(self.name, t.code, fields)

    def title(self, catalog: Catalog, key: str) -> str:
        return f"{key} {shorten(catalog.tasks[key].content, 60)}"

    def card(self, catalog: Catalog, key: str, m: Markup) -> str:
        task = catalog.tasks[key]
        return task_card(task, m, status=catalog.status_line(task), columns=catalog.columns)


class IndicatorKind(RecordKind):
    """A target of part B."""

    name = "indicator"
    intent = Intent.INDICATOR

    def records(self, catalog: Catalog) -> Mapping[str, object]:
        return catalog.indicators

    def entries(self, catalog: Catalog) -> Iterable[Entry]:
        for i in catalog.programme.indicators:
            # A table's year columns belong to the name: "nước sạch nông thôn năm 2026".
            fields = (
                Field(1.0, words(i.name, i.unit, i.detail, *_planned(i))),
                Field(0.8, words(i.subject, i.name, i.unit, i.detail)),
                Field(0.72, words(i.sentence)),
                Field(0.3, words(i.area)),
            )
            yield Entry(self.name, str(i.id), fields)

    def title(self, catalog: Catalog, key: str) -> str:
        ind = catalog.indicators[key]
        return shorten(f"{ind.name}: {ind.value}", 70)

    def card(self, catalog: Catalog, key: str, m: Markup) -> str:
        ind = catalog.indicators[key]
        return indicator_card(ind, catalog.siblings(ind), m)


class ResponsibilityKind(RecordKind):
    """A duty of part D."""

    name = "responsibility"
    intent = Intent.DUTIES

    def records(self, catalog: Catalog) -> Mapping[str, object]:
        return catalog.responsibilities

    def entries(self, catalog: Catalog) -> Iterable[Entry]:
        for r in catalog.programme.responsibilities:
            fields = (Field(1.0, words(r.subject, *r.bodies)), Field(0.75, words(r.text)))
            yield Entry(self.name, r.number, fields)

    def title(self, catalog: Catalog, key: str) -> str:
        r = catalog.responsibilities[key]
        return shorten(f"Mục {r.ref}: {r.subject}", 70)

    def card(self, catalog: Catalog, key: str, m: Markup) -> str:
        return responsibility_card(catalog.responsibilities[key], m)


class PassageKind(RecordKind):
    """A paragraph or bullet of the body text."""

    name = "passage"

    def records(self, catalog: Catalog) -> Mapping[str, object]:
        return catalog.passages

    def entries(self, catalog: Catalog) -> Iterable[Entry]:
        # The heading belongs to the passage: "cao tốc ... vịnh Cam Ranh" finds
        # a bullet of section "Khu vực vịnh Cam Ranh" that never names the bay.
        for p in catalog.programme.passages:
            yield Entry(self.name, str(p.id), (Field(1.0, words(p.text, p.heading)),))

    def title(self, catalog: Catalog, key: str) -> str:
        return shorten(catalog.passages[key].text, 70)

    def card(self, catalog: Catalog, key: str, m: Markup) -> str:
        return catalog.passage_card(catalog.passages[key], m)


class SectionKind(RecordKind):
    """A numbered heading of the body text."""

    name = "section"

    def records(self, catalog: Catalog) -> Mapping[str, object]:
        return catalog.sections

    def entries(self, catalog: Catalog) -> Iterable[Entry]:
        for x in catalog.programme.sections:
            yield Entry(self.name, x.ref, (Field(1.0, words(x.title)),))

    def title(self, catalog: Catalog, key: str) -> str:
        return shorten(f"Mục {key}: {catalog.sections[key].title}", 70)

    def card(self, catalog: Catalog, key: str, m: Markup) -> str:
        return catalog.section_card(catalog.sections[key], m)


KINDS: dict[str, RecordKind] = {
    k.name: k
    for k in (TaskKind(), IndicatorKind(), ResponsibilityKind(), PassageKind(), SectionKind())
}
