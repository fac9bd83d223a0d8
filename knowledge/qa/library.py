"""Every stored document, each with its own engine: questions across all of them.

:class:`Library` holds one :class:`~knowledge.engine.Engine` per document (built once) and
answers a question from the document it names (:mod:`knowledge.qa.docrefs`), the chat's pinned
document, or every document: a cheap routing stage (:class:`Router`, an inverted index from
folded syllables and syllable pairs to documents) picks the few documents worth asking, and
when several answer with comparable confidence the answer names each one. With one document
the library is exactly its engine.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from knowledge.engine import Answer, Context, Engine
from knowledge.programme.model import Programme
from knowledge.qa.conversation import follow_up
from knowledge.qa.docrefs import DocRef, document_refs, matches
from knowledge.qa.links import implementation_lines, implementing_tasks
from knowledge.qa.progress_view import ProgressView
from knowledge.qa.understand import normalised
from knowledge.render import PLAIN, Markup
from knowledge.text import bigrams, fold, fold_keep_punct, tokens

__all__ = [
    "COMPARABLE",
    "ROUTE_KEEP",
    "ROUTE_TOP",
    "Choice",
    "Document",
    "DocumentContext",
    "Library",
    "LibraryAnswer",
    "Loader",
    "Router",
    "task_codes",
]

# Parameters of the routing and merging stages, in one place.
ROUTE_TOP = 3  # at most this many documents are asked in full
ROUTE_KEEP = 0.6  # ... and only those routed within this ratio of the best
COMPARABLE = 0.85  # answers whose confidence is within this ratio of the best are all given

_CODE = re.compile(r"(?<![\w.])((?:[ivx]+|\d{1,2})\.\d{1,2})(?!\w|[.,]\d)")


@dataclass(frozen=True)
class Document:
    """One stored document and its engine.

    Attributes:
        id: Its ``documents.id``.
        number: "08-CTr/TU", "45/KH-UBND".
        issuer: "Tỉnh ủy Khánh Hòa", "Ủy ban nhân dân tỉnh Hải Bình".
        date: Its date, ``dd/mm/yyyy``.
        title: Its title.
        kind: ``"programme"`` or ``"plan"``.
        implements: For a plan, the number of the programme it implements, else "".
        engine: The engine answering from it.

    """

    id: int
    number: str
    issuer: str
    date: str
    title: str
    kind: str
    implements: str
    engine: Engine = field(repr=False, compare=False)

    @property
    def genre(self) -> str:
        """What it is called in a sentence: "Kế hoạch" or "Chương trình hành động"."""
        return "Kế hoạch" if self.kind == "plan" else "Chương trình hành động"

    @property
    def label(self) -> str:
        """How answers name it: "Kế hoạch số 45/KH-UBND ngày 15/01/2026 của Ủy ban ..."."""
        text = f"{self.genre} số {self.number}" if self.number else self.title
        if self.date:
            text += f" ngày {self.date}"
        if self.issuer:
            text += f" của {self.issuer}"
        return text


@dataclass(frozen=True)
class DocumentContext(Context):
    """A conversation context that remembers which document it is about."""

    document: int = 0


_CONTEXT_FIELDS = tuple(f.name for f in fields(Context))


@dataclass(frozen=True)
class Choice:
    """A document the user may pick when a question is ambiguous between documents."""

    document: int
    label: str


@dataclass
class LibraryAnswer(Answer):
    """An answer that asks which document is meant: one :class:`Choice` per candidate."""

    choices: list[Choice] = field(default_factory=list)


def task_codes(question: str) -> list[str]:
    """Task codes a question names ("5.3", "II.3"), folded, in order.

    >>> task_codes("Nhiệm vụ II.3 do ai chủ trì, còn 5.3?")
    ['ii.3', '5.3']
    """
    return _CODE.findall(fold_keep_punct(normalised(question)))


# A task code many documents hold: this many answers in full, this many offered as buttons.
WHICH_SHOWN = 3
WHICH_OFFERED = 8


class Router:
    """Which documents share a question's words: an inverted index over their vocabularies.

    A syllable or syllable pair weighs ``log((D + 1) / (n + 0.5))``, ``n`` being the number
    of documents holding it, so words every document has barely count.
    """

    def __init__(self, vocabularies: Sequence[Iterable[str]]) -> None:
        """Index each document's vocabulary (folded syllables and pairs); positions are ids."""
        self.size = len(vocabularies)
        postings: dict[str, list[int]] = {}
        for i, words in enumerate(vocabularies):
            for w in set(words):
                postings.setdefault(w, []).append(i)
        n = self.size
        self.postings = {
            w: (math.log((n + 1) / (len(docs) + 0.5)), np.array(docs, dtype=np.intp))
            for w, docs in postings.items()
        }

    def scores(self, question: str) -> list[float]:
        """Each document's routing score for ``question``.

        The weights of the question's distinct syllables and pairs, in the order it has them,
        are added up per document (the same order every run: ties break the same way).
        """
        words = tokens(normalised(question))
        found = [
            self.postings[w]
            for w in dict.fromkeys([*words, *bigrams(words)])
            if w in self.postings
        ]
        if not found:
            return [0.0] * self.size
        docs = np.concatenate([d for _, d in found])
        weights = np.repeat([w for w, _ in found], [len(d) for _, d in found])
        out: list[float] = np.bincount(docs, weights=weights, minlength=self.size).tolist()
        return out

    def ranked(
        self,
        question: str,
        allowed: Sequence[int],
        order: Sequence[int],
        scores: Sequence[float] | None = None,
    ) -> list[int]:
        """Every allowed position, best scored first, ties broken by ``order``."""
        scores = self.scores(question) if scores is None else scores
        rank = {p: i for i, p in enumerate(order)}
        return sorted(allowed, key=lambda p: (-scores[p], rank[p]))

    def route(self, question: str, allowed: Sequence[int], order: Sequence[int]) -> list[int]:
        """The positions worth asking, best first (ties broken by ``order``, primary first).

        Args:
            question: The question.
            allowed: Positions that may be asked.
            order: Every position by preference when scores tie.

        """
        scores = self.scores(question)
        ranked = self.ranked(question, allowed, order, scores)
        if len(ranked) <= ROUTE_TOP:
            return ranked
        best = scores[ranked[0]]
        if best <= 0:
            return ranked[:1]
        return [p for p in ranked[:ROUTE_TOP] if scores[p] >= ROUTE_KEEP * best]


