"""The programme's records by key, the look-ups over them, and their cards.

:class:`Catalog` answers "which task has code 5.3", "what does this body lead",
"which tasks are due in Quý III 2021" and renders any record as a card. The
question-answering :class:`knowledge.engine.Engine` builds on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from knowledge.programme.agencies import AgencyIndex, agency_key, split_names
from knowledge.programme.model import Indicator, Passage, Programme, Responsibility, Section, Task
from knowledge.programme.quarters import quarter_of
from knowledge.qa.lexicon import expand
from knowledge.render import (
    PLAIN,
    Markup,
    passage_card,
    section_card,
    task_columns,
)
from knowledge.text import fold

if TYPE_CHECKING:
    from knowledge.qa.progress_view import ProgressView

__all__ = ["Catalog"]


class Catalog:
    """A programme's records, looked up by key, by body, by quarter or by area."""

    def __init__(self, programme: Programme, progress: ProgressView | None = None) -> None:
        """Key the records of ``programme``.

        Args:
            programme: The parsed (or stored) programme.
            progress: Where tasks stand, when progress is tracked (cards show it).

        """
        self.programme = programme
        self.tasks = {t.code: t for t in programme.tasks}
        self.indicators = {str(i.id): i for i in programme.indicators}
        self.responsibilities = {r.number: r for r in programme.responsibilities}
        self.passages = {str(p.id): p for p in programme.passages}
        self.sections = {x.ref: x for x in programme.sections}
        self.agencies = AgencyIndex(programme.agencies)
        self.agency_names = [a.name for a in programme.agencies]
        self.areas = list(dict.fromkeys(i.area for i in programme.indicators))
        self.columns = task_columns(programme.tasks, programme.kind)
        self.progress = progress.of(programme) if progress is not None else None
        # Each lead body's tasks, by the body's key (any spelling), in document order.
        self._led: dict[str, list[Task]] = {}
        for t in programme.tasks:
            for key in dict.fromkeys(agency_key(n) for n in split_names(t.lead)):
                self._led.setdefault(key, []).append(t)

    def title_of(self, kind: str, key: str) -> str:
        """A short title for a record, for lists and buttons."""
        from knowledge.qa.kinds import KINDS

        found = KINDS.get(kind)
        return found.title(self, key) if found is not None else key

    def card(self, kind: str, key: str, m: Markup = PLAIN) -> str | None:
        """Render one record by kind and key (for buttons and commands), or None."""
        from knowledge.qa.kinds import KINDS

        found = KINDS.get(kind)
        if found is None or key not in found.records(self):
            return None
        return found.card(self, key, m)

    def section_content(self, ref: str) -> tuple[list[Section], list[Passage]]:
        """The direct sub-sections and passages of a section."""
        depth = ref.count(".") + 1
        children = [
            x
            for x in self.programme.sections
            if x.ref.startswith(ref + ".") and x.ref.count(".") == depth
        ]
        # Its own paragraphs, and numbered items ("A.I.1") that are not sections.
        passages = [
            p
            for p in self.programme.passages
            if p.ref == ref
            or (
                p.ref.startswith(ref + ".")
                and p.ref.count(".") == depth
                and p.ref not in self.sections
            )
        ]
        return children, passages

    def section_card(self, section: Section, m: Markup) -> str:
        """A section with its sub-sections and paragraphs."""
        children, passages = self.section_content(section.ref)
        return section_card(section, children, passages, m)

    def passage_card(self, p: Passage, m: Markup) -> str:
        """A passage; an introduction ("…, gồm:") with what it introduces."""
        text = passage_card(p, m)
        # An introduction ("..., gồm:") is answered by what it introduces.
        if p.text.rstrip().endswith(":"):
            children, _ = self.section_content(p.ref)
            if children:
                text += "\n" + "\n".join(
                    f"• {m.text(x.ref.rsplit('.', 1)[-1])}) {m.text(x.title)}" for x in children
                )
        return text

    def status_line(self, task: Task) -> str:
        """Where the task stands ("Tình trạng: …"), or "" when progress is not tracked."""
        return self.progress.line(task) if self.progress is not None else ""

    def siblings(self, ind: Indicator) -> list[Indicator]:
        """Targets from the same bullet as ``ind`` (including it)."""
        return [i for i in self.programme.indicators if i.sentence == ind.sentence]

    def task(self, code: str) -> Task | None:
        """The task with this code; case and a missing part prefix are forgiven ("ii.3", "3")."""
        code = code.strip().upper().rstrip(".")
        if code in self.tasks:
            return self.tasks[code]
        matches = [c for c in self.tasks if c.split(".", 1)[-1] == code or c.endswith("." + code)]
        return self.tasks[matches[0]] if len(matches) == 1 else None

    def tasks_led_by(self, agency: str) -> list[Task]:
        """Tasks whose lead agency is ``agency`` (any spelling)."""
        return list(self._led.get(agency_key(agency), ()))

    def leading_body(self, agency: str) -> tuple[str, list[Task]]:
        """The tasks ``agency`` leads; when it leads none, those of the body it stands within.

        "Ủy ban nhân dân tỉnh" leads nothing in the appendix, but "Ban cán sự đảng Ủy ban
        nhân dân tỉnh" does; "Mặt trận Tổ quốc" is the heart of "Ủy ban Mặt trận Tổ quốc
        Việt Nam tỉnh". Only names of three syllables or more are looked for inside others.

        Returns:
            ``(the leading body's name, its tasks)``.

        """
        led = self.tasks_led_by(agency)
        key = agency_key(agency)
        if led or len(key.split()) < 3:
            return agency, led
        for other in self.agency_names:
            if other != agency and f" {key} " in f" {agency_key(other)} ":
                tasks = self.tasks_led_by(other)
                if tasks:
                    return other, tasks
        return agency, []

    def duties_of(self, agency: str) -> list[Responsibility]:
        """Responsibilities that name ``agency``, the ones addressed to it first."""
        key = agency_key(agency)
        direct = [
            r
            for r in self.programme.responsibilities
            if any(agency_key(b) == key for b in r.bodies[:1])
        ]
        named = [
            r
            for r in self.programme.responsibilities
            if r not in direct and any(agency_key(b) == key for b in r.bodies)
        ]
        return direct + named

    def indicators_in(self, area: str) -> list[Indicator]:
        """Targets of an area (folded area words accepted).

        A table's group row may name less than the area asked: "Chỉ tiêu về xã hội" is the
        area "văn hóa - xã hội" a question reads.
        """
        want = " ".join(fold(area).split())
        inside = [i for i in self.programme.indicators if want in fold(i.area)]
        return inside or [
            i for i in self.programme.indicators if f" {fold(i.area)} " in f" {want} "
        ]

    def tasks_due(self, quarter: int | None, year: int | None) -> list[Task]:
        """Tasks whose submission time falls in a quarter and/or year."""
        out = []
        for t in self.programme.tasks:
            q = quarter_of(t.due)
            if q is None:
                continue
            if quarter is not None and q[0] != quarter:
                continue
            if year is not None and q[1] != year:
                continue
            out.append(t)
        return out

    def resolve_agency(self, name: str) -> str | None:
        """The canonical name of the body ``name`` refers to (any spelling, typos), or None."""
        folded = expand(fold(name), agency=True)
        if not folded:
            return None
        spans = self.agencies.spans(folded)
        if spans:
            return spans[0][2]
        choice = process.extractOne(
            folded,
            {a: agency_key(a) for a in self.agency_names},
            scorer=fuzz.partial_ratio,
            score_cutoff=85,
        )
        return None if choice is None else str(choice[2])
