"""Where tasks stand, read from the report log: the view the engine is built with.

The engine never reaches into the database itself; the bot passes a :class:`ProgressView`
to :class:`knowledge.engine.Engine` when it builds it, and each engine asks it for the view
of its own document (:meth:`ProgressView.of`): report rows are filed per document, so two
documents' identically worded tasks keep their own status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from knowledge.programme.model import Programme, Task
from knowledge.programme.quarters import deadline_of
from knowledge.progress.keys import document_key
from knowledge.progress.log import OVERDUE, ProgressStore, TaskState, task_status
from knowledge.progress.views import state_line

__all__ = ["ProgressView", "StoreProgress"]


class ProgressView(Protocol):
    """What the engine asks about progress."""

    def of(self, programme: Programme) -> ProgressView:
        """The view of the tasks of ``programme`` (the engine's own document)."""
        ...

    def label(self, task: Task) -> str:
        """The task's status label (one of :data:`knowledge.progress.log.STATUS_LABELS`)."""
        ...

    def line(self, task: Task) -> str:
        """One line for the task's card: "Tình trạng: …"."""
        ...

    def due_soon(self, task: Task, days: int = 30) -> bool:
        """Whether the task is not done and its deadline falls within ``days``."""
        ...


class StoreProgress:
    """A :class:`ProgressView` over a :class:`knowledge.progress.log.ProgressStore`."""

    def __init__(
        self, store: ProgressStore, today: Callable[[], date], document: str = ""
    ) -> None:
        """Keep the store and the clock (the bot's time zone decides what "today" is).

        ``document``: the key of the document whose tasks are asked about; "" until an
        engine takes its own view with :meth:`of`.
        """
        self.store = store
        self.today = today
        self.document = document

    def of(self, programme: Programme) -> StoreProgress:
        """The same store and clock, for the tasks of ``programme``."""
        return StoreProgress(self.store, self.today, document_key(programme))

    def _state(self, task: Task) -> TaskState:
        if not self.document:
            raise ValueError("StoreProgress.of(programme) names the document first")
        return self.store.state(task, self.document)

    def label(self, task: Task) -> str:
        """The task's status label today."""
        return task_status(task, self._state(task), self.today())

    def line(self, task: Task) -> str:
        """The same "Tình trạng: …" line as /tiendo and the digest (one source of truth)."""
        return state_line(task, self._state(task), self.today())

    def due_soon(self, task: Task, days: int = 30) -> bool:
        """Not done, not overdue, and due within ``days``."""
        deadline = deadline_of(task.due, self.today())
        if deadline is None or (self.label(task) not in (OVERDUE,) and self._done(task)):
            return False
        left = (deadline - self.today()).days
        return 0 <= left <= days

    def _done(self, task: Task) -> bool:
        return self.label(task).startswith("Hoàn thành")