def _vocabulary(engine: Engine) -> set[str]:
    return set(engine.index.df) | set(engine.index.pairs)


def _confidence(answer: Answer) -> float:
    return answer.results[0].score if answer.results else 0.0


class Library:
    """Answers questions from every stored document; built once, read-only after."""

    def __init__(self, documents: Sequence[Document], primary: int) -> None:
        """Index the documents for routing.

        Args:
            documents: At least one document, in the order they were first added.
            primary: The id of the document the write path (progress reports) uses: the one
                loaded last.

        """
        if not documents:
            raise ValueError("a library needs at least one document")
        self.documents = tuple(documents)
        self._by_id = {d.id: d for d in self.documents}
        self._primary = self._by_id[primary]
        self._position = {d.id: i for i, d in enumerate(self.documents)}
        p = self._position[primary]
        self._order = [p, *(i for i in range(len(self.documents) - 1, -1, -1) if i != p)]
        self.router = Router([_vocabulary(d.engine) for d in self.documents])
        self._codes = [{fold_keep_punct(c) for c in d.engine.tasks} for d in self.documents]
        # Each programme's tasks that plans name as the ones they implement.
        self._implemented = {
            d.id: implementing_tasks(
                ((p.label, p.engine.tasks.values()) for p in self.implementers(d)),
                set(d.engine.tasks),
            )
            for d in self.documents
            if d.kind == "programme"
        }

    @classmethod
    def from_database(
        cls,
        db: Any,
        progress: ProgressView | None = None,
        engine: Callable[[Programme, ProgressView | None], Engine] = Engine,
    ) -> Library:
        """One engine per stored document (``progress`` shared by all of them).

        Args:
            db: A ``sqlite_utils.Database``.
            progress: Where tasks stand, shared by every engine.
            engine: Builds each document's engine (benchmarks pass one that counts questions).

        """
        from knowledge.programme.store import documents, read_documents

        rows = documents(db)
        programmes = read_documents(db)
        if not rows:
            from knowledge.errors import KnowledgeError

            raise KnowledgeError("the database holds no programme: run `ctbot load` first")
        last = max(rows, key=lambda r: (r["loaded_at"] or "", r["id"]))
        return cls(
            [_document(r, engine(p, progress)) for r, p in zip(rows, programmes, strict=True)],
            primary=int(last["id"]),
        )

    @property
    def primary(self) -> Engine:
        """The engine of the document loaded last (the write path's engine)."""
        return self._primary.engine

    @property
    def primary_document(self) -> Document:
        """The document loaded last."""
        return self._primary

    def document(self, document_id: int | None) -> Document | None:
        """The document with this id, if stored."""
        return self._by_id.get(document_id) if document_id is not None else None

    def implementers(self, document: Document) -> list[Document]:
        """The plans that name ``document`` as the programme they implement."""
        key = fold(document.number)
        return [d for d in self.documents if d.implements and fold(d.implements) == key]

    def route(self, question: str) -> list[Document]:
        """The documents worth searching for ``question`` (named ones, else routed), best first."""
        named = self.named(question)
        if len(named) == 1 or len(self.documents) == 1:
            return named or list(self.documents)
        allowed = [self._position[d.id] for d in named] or list(range(len(self.documents)))
        return [self.documents[p] for p in self.router.route(question, allowed, self._order)]

    def named(self, question: str) -> list[Document]:
        """The stored documents a question names (empty when it names none that is stored)."""
        refs = document_refs(question)
        return [d for d in self.documents if any(_is(ref, d) for ref in refs)] if refs else []

    def ask(
        self,
        question: str,
        m: Markup = PLAIN,
        context: Context | None = None,
        document: int | None = None,
    ) -> Answer:
        """Answer a question from the document it names, ``document``, or every document.

        Args:
            question: The question as typed.
            m: Markup for the answer text.
            context: The chat's context (``answer.context`` of its last answer).
            document: The chat's pinned document id (a named document wins over it).

        Returns:
            The answer; a :class:`LibraryAnswer` with choices when a task code the question
            names is in several documents and none is named or pinned.

        """
        if len(self.documents) == 1:
            return self.documents[0].engine.ask(question, m, context)
        targets = self.named(question)
        pinned = self.document(document)
        if not targets and pinned is not None:
            targets = [pinned]
        if not targets:
            targets = self._code_holders(question)
            if len(targets) > 1:
                return self._which(targets, question, m)
        if not targets:
            targets = self._follow_up_target(question, context)
        if len(targets) == 1:
            return self._ask_one(targets[0], question, m, context)
        allowed = [self._position[d.id] for d in targets] or list(range(len(self.documents)))
        routed = self.router.route(question, allowed, self._order)
        answers = [self._ask_one(self.documents[p], question, m, context) for p in routed]
        return self._merge([self.documents[p] for p in routed], answers, m)

    def _ask_one(self, doc: Document, question: str, m: Markup, context: Context | None) -> Answer:
        own = context
        if isinstance(context, DocumentContext) and context.document != doc.id:
            own = None
        answer = doc.engine.ask(question, m, own)
        if answer.context is not None:
            values = {name: getattr(answer.context, name) for name in _CONTEXT_FIELDS}
            answer.context = DocumentContext(**values, document=doc.id)
        if doc is not self._primary:
            answer.alternatives = []  # "show" buttons open the primary document's records
        return self._with_implementation(doc, answer, m)

    def _with_implementation(self, doc: Document, answer: Answer, m: Markup) -> Answer:
        """A programme task's answer, with the plan tasks that name it as theirs."""
        top = answer.results[0] if answer.found and answer.results else None
        items = self._implemented.get(doc.id, {}).get(top.id, []) if top else []
        if top is None or top.kind != "task" or not items:
            return answer
        answer.text = "\n".join([answer.text, *implementation_lines(items, m)])
        return answer

    def _follow_up_target(self, question: str, context: Context | None) -> list[Document]:
        if not isinstance(context, DocumentContext):
            return []
        doc = self.document(context.document)
        if doc is None or follow_up(fold(normalised(question)), context) is None:
            return []
        return [doc]

    def _code_holders(self, question: str) -> list[Document]:
        """The documents holding the first task code the question names that any holds."""
        for code in task_codes(question):
            pairs = zip(self.documents, self._codes, strict=True)
            holders = [d for d, codes in pairs if code in codes]
            if holders:
                return holders
        return []

    def _which(self, holders: list[Document], question: str, m: Markup) -> LibraryAnswer:
        """A task code several documents have: each one's answer, and a choice of document.

        The answer carries no context: a follow-up is bound to a document only once the
        user picks one (``ask(..., document=choice.document)``).
        """
        holders = self._by_relevance(holders, question)
        answers = [self._ask_one(d, question, m, None) for d in holders[:WHICH_SHOWN]]
        code = task_codes(question)[0]
        shown = code.upper() if code[0].isalpha() else code
        head = f"Nhiệm vụ {shown} có trong {len(holders)} văn bản. Bạn hỏi văn bản nào?"
        parts = [head, _sections(holders[:WHICH_SHOWN], answers, m)]
        if len(holders) > WHICH_SHOWN:
            others = ", ".join(d.label for d in holders[WHICH_SHOWN:WHICH_OFFERED])
            more = len(holders) - WHICH_OFFERED
            tail = f" và {more} văn bản khác" if more > 0 else ""
            parts.append(
                m.text(f"Cũng có nhiệm vụ {shown}: {others}{tail}. ")
                + m.italic("Chọn bên dưới, hoặc nêu số văn bản trong câu hỏi.")
            )
        found = [a for a in answers if a.found]
        return LibraryAnswer(
            query=question,
            intent=(found or answers)[0].intent,
            found=bool(found),
            text="\n\n".join(parts),
            results=list((found or answers)[0].results),
            choices=[
                Choice(d.id, f"{d.genre} {d.number}".strip()) for d in holders[:WHICH_OFFERED]
            ],
        )

    def _by_relevance(self, docs: list[Document], question: str) -> list[Document]:
        """``docs`` by the router's score for the question, ties in library order."""
        positions = [self._position[d.id] for d in docs]
        return [self.documents[p] for p in self.router.ranked(question, positions, self._order)]

    def _merge(self, docs: list[Document], answers: list[Answer], m: Markup) -> Answer:
        """One answer from several documents' answers: the found ones of comparable confidence."""
        found = [(d, a) for d, a in zip(docs, answers, strict=True) if a.found]
        if not found:
            return answers[0]
        found.sort(key=lambda p: -_confidence(p[1]))
        best = _confidence(found[0][1])
        kept = [(d, a) for d, a in found if _confidence(a) >= COMPARABLE * best]
        if len(kept) == 1:
            return kept[0][1]
        first = kept[0][1]
        text = _sections([d for d, _ in kept], [a for _, a in kept], m)
        return Answer(
            query=first.query,
            intent=first.intent,
            found=True,
            text=text,
            results=list(first.results),
            alternatives=[],
            context=first.context,
        )


