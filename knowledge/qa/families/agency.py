"""Body questions: "Ban Tuyên giáo chủ trì những gì", "HĐND tỉnh làm gì", "phần D giao ... gì"."""

from __future__ import annotations

from knowledge.programme.agencies import cut_spans
from knowledge.programme.model import Responsibility, Task
from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.common import GENERIC
from knowledge.qa.index import Entry, Field, SearchIndex
from knowledge.qa.kinds import words
from knowledge.qa.query import PART_LETTER, Intent, ParsedQuery
from knowledge.qa.retrieve import RANKING
from knowledge.render import Markup, agency_display, plural_tasks, responsibility_card, task_line

__all__ = ["AgencyAnswers", "read_duties_part"]

# A lettered part named in a question: "phần D", "mục D".


def read_duties_part(q: ParsedQuery, letters: set[str]) -> bool:
    """Whether "phần D giao ... việc gì" names the implementation part: then it asks duties.

    Args:
        q: The question; marked as asking duties, the part's name taken out of its topic.
        letters: The folded letters of the implementation part's items ("d").

    Returns:
        True when the question names the part: its answer is one of the part's items.

    """
    named = PART_LETTER.search(q.folded)
    by_name = "phan to chuc thuc hien" in q.folded and bool(letters)
    if not by_name and (named is None or named.group(1) not in letters):
        return False
    q.wants_duties = True
    if named is not None:
        q.topic = [w for w in " ".join(q.topic).replace(named.group(0), " ").split()]
    if q.intent == Intent.LEAD:
        q.intent = Intent.PASSAGE  # "phụ trách việc gì" is what it does, not who leads
    return True


