"""Browsing for the bot's commands and pickers: targets, tasks, a body, records by prefix."""

from __future__ import annotations

from knowledge.programme.agencies import agency_key, split_names
from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.agency import AgencyAnswers
from knowledge.qa.families.area import AreaAnswers
from knowledge.qa.families.common import correct_topic, result_of, specific
from knowledge.qa.families.overview import all_tasks_answer
from knowledge.qa.families.quarter import QuarterAnswers
from knowledge.qa.families.replies import help_answer, not_found_answer
from knowledge.qa.families.search import Search
from knowledge.qa.families.task import TaskAnswers
from knowledge.qa.index import SearchIndex
from knowledge.qa.query import Intent, parse_query
from knowledge.qa.retrieve import RANKING
from knowledge.render import Markup, agency_display, plural_tasks

__all__ = ["Browser"]


class Browser:
    """What ``/chitieu``, ``/nhiemvu``, ``/coquan`` and inline mode show."""

    def __init__(
        self,
        catalog: Catalog,
        index: SearchIndex,
        *,
        tasks: TaskAnswers,
        agency: AgencyAnswers,
        quarter: QuarterAnswers,
        area: AreaAnswers,
        search: Search,
    ) -> None:
        """Keep the records, the index and the families a browse answer is made of."""
        self.catalog = catalog
        self.index = index
        self.tasks = tasks
        self.agency = agency
        self.quarter = quarter
        self.area = area
        self.search = search

    def indicators(self, keyword: str, m: Markup) -> Answer:
        """Targets: all of them by area, an area's, or those matching ``keyword``."""
        q = parse_query(f"chỉ tiêu {keyword}", self.index.correct_unknown)
        if not specific(q.topic):
            q.wants_list = True
            return self.area.answer(q, m) or help_answer(q, self.catalog, m)
        area = self.area.answer(q, m)
        if area is not None:
            return area
        guessed = correct_topic(self.index, q)
        return self.search.answer(q, guessed, m, kinds={"indicator"})

    def tasks_matching(self, keyword: str, m: Markup) -> Answer:
        """Appendix tasks: all of them, one by code, a quarter's, or those matching ``keyword``."""
        q = parse_query(keyword, self.index.correct_unknown)
        task = self.catalog.task(q.code) if q.code else None
        if task is not None:
            related = self.tasks.related_passage(task.code)
            return self.tasks.card_answer(q, task, 1.0, [], m, related)
        if not specific(q.topic) and not q.quarter:
            return all_tasks_answer(q, self.catalog, m)
        guessed = correct_topic(self.index, q)
        quarter = self.quarter.answer(q, m)
        if quarter is not None:
            return quarter
        return self.search.answer(q, guessed, m, kinds={"task"})

    def body(self, name: str, m: Markup) -> Answer:
        """What a body leads in the appendix and its duties; without a name, the bodies."""
        q = parse_query(name, self.index.correct_unknown)
        q.intent = Intent.AGENCY
        if not q.folded:
            lines = [m.bold("Các cơ quan, tổ chức được nêu trong chương trình:")]
            lines.extend(f"• {m.text(a)}" for a in self.catalog.agency_names)
            return Answer(q.raw, Intent.AGENCY, True, "\n".join(lines))
        found = self.catalog.resolve_agency(name)
        if found is None:
            return not_found_answer(q, [], self.catalog, m)
        lead, led = self.catalog.leading_body(found)
        duties = self.catalog.duties_of(found)
        parts = []
        if led:
            parts.append(self.agency.tasks_answer(q, lead, led, duties, m).text)
        else:
            parts.append(
                m.text(f"{agency_display(found)} không chủ trì nhiệm vụ nào trong Phụ lục.")
            )
        if duties:
            parts.append(self.agency.duties_answer(q, found, duties, [], m).text)
        parts.extend(self._other_roles(found, m))
        return Answer(q.raw, Intent.AGENCY, True, "\n\n".join(parts))

    def _other_roles(self, body: str, m: Markup) -> list[str]:
        """The body's other roles in the appendix: issuing body, approval level."""
        key = agency_key(body)
        lines = []
        for column, label in (("issuer", "Ban hành"), ("approval", "Cho ý kiến")):
            codes = [
                t.code
                for t in self.catalog.programme.tasks
                if any(agency_key(n) == key for n in split_names(getattr(t, column)))
            ]
            if codes:
                lines.append(m.text(f"{label} {plural_tasks(len(codes))}: {', '.join(codes)}."))
        return lines

    def suggest(self, text: str, limit: int, kinds: set[str] | None) -> list[Result]:
        """Records matching ``text``, best first; the first targets and tasks when it is empty."""
        q = parse_query(text, self.index.correct_unknown)
        catalog = self.catalog
        results: list[Result] = []
        task = catalog.task(q.code) if q.code else None
        if task is not None and (kinds is None or "task" in kinds):
            results.append(Result("task", task.code, 1.0, catalog.title_of("task", task.code)))
        if not q.topic:
            if results:
                return results
            defaults = [("indicator", str(i.id)) for i in catalog.programme.indicators[:10]]
            defaults += [("task", t.code) for t in catalog.programme.tasks[:10]]
            return [Result(k, key, 0.0, catalog.title_of(k, key)) for k, key in defaults][:limit]
        guessed = correct_topic(self.index, q)
        hits = self.search.weigh(q, self.index.score(q.topic, kinds, guessed))
        results += [result_of(h, catalog) for h in hits if h.score >= RANKING.suggest]
        return results[:limit]