class Loader:
    """Builds libraries from a database, and loads a new document into it (uploads)."""

    def __init__(self, db: Any, progress: ProgressView | None = None) -> None:
        """Keep the database and the progress view every engine shares."""
        self.db = db
        self.progress = progress

    def build(self) -> Library:
        """A new library of every stored document."""
        return Library.from_database(self.db, self.progress)

    def load(self, text: str, source: str) -> Library:
        """Store the document in ``text`` (one transaction; see ``load_programme``), rebuild.

        Raises:
            KnowledgeError: The text is not a programme or plan; nothing is stored.

        """
        from knowledge.programme.store import load_programme

        load_programme(self.db, text, source=source)
        return self.build()


def _sections(docs: Sequence[Document], answers: Sequence[Answer], m: Markup) -> str:
    """Each document's answer under "Theo <document>:"."""
    return "\n\n".join(
        f"{m.bold('Theo ' + d.label + ':')}\n{a.text}" for d, a in zip(docs, answers, strict=True)
    )


def _is(ref: DocRef, doc: Document) -> bool:
    return matches(ref, number=doc.number, kind=doc.kind, issuer=doc.issuer)


def _document(row: dict[str, Any], engine: Engine) -> Document:
    return Document(
        id=int(row["id"]),
        number=row["number"] or "",
        issuer=row["issuer"] or "",
        date=row["date"] or "",
        title=row["title"] or "",
        kind=row["kind"] or "programme",
        implements=row["implements"] or "",
        engine=engine,
    )
