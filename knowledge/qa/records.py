"""Record questions: a task's column, a target, a passage, a body's tasks and duties.

:class:`RecordAnswerer` holds the programme's index and answers one question about records:
it parses it (:mod:`knowledge.qa.query`), picks the records that answer it
(:mod:`knowledge.qa.index` for topics, direct look-ups for codes, quarters, areas and bodies),
and renders the direct answer first, then the card, then the source reference. The pipeline
(:mod:`knowledge.qa.pipeline`) sends it what its own stages do not answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.programme.agencies import agency_key, split_names
from knowledge.programme.closing import CLOSING_REFS
from knowledge.programme.model import Passage, Programme, Responsibility, Task
from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.index import Entry, Field, Hit, SearchIndex
from knowledge.qa.kinds import KINDS
from knowledge.qa.lexicon import expand
from knowledge.qa.progress_view import ProgressView
from knowledge.qa.query import Intent, ParsedQuery, intent_pairs, intent_vocabulary, parse_query
from knowledge.qa.retrieve import RANKING
from knowledge.qa.understand import Question
from knowledge.render import (
    PLAIN,
    TASK_FIELD_LABELS,
    Markup,
    agency_display,
    indicator_card,
    indicator_line,
    plural_tasks,
    responsibility_card,
    shorten,
    task_card,
    task_line,
)
from knowledge.text import bigrams, fold

__all__ = ["FOUND_THRESHOLD", "RecordAnswerer"]

FOUND_THRESHOLD = RANKING.found
# Questions about the document itself: its date, its number, who signed it.
_ABOUT_DOCUMENT = re.compile(
    r"\b(?:ai ky|nguoi ky|ky ngay|ngay ky|ky (?:vao )?(?:ngay nao|khi nao|luc nao)|"
    r"ngay ban hanh|ban hanh ngay nao|so hieu|so van ban|ai la bi thu|bi thu tinh uy la ai|"
    r"(?:chuong trinh|van ban)(?: nay)? (?:ban hanh|ky) (?:khi nao|ngay nao|nam nao)|"
    r"(?:chuong trinh|van ban)(?: hanh dong)?(?: nay)? (?:la )?so (?:bao nhieu|may|gi)|"
    r"ke hoach (?:nay |nay la |la )?so (?:bao nhieu|may|gi)|"
    r"(?:ke hoach|chuong trinh|van ban) nay (?:ban hanh |ky )?(?:ngay nao|khi nao))\b"
)
SUGGEST_THRESHOLD = RANKING.suggest
FILTER_THRESHOLD = RANKING.filter
CLOSE_RATIO = RANKING.close
KIND_PRIOR = dict(RANKING.kind_prior)
RELATED_THRESHOLD = RANKING.related
# Words that say "a task/target in general" and no topic.
_GENERIC = frozenset(
    [
        "nhiem",
        "vu",
        "de",
        "an",
        "ke",
        "hoach",
        "chuong",
        "trinh",
        "nghi",
        "quyet",
        "viec",
        "cong",
        "trinh",
        "phu",
        "luc",
        "chi",
        "tieu",
        "muc",
        "tieu",
        "trinh",
        "tinh",
        "cac",
        "nhung",
        "linh",
        "vuc",
        "ve",
        "nhom",
        "so",
        "noi",
        "dung",
        "thuc",
        "hien",
        "cua",
        "phai",
        "trong",
        "co",
        "nao",
        "duoc",
        "se",
        "can",
        "da",
        "vao",
        "cho",
        "do",
        "la",
        "thi",
        "ma",
        "nam",
    ]
)
_WHICH = re.compile(r"\b(?:nhung|cac) (?!nhiem vu|de an|chi tieu)[a-z]+(?: [a-z]+){0,3} nao\b")
_QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
FIELD_SENTENCES = {
    Intent.LEAD: "{lead} chủ trì tham mưu nhiệm vụ {code}.",
    Intent.COORDINATING: "Cơ quan phối hợp thực hiện nhiệm vụ {code}: {coordinating}.",
    Intent.PRODUCT: "Sản phẩm của nhiệm vụ {code}: {product}.",
    Intent.DUE: "Thời gian trình nhiệm vụ {code}: {due}.",
    Intent.PERIOD: "Thời gian thực hiện nhiệm vụ {code}: {period}.",
    Intent.APPROVAL: "Cấp trình cho ý kiến nhiệm vụ {code}: {approval}.",
    Intent.ISSUER: "Cơ quan ban hành nhiệm vụ {code}: {issuer}.",
}
FIELD_MISSING = {
    Intent.LEAD: "Phụ lục không ghi cơ quan chủ trì cho nhiệm vụ {code}.",
    Intent.COORDINATING: "Phụ lục không ghi cơ quan phối hợp cho nhiệm vụ {code}.",
    Intent.PRODUCT: "Phụ lục không ghi sản phẩm của nhiệm vụ {code}.",
    Intent.DUE: "Phụ lục không ghi thời gian trình cho nhiệm vụ {code}.",
    Intent.PERIOD: "Phụ lục không ghi thời gian thực hiện cho nhiệm vụ {code}.",
    Intent.APPROVAL: "Phụ lục không ghi cấp trình cho ý kiến của nhiệm vụ {code}.",
    Intent.ISSUER: "Phụ lục không ghi cơ quan ban hành nhiệm vụ {code}.",
}
EXAMPLES = (
    "ai chủ trì đề án chuyển đổi số?",
    "chỉ tiêu che phủ rừng 2025",
    "hạn trình đề án nông nghiệp hữu cơ",
    "Ban Tuyên giáo Tỉnh ủy chủ trì những nhiệm vụ nào",
)


def _words(*parts: str) -> tuple[str, ...]:
    return tuple(expand(fold(" ".join(p for p in parts if p))).split())


# A lettered part named in a question: "phần D", "mục D".
_PART_LETTER = re.compile(r"\b(?:phan|muc) ([a-e])\b")
# Words of a date ("đến năm 2025"): a pair with one of them is not a word of the topic.
_DATE_WORDS = frozenset(["nam", "den", "toi", "thang", "quy", "giai", "doan"])


def _apart(hit: Hit, pairs: set[str]) -> float:
    """:attr:`Ranking.apart` when the entry holds the question's syllables but none of its pairs.

    Vietnamese words are mostly two syllables: "nhập khẩu" matched as "thu nhập" and "xuất
    khẩu" is another word.
    """
    if len(hit.matched) < 2 or not pairs or any(f.pairs & pairs for f in hit.entry.fields):
        return 1.0
    return RANKING.apart


class RecordAnswerer(Catalog):
    """Answers one record question about a programme; built once, read-only afterwards."""

    def __init__(self, programme: Programme, progress: ProgressView | None = None) -> None:
        """Index ``programme``.

        Args:
            programme: The parsed (or stored) programme.
            progress: Where tasks stand (the report log), when progress is tracked.

        """
        super().__init__(programme, progress)
        self._related: dict[str, Passage | None] = {}
        self.index = SearchIndex(self._entries(), intent_vocabulary(), intent_pairs())

    # -- index -------------------------------------------------------------

    def _entries(self) -> Iterable[Entry]:
        for kind in KINDS.values():
            yield from kind.entries(self)

    # -- public look-ups ------------------------------------------------------

    # -- answering -------------------------------------------------------------

    def _first_body(self, folded: str) -> str:
        spans = self.agencies.spans(folded)
        return spans[0][2] if spans else ""

    def refuse(self, question: Question, m: Markup = PLAIN) -> Answer | None:
        """The refusal of a question about another province, or None."""
        q = parse_query(question.text)
        place = q.mentions_other_place(self._known_phrase)
        return self._other_place(q, place, m) if place else None

    def answer_one(self, question: str, m: Markup = PLAIN) -> Answer:
        """Answer one record question (a task's column, a target, a passage, a body)."""
        q = parse_query(question, self.index.correct_unknown)
        place = q.mentions_other_place(self._known_phrase)
        if place:
            return self._other_place(q, place, m)
        if _ABOUT_DOCUMENT.search(q.folded):
            return self._document_answer(q, m)
        if q.intent == Intent.EMPTY:
            if q.wants_indicator:
                return self._area_answer(q, "", m) or self._help(q, m)
            if q.wants_task:
                return self._all_tasks(q, m)
            return self._help(q, m)
        only_generic = all(w in _GENERIC for w in q.topic)
        if only_generic and not q.code and not q.quarter and q.intent == Intent.PASSAGE:
            # "nhiệm vụ", "các đề án", "chỉ tiêu": the whole list.
            if q.wants_task:
                return self._all_tasks(q, m)
            if q.wants_indicator:
                return self._area_answer(q, "", m) or self._help(q, m)
        self._duties_part(q)
        # Syllables that typo correction produced are guesses; they count for less.
        words, guessed = self._topic(q)
        corrected_folded = " ".join(words)
        if q.code:
            task = self.task(q.code)
            if task and len([w for w in words if w not in _GENERIC]) <= 3:
                return self._task_answer(q, task, 1.0, [], m)
        for handler in (self._agency_answer, self._quarter_answer, self._area_answer):
            answer = handler(q, corrected_folded, m)
            if answer is not None:
                return answer
        return self._search_answer(q, words, guessed, m)

    def _duties_part(self, q: ParsedQuery) -> None:
        """Whether "phần D giao ... việc gì" names the implementation part: then it asks duties."""
        letters = {r.ref.split(".")[0].casefold() for r in self.programme.responsibilities}
        named = _PART_LETTER.search(q.folded)
        if named is None or named.group(1) not in letters:
            return
        q.wants_duties = True
        q.topic = [w for w in " ".join(q.topic).replace(named.group(0), " ").split()]
        if q.intent == Intent.LEAD:
            q.intent = Intent.PASSAGE  # "phụ trách việc gì" is what it does, not who leads

    def _known_phrase(self, folded: str) -> bool:
        """Whether every adjacent pair of a folded phrase occurs in the programme."""
        return all(pair in self.index.pairs for pair in bigrams(folded.split()))

    def _other_place(self, q: ParsedQuery, place: str, m: Markup) -> Answer:
        text = m.text(
            f"{self.programme.title} không có nội dung về {place}. "
            "Mình chỉ trả lời theo chương trình này."
        )
        return Answer(q.raw, q.intent, False, text)

    # -- browsing (bot commands) ----------------------------------------------

    def _topic(self, q: ParsedQuery) -> tuple[list[str], list[str]]:
        original = list(q.topic)
        words, _ = self.index.correct(q.topic)
        q.topic = words
        return words, [n for n, o in zip(words, original, strict=True) if n != o]

    def browse_indicators(self, keyword: str, m: Markup = PLAIN) -> Answer:
        """Targets: all of them by area, an area's, or those matching ``keyword``.

        Args:
            keyword: Empty, an area ("môi trường") or words of a target.
            m: Markup for the answer text.

        Returns:
            The answer.

        """
        q = parse_query(f"chỉ tiêu {keyword}", self.index.correct_unknown)
        if not [w for w in q.topic if w not in _GENERIC]:
            q.wants_list = True
            return self._area_answer(q, "", m) or self._help(q, m)
        area = self._area_answer(q, "", m)
        if area is not None:
            return area
        words, guessed = self._topic(q)
        return self._search_answer(q, words, guessed, m, kinds={"indicator"})

    def browse_tasks(self, keyword: str, m: Markup = PLAIN) -> Answer:
        """Appendix tasks: all of them, one by code, a quarter's, or those matching ``keyword``.

        Args:
            keyword: Empty, a code ("5.3", "II.8"), a quarter or words of a task.
            m: Markup for the answer text.

        Returns:
            The answer.

        """
        q = parse_query(keyword, self.index.correct_unknown)
        if q.code and self.task(q.code):
            task = self.task(q.code)
            assert task is not None
            return self._task_answer(q, task, 1.0, [], m, self.related_passage(task.code))
        if not [w for w in q.topic if w not in _GENERIC] and not q.quarter:
            return self._all_tasks(q, m)
        words, guessed = self._topic(q)
        quarter = self._quarter_answer(q, " ".join(words), m)
        if quarter is not None:
            return quarter
        return self._search_answer(q, words, guessed, m, kinds={"task"})

    def browse_agency(self, name: str, m: Markup = PLAIN) -> Answer:
        """What a body leads in the appendix and its duties in the implementation part.

        Args:
            name: The body, in any spelling ("Ban Tuyên giáo", "UBND tỉnh", "MTTQ").
            m: Markup for the answer text.

        Returns:
            The answer; without a name, the list of bodies.

        """
        q = parse_query(name, self.index.correct_unknown)
        q.intent = Intent.AGENCY
        if not q.folded:
            lines = [m.bold("Các cơ quan, tổ chức được nêu trong chương trình:")]
            lines.extend(f"• {m.text(a)}" for a in self.agency_names)
            return Answer(q.raw, Intent.AGENCY, True, "\n".join(lines))
        found = self.resolve_agency(name)
        if found is None:
            return self._not_found(q, [], m)
        lead, led = self.leading_body(found)
        duties = self.duties_of(found)
        parts = []
        if led:
            parts.append(self._agency_tasks_answer(q, lead, led, duties, m).text)
        else:
            parts.append(
                m.text(f"{agency_display(found)} không chủ trì nhiệm vụ nào trong Phụ lục.")
            )
        if duties:
            parts.append(self._duties_answer(q, found, duties, [], m).text)
        # Other roles in the appendix: issuing body, approval level.
        key = agency_key(found)
        for column, label in (("issuer", "Ban hành"), ("approval", "Cho ý kiến")):
            codes = [
                t.code
                for t in self.programme.tasks
                if any(agency_key(n) == key for n in split_names(getattr(t, column)))
            ]
            if codes:
                parts.append(m.text(f"{label} {plural_tasks(len(codes))}: {', '.join(codes)}."))
        return Answer(q.raw, Intent.AGENCY, True, "\n\n".join(parts))

    def suggest(self, text: str, limit: int = 20, kinds: set[str] | None = None) -> list[Result]:
        """Records matching ``text``, best first, for inline mode and pickers.

        Args:
            text: What the user typed so far.
            limit: At most this many.
            kinds: Only these kinds of record (all when None).

        Returns:
            Tasks, targets, responsibilities, sections and passages that match,
            weaker matches included; the first targets and tasks when ``text``
            is empty.

        """
        q = parse_query(text, self.index.correct_unknown)
        results: list[Result] = []
        if q.code and self.task(q.code) and (kinds is None or "task" in kinds):
            task = self.task(q.code)
            assert task is not None
            results.append(Result("task", task.code, 1.0, self.title_of("task", task.code)))
        if not q.topic:
            if results:
                return results
            defaults = [("indicator", str(i.id)) for i in self.programme.indicators[:10]]
            defaults += [("task", t.code) for t in self.programme.tasks[:10]]
            return [Result(k, key, 0.0, self.title_of(k, key)) for k, key in defaults][:limit]
        words, guessed = self._topic(q)
        hits = self._weigh(q, self.index.score(words, kinds, guessed))
        results += [self._result(h) for h in hits if h.score >= SUGGEST_THRESHOLD]
        return results[:limit]

    def _all_tasks(self, q: ParsedQuery, m: Markup) -> Answer:
        """Every appendix task, one short line each, by part."""
        lines = [m.bold(f"Phụ lục có {plural_tasks(len(self.programme.tasks))}:")]
        part = None
        for t in self.programme.tasks:
            if t.part != part:
                part = t.part
                lines.append(m.bold(f"{t.part}. {t.part_title}"))
            lines.append(f"• {m.bold(t.code)} {m.text(shorten(t.content, 80))}")
        lines.append(m.italic("Hỏi “nhiệm vụ 5.3” để xem chi tiết một nhiệm vụ."))
        results = [
            Result("task", t.code, 1.0, self.title_of("task", t.code))
            for t in self.programme.tasks
        ]
        return Answer(q.raw, Intent.TASK, True, "\n".join(lines), results)

    def _document_answer(self, q: ParsedQuery, m: Markup) -> Answer:
        """When the programme was issued and who signed it, from its own header and signature."""
        p = self.programme
        lines = [m.bold(p.title) + (m.text(f" — {p.subtitle}") if p.subtitle else "")]
        if p.number:
            issuer = f" của {p.issuer}" if p.issuer else ""
            lines.append(m.text(f"Số: {p.number}{issuer}."))
        if p.issued:
            lines.append(m.text(f"Ngày ban hành: {p.issued}."))
        if p.signer:
            title = f" ({p.signer_title})" if p.signer_title else ""
            lines.append(m.text(f"Người ký: {p.signer}{title}."))
        lines.append(m.italic("Nguồn: phần đầu và phần ký của văn bản."))
        return Answer(q.raw, Intent.PASSAGE, bool(p.issued or p.signer), "\n".join(lines))

    def _help(self, q: ParsedQuery, m: Markup) -> Answer:
        text = "\n".join(
            [
                m.text(f"Mình trả lời câu hỏi về {self.programme.title}."),
                m.text("Thử hỏi, ví dụ:"),
                *(m.text(f"• {e}") for e in EXAMPLES),
            ]
        )
        return Answer(q.raw, Intent.EMPTY, False, text)

    def _not_found(self, q: ParsedQuery, hits: list[Hit], m: Markup) -> Answer:
        lines = [m.text(f"Chưa tìm thấy nội dung phù hợp trong {self.programme.title}.")]
        near = [h for h in hits[:3] if h.score >= FOUND_THRESHOLD * 0.6]
        if near:
            lines.append(m.text("Nội dung gần nhất:"))
            lines.extend(m.text(f"• {self.title_of(h.entry.kind, h.entry.key)}") for h in near)
        lines.append(m.italic("Thử hỏi ngắn hơn, ví dụ: “" + EXAMPLES[0] + "”."))
        return Answer(
            q.raw,
            q.intent,
            False,
            "\n".join(lines),
            alternatives=[self._result(h) for h in near],
        )

    def _result(self, hit: Hit) -> Result:
        return Result(
            hit.entry.kind,
            hit.entry.key,
            round(hit.score, 4),
            self.title_of(hit.entry.kind, hit.entry.key),
        )

    def _task_answer(
        self,
        q: ParsedQuery,
        task: Task,
        score: float,
        others: list[Hit],
        m: Markup,
        related: Passage | None = None,
    ) -> Answer:
        intent = q.intent if q.intent in Intent.TASK_FIELDS else Intent.TASK
        lines = []
        if intent in FIELD_SENTENCES:
            lines.append(m.bold(self._field_sentence(intent, task)))
        lines.append(task_card(task, m, status=self.status_line(task), columns=self.columns))
        if related is not None:
            lines.append(m.text(f"Trong phần nhiệm vụ, giải pháp (mục {related.ref}):"))
            lines.append(m.text(related.text))
        results = [Result("task", task.code, round(score, 4), self.title_of("task", task.code))]
        return self._with_alternatives(q, intent, lines, results, others, m)

    def _field_sentence(self, intent: str, task: Task) -> str:
        """The one column a question asks, in the words of the document's own appendix."""
        value = getattr(task, intent)
        label = self.columns.label(intent)
        if not self.columns.has(intent):
            return f"Phụ lục không có cột “{label}”; nhiệm vụ {task.code} như sau."
        if not value:
            return FIELD_MISSING[intent].format(code=task.code)
        if intent == Intent.LEAD:
            verb = "chủ trì tham mưu" if label == TASK_FIELD_LABELS["lead"] else "chủ trì"
            return f"{agency_display(value)} {verb} nhiệm vụ {task.code}."
        if label != TASK_FIELD_LABELS.get(intent, label):
            return f"{label} nhiệm vụ {task.code}: {value}."
        return FIELD_SENTENCES[intent].format(code=task.code, **{intent: value})

    def _with_alternatives(
        self,
        q: ParsedQuery,
        intent: str,
        lines: list[str],
        results: list[Result],
        others: list[Hit],
        m: Markup,
    ) -> Answer:
        alternatives = [self._result(h) for h in others]
        if alternatives:
            lines.append(m.text("Có thể bạn hỏi về:"))
            lines.extend(m.text(f"• {a.title}") for a in alternatives)
        return Answer(q.raw, intent, True, "\n".join(lines), results + alternatives, alternatives)

    # Body questions: "Ban Tuyên giáo chủ trì những gì", "HĐND tỉnh làm gì".
    def _agency_answer(self, q: ParsedQuery, folded: str, m: Markup) -> Answer | None:
        spans = self.agencies.spans(" ".join(q.topic))
        if not spans:
            return None
        topic = " ".join(q.topic)
        for start, end, _ in reversed(spans):
            topic = topic[:start] + " " + topic[end:]
        left = [w for w in topic.split() if w not in _GENERIC]
        name = spans[0][2]
        lead, led = self.leading_body(name)
        duties = self.duties_of(name)
        asks_tasks = q.wants_list or q.intent == Intent.LEAD or q.wants_task
        on_topic = self._duty_on_topic(q, topic.split(), duties, led)
        if on_topic is not None:
            # "Ban Tuyên giáo phải đẩy mạnh tuyên truyền gì": the item of the implementation
            # part that says so, not the list of the body's appendix tasks.
            return self._duties_answer(q, name, [on_topic], [], m)
        if left:
            # "nhiệm vụ xây dựng Đảng do Ban CSĐ UBND tỉnh chủ trì": the body's
            # tasks on that topic.
            if asks_tasks and led and (q.wants_list or q.intent == Intent.LEAD):
                # The body's tasks as one field each (content, group, part), so
                # "xây dựng Đảng" finds the tasks of the part on Party building.
                sub = SearchIndex(
                    Entry("task", t.code, (Field(1.0, _words(t.content, t.group, t.part_title)),))
                    for t in led
                )
                hits = sub.score(left)
                # Within one body's tasks a weaker match is enough to filter.
                top = hits[0].score if hits else 0.0
                chosen = [h for h in hits if h.score >= max(FILTER_THRESHOLD, top * 0.8)]
                if chosen:
                    tasks = [self.tasks[h.entry.key] for h in chosen]
                    return self._agency_tasks_answer(q, lead, tasks, duties, m, topic=True)
                if q.wants_list:
                    return self._agency_tasks_answer(q, lead, led, duties, m)
            if not q.wants_duties or len(left) > 2:
                return None
        if q.wants_duties and not q.wants_list and duties:
            return self._duties_answer(q, name, duties, led, m)
        if asks_tasks and led:
            return self._agency_tasks_answer(q, lead, led, duties, m)
        if duties:
            return self._duties_answer(q, name, duties, led, m)
        if led:
            return self._agency_tasks_answer(q, lead, led, duties, m)
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
        if not items or items[0].score < FOUND_THRESHOLD:
            return None
        codes = {t.code for t in led}
        tasks = [h for h in self.index.score(left, {"task"}) if h.entry.key in codes]
        if tasks and tasks[0].score >= items[0].score:
            return None
        return next(r for r in duties if r.number == items[0].entry.key)

    def _agency_tasks_answer(
        self,
        q: ParsedQuery,
        name: str,
        led: list[Task],
        duties: list[Responsibility],
        m: Markup,
        *,
        topic: bool = False,
    ) -> Answer:
        which = " về nội dung này" if topic else ""
        lines = [
            m.bold(f"{agency_display(name)} chủ trì tham mưu {plural_tasks(len(led))}{which}:")
        ]
        lines.extend(task_line(t, m) for t in led)
        if duties:
            refs = ", ".join(f"mục {r.ref}" for r in duties)
            lines.append(m.text(f"Trách nhiệm trong tổ chức thực hiện: {refs}."))
        lines.append(m.italic("Nguồn: Phụ lục, cột “Cơ quan chủ trì tham mưu”"))
        results = [Result("task", t.code, 1.0, self.title_of("task", t.code)) for t in led]
        return Answer(q.raw, Intent.BY_AGENCY, True, "\n".join(lines), results)

    def _duties_answer(
        self,
        q: ParsedQuery,
        name: str,
        duties: list[Responsibility],
        led: list[Task],
        m: Markup,
    ) -> Answer:
        lines = [m.bold(f"Trách nhiệm của {agency_display(name)}:")]
        lines.extend(responsibility_card(r, m) for r in duties[:3])
        if led:
            lines.append(
                m.text(f"Ngoài ra, chủ trì tham mưu {plural_tasks(len(led))} trong Phụ lục:")
            )
            lines.extend(task_line(t, m) for t in led[:10])
        results = [
            Result("responsibility", r.number, 1.0, self.title_of("responsibility", r.number))
            for r in duties
        ]
        return Answer(q.raw, Intent.DUTIES, True, "\n".join(lines), results)

    # "Nhiệm vụ trình trong quý III năm 2021".
    def _quarter_answer(self, q: ParsedQuery, folded: str, m: Markup) -> Answer | None:
        if q.quarter is None:
            return None
        left = [w for w in q.topic if w not in _GENERIC and not w.isdigit()]
        if len(left) > 1:
            return None
        quarter, year = q.quarter
        year = year or q.year
        tasks = self.tasks_due(quarter, year)
        when = f"Quý {_QUARTER_NAMES[quarter]}" + (f" năm {year}" if year else "")
        if not tasks:
            text = m.text(f"Phụ lục không có nhiệm vụ nào trình trong {when}.")
            return Answer(q.raw, Intent.BY_QUARTER, True, text)
        lines = [m.bold(f"Các nhiệm vụ trình trong {when} ({plural_tasks(len(tasks))}):")]
        lines.extend(task_line(t, m, show=("due", "lead")) for t in tasks)
        lines.append(m.italic("Nguồn: Phụ lục, cột “Thời gian trình”"))
        results = [Result("task", t.code, 1.0, self.title_of("task", t.code)) for t in tasks]
        return Answer(q.raw, Intent.BY_QUARTER, True, "\n".join(lines), results)

    # "Các chỉ tiêu về môi trường".
    def _area_answer(self, q: ParsedQuery, folded: str, m: Markup) -> Answer | None:
        if "chi tieu" not in q.folded:
            return None
        area_words = set(q.area.split()) | {
            "chi",
            "tieu",
            "chu",
            "yeu",
            "tat",
            "ca",
            "ve",
            "linh",
            "vuc",
            "danh",
            "sach",
            "tai",
            "nguyen",
            "phat",
            "trien",
            "ben",
            "vung",
            "he",
            "thong",
            "chinh",
            "tri",
            "nhom",
            "cac",
            "nhung",
            "toan",
            "bo",
            "nam",
            "2025",
            "den",
        }
        left = [w for w in q.topic if w not in area_words and w not in _GENERIC]
        if left:
            return None
        inds = self.indicators_in(q.area) if q.area else []
        if q.area and not inds:
            inds = [i for i in self.programme.indicators if q.area.split()[0] in fold(i.area)]
        if not inds:
            if not (
                q.wants_list or {"tat", "ca"} <= set(q.topic) or q.topic in ([], ["chi", "tieu"])
            ):
                return None
            inds = list(self.programme.indicators)
        lines = []
        for area in dict.fromkeys(i.area for i in inds):
            group = [i for i in inds if i.area == area]
            lines.append(m.bold(f"Chỉ tiêu về {area} ({len(group)}):"))
            lines.extend(indicator_line(i, m) for i in group)
        refs = ", ".join(dict.fromkeys(f"mục {i.ref}" for i in inds))
        lines.append(m.italic(f"Nguồn: {refs}"))
        results = [
            Result("indicator", str(i.id), 1.0, self.title_of("indicator", str(i.id)))
            for i in inds
        ]
        return Answer(q.raw, Intent.AREA, True, "\n".join(lines), results)

    # Everything else: search the topic.
    def _search_answer(
        self,
        q: ParsedQuery,
        words: list[str],
        penalised: list[str],
        m: Markup,
        kinds: set[str] | None = None,
    ) -> Answer:
        if q.intent in Intent.TASK_FIELDS and kinds is None:
            hits = self._weigh(q, self.index.score(words, {"task"}, penalised))
            if hits and self._confident(hits[0], penalised):
                return self._answer_hits(q, hits, words, penalised, m)
        hits = self._weigh(q, self.index.score(words, kinds, penalised))
        if not hits or not self._confident(hits[0], penalised):
            return self._not_found(q, hits, m)
        return self._answer_hits(q, hits, words, penalised, m)

    @staticmethod
    def _confident(hit: Hit, penalised: list[str]) -> bool:
        """Enough of the question is covered, and not only by guessed (corrected) words."""
        return hit.score >= FOUND_THRESHOLD and bool(hit.matched - set(penalised))

    def _weigh(self, q: ParsedQuery, hits: list[Hit]) -> list[Hit]:
        prior = dict(KIND_PRIOR)
        if q.wants_indicator:
            prior["indicator"] *= 1.08
        if q.wants_task or q.intent in Intent.TASK_FIELDS:
            prior["task"] *= 1.08
        if q.wants_duties:
            prior["responsibility"] *= 1.1
        if not q.wants_task and _WHICH.search(q.folded):
            # "những khu công nghiệp nào": the passage that names them, not the task that
            # only says "các khu công nghiệp".
            prior["passage"] *= RANKING.which_passage
        pairs = {p for p in bigrams(q.topic) if not _DATE_WORDS & set(p.split())}
        pairs = {p for p in pairs if not any(c.isdigit() for c in p)}
        weighed = [
            Hit(
                h.entry,
                h.score * prior[h.entry.kind] * _apart(h, pairs) * self._aside(h),
                h.matched,
            )
            for h in hits
        ]
        weighed.sort(key=lambda h: h.score, reverse=True)
        return weighed

    def _aside(self, hit: Hit) -> float:
        """:attr:`Ranking.aside` for a closing block (its receivers name many bodies)."""
        if hit.entry.kind == "passage" and self.passages[hit.entry.key].ref in CLOSING_REFS:
            return RANKING.aside
        return 1.0

    def related_passage(self, code: str) -> Passage | None:
        """The bullet of the body that describes an appendix task, if one clearly does.

        Args:
            code: The task's code.

        Returns:
            The best-matching passage when it covers most of the task's words.

        """
        if code not in self._related:
            hits = self.index.score(_words(self.tasks[code].content), {"passage"})
            good = hits[0] if hits and hits[0].score >= RELATED_THRESHOLD else None
            self._related[code] = self.passages[good.entry.key] if good else None
        return self._related[code]

    def _answer_hits(
        self, q: ParsedQuery, hits: list[Hit], words: list[str], penalised: list[str], m: Markup
    ) -> Answer:
        best = hits[0]
        others = [
            h
            for h in hits[1:4]
            if h.score >= best.score * CLOSE_RATIO and h.entry.kind == best.entry.kind
        ]
        kind, key = best.entry.kind, best.entry.key
        if kind == "task":
            # A card question gets the part C bullet that describes the task;
            # a question about one column gets just the answer and the card.
            related = self.related_passage(key)
            if q.intent in Intent.TASK_FIELDS:
                # ... unless a bullet answers the question better than the task
                # itself ("theo phê duyệt của Thủ tướng" is only in part C).
                passages = self.index.score(words, {"passage"}, penalised)
                better = passages[0] if passages and passages[0].score > best.score else None
                related = self.passages[better.entry.key] if better else None
            return self._task_answer(q, self.tasks[key], best.score, others, m, related)
        result = [self._result(best)]
        if kind == "indicator":
            ind = self.indicators[key]
            sib_ids = {str(s.id) for s in self.siblings(ind)}
            others = [h for h in others if h.entry.key not in sib_ids]
            lines = [indicator_card(ind, self.siblings(ind), m, year=q.year)]
            return self._with_alternatives(q, Intent.INDICATOR, lines, result, others, m)
        record = KINDS[kind]
        lines = [record.card(self, key, m)]
        return self._with_alternatives(q, record.intent, lines, result, others, m)
