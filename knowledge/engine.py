"""The question-answering engine: built once at start-up, asked many times.

:class:`Engine` is a facade over the question pipeline (:mod:`knowledge.qa`): ``ask`` runs
normalise → understand → retrieve → decide → compose (:mod:`knowledge.qa.pipeline`), and the
record look-ups, cards and browsing come from :class:`knowledge.qa.records.RecordAnswerer` and
:class:`knowledge.qa.catalog.Catalog`. When nothing matches well enough it says so and suggests
the closest items instead of presenting an unrelated one as the answer.
"""

from __future__ import annotations

from knowledge.programme.model import Programme
from knowledge.qa.answer import Answer, Result
from knowledge.qa.conversation import Context
from knowledge.qa.pipeline import Pipeline
from knowledge.qa.progress_view import ProgressView
from knowledge.qa.query import intent_vocabulary
from knowledge.qa.records import RecordAnswerer
from knowledge.qa.retrieve import RANKING
from knowledge.qa.typos import TypoCorrector
from knowledge.render import PLAIN, Markup

__all__ = ["FOUND_THRESHOLD", "Answer", "Context", "Engine", "Result"]

# A hit below this coverage of the question is not an answer (see :data:`RANKING`).
FOUND_THRESHOLD = RANKING.found


class Engine(RecordAnswerer):
    """Answers Vietnamese questions about one programme.

    Build it once (it indexes the whole programme) and share it: ``ask`` is
    read-only and safe to call from any number of handlers.
    """

    def __init__(self, programme: Programme, progress: ProgressView | None = None) -> None:
        """Index ``programme`` and set up the pipeline.

        Args:
            programme: The parsed (or stored) programme.
            progress: Where tasks stand (the report log), when progress is tracked.

        """
        super().__init__(programme, progress)
        fix = TypoCorrector(self.index, intent_vocabulary())
        self.pipeline = Pipeline(self, self._first_body, fix)

    @classmethod
    def from_database(cls, db: object, progress: ProgressView | None = None) -> Engine:
        """Build the engine from a database filled by ``knowledge.programme.store.load_programme``.

        Args:
            db: A ``sqlite_utils.Database``.
            progress: Where tasks stand, when progress is tracked.

        Returns:
            The engine. It ranks in memory with its own inverted index, which on a
            programme of this size is faster than a round trip to FTS5.

        """
        from knowledge.programme.store import read_programme

        return cls(read_programme(db), progress)  # type: ignore[arg-type]

    def ask(self, question: str, m: Markup = PLAIN, context: Context | None = None) -> Answer:
        """Answer a question.

        Never raises on user input: any string gets an :class:`Answer`.

        Args:
            question: The question as typed.
            m: Markup for the answer text.
            context: The chat's context (``answer.context`` of its last answer), so that a
                follow-up ("còn thời gian thực hiện?") is about the same subject.

        Returns:
            The answer; ``found`` is False when the programme does not answer it.
            ``answer.context`` is the context for the chat's next question.

        """
        return self.pipeline.ask(question, m, context)