class AgencyAnswers:
    """A body's appendix tasks and its duties in the implementation part."""

    def __init__(self, catalog: Catalog, index: SearchIndex) -> None:
        """Keep the records and the index that finds a duty on a topic."""
        self.catalog = catalog
        self.index = index
        # Each lead body's tasks as their own small index, built the first time it is asked.
        self._own: dict[tuple[str, ...], SearchIndex] = {}

    def _tasks_index(self, led: list[Task]) -> SearchIndex:
        """The tasks as one field each (content, group, part): "xây dựng Đảng" finds the part."""
        key = tuple(t.code for t in led)
        if key not in self._own:
            self._own[key] = SearchIndex(
                Entry("task", t.code, (Field(1.0, words(t.content, t.group, t.part_title)),))
                for t in led
            )
        return self._own[key]

    def answer(self, q: ParsedQuery, m: Markup) -> Answer | None:
        """What the body ``q`` names leads or must do (on its topic, if any), or None."""
        spans = self.catalog.agencies.spans(" ".join(q.topic))
        if not spans:
            return None
        topic = cut_spans(" ".join(q.topic), spans)
        left = [w for w in topic.split() if w not in GENERIC]
        name = spans[0][2]
        lead, led = self.catalog.leading_body(name)
        duties = self.catalog.duties_of(name)
        on_topic = self._duty_on_topic(q, topic.split(), duties, led)
        if on_topic is not None:
            # "Ban Tuyên giáo phải đẩy mạnh tuyên truyền gì": the item of the implementation
            # part that says so, not the list of the body's appendix tasks.
            return self.duties_answer(q, name, [on_topic], [], m)
        if left:
            answer = self._on_topic(q, left, lead, led, duties, m)
            if answer is not None or not q.wants_duties or len(left) > 2:
                return answer
        return self._whole(q, name, lead, led, duties, m)

    def _on_topic(
        self,
        q: ParsedQuery,
        left: list[str],
        lead: str,
        led: list[Task],
        duties: list[Responsibility],
        m: Markup,
    ) -> Answer | None:
        """The body's tasks on the rest of the topic: "nhiệm vụ xây dựng Đảng do Ban CSĐ ..."."""
        if not (led and (q.wants_list or q.intent == Intent.LEAD)):
            return None
        hits = self._tasks_index(led).score(left)
        # Within one body's tasks a weaker match is enough to filter.
        top = hits[0].score if hits else 0.0
        chosen = [h for h in hits if h.score >= max(RANKING.filter, top * 0.8)]
        if chosen:
            tasks = [self.catalog.tasks[h.entry.key] for h in chosen]
            return self.tasks_answer(q, lead, tasks, duties, m, topic=True)
        if q.wants_list:
            return self.tasks_answer(q, lead, led, duties, m)
        return None

    def _whole(
        self,
        q: ParsedQuery,
        name: str,
        lead: str,
        led: list[Task],
        duties: list[Responsibility],
        m: Markup,
    ) -> Answer | None:
        """The body's duties or its tasks, whichever the question asks (or the body has)."""
        asks_tasks = q.wants_list or q.intent == Intent.LEAD or q.wants_task
        if q.wants_duties and not q.wants_list and duties:
            return self.duties_answer(q, name, duties, led, m)
        if asks_tasks and led:
            return self.tasks_answer(q, lead, led, duties, m)
        if duties:
            return self.duties_answer(q, name, duties, led, m)
        if led:
            return self.tasks_answer(q, lead, led, duties, m)
        return None

    def _duty_on_topic(
        self, q: ParsedQuery, left: list[str], duties: list[Responsibility], led: list[Task]
    ) -> Responsibility | None:
        """The body's responsibility item that covers the rest of the question, if one does.

        Only when the question does not ask for appendix tasks, and the item covers the topic
        better than any of the body's tasks does.
        """
        if not left or not duties or q.wants_task or q.intent in Intent.TASK_FIELDS:
            return None
        own = {r.number for r in duties}
        items = [h for h in self.index.score(left, {"responsibility"}) if h.entry.key in own]
        if not items or items[0].score < RANKING.found:
            return None
        codes = {t.code for t in led}
        tasks = [h for h in self.index.score(left, {"task"}) if h.entry.key in codes]
        if tasks and tasks[0].score >= items[0].score:
            return None
        return next(r for r in duties if r.number == items[0].entry.key)

    def tasks_answer(
        self,
        q: ParsedQuery,
        name: str,
        led: list[Task],
        duties: list[Responsibility],
        m: Markup,
        *,
        topic: bool = False,
    ) -> Answer:
        """The tasks a body leads (on the question's topic), and where its duties are."""
        which = " về nội dung này" if topic else ""
        lines = [
            m.bold(f"{agency_display(name)} chủ trì tham mưu {plural_tasks(len(led))}{which}:")
        ]
        lines.extend(task_line(t, m) for t in led)
        if duties:
            refs = ", ".join(f"mục {r.ref}" for r in duties)
            lines.append(m.text(f"Trách nhiệm trong tổ chức thực hiện: {refs}."))
        lines.append(m.italic("Nguồn: Phụ lục, cột “Cơ quan chủ trì tham mưu”"))
        title_of = self.catalog.title_of
        results = [Result("task", t.code, 1.0, title_of("task", t.code)) for t in led]
        return Answer(q.raw, Intent.BY_AGENCY, True, "\n".join(lines), results)

    def duties_answer(
        self,
        q: ParsedQuery,
        name: str,
        duties: list[Responsibility],
        led: list[Task],
        m: Markup,
    ) -> Answer:
        """A body's duties (the first three in full), then the tasks it leads."""
        lines = [m.bold(f"Trách nhiệm của {agency_display(name)}:")]
        lines.extend(responsibility_card(r, m) for r in duties[:3])
        if led:
            lines.append(
                m.text(f"Ngoài ra, chủ trì tham mưu {plural_tasks(len(led))} trong Phụ lục:")
            )
            lines.extend(task_line(t, m) for t in led[:10])
        title_of = self.catalog.title_of
        results = [
            Result("responsibility", r.number, 1.0, title_of("responsibility", r.number))
            for r in duties
        ]
        return Answer(q.raw, Intent.DUTIES, True, "\n".join(lines), results)
