"""What the progress board shows: who sees which tasks, and each page's figures as plain data.

Read-only and pure (no Telegram, no web server): the figures come from the same functions
as ``/tiendo`` and the digest — :func:`knowledge.progress.log.task_status`,
:meth:`ProgressStore.state`/``history``, :func:`knowledge.progress.views.state_line`,
``history_line`` and ``compare`` — so the board, the digest and the export never disagree.
Every view returns JSON-ready dicts; the charts are SVG strings from
:mod:`knowledge.digest.board_svg`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from knowledge.digest import board_svg
from knowledge.digest.daily import DUE_SOON
from knowledge.formatting import day, number
from knowledge.programme.agencies import agency_key, split_names
from knowledge.programme.model import Indicator, Programme, Task
from knowledge.progress.keys import document_key
from knowledge.progress.log import (
    ADMIN,
    COORDINATING,
    DONE_LATE,
    DONE_ON_TIME,
    STATUS_LABELS,
    Member,
    ProgressStore,
    Report,
    TaskState,
    deadline_of,
    indicator_key,
    task_status,
)
from knowledge.progress.views import compare, history_line, pct_text, state_line
from knowledge.render import TaskColumns, agency_display, shorten, task_columns

__all__ = ["COORDINATING_MARK", "Board", "Scope", "Source", "scope_for", "task_ref"]

# Check-ins shown per target.
CHECKINS = 5
# A coordinating body's row in a task's history: its part, beside the lead's rows.
COORDINATING_MARK = "🤝 Phần phối hợp — "


@dataclass(frozen=True)
class Source:
    """A document as the board shows it.

    Attributes:
        id: Its ``documents.id`` (tasks are keyed ``"<id>:<code>"``).
        label: How the bot names it ("Kế hoạch 45/KH-UBND"); "" when it is the only one.
        programme: Its records.
        columns: Its appendix's columns (a UBND plan's differ from a programme's).

    """

    id: int
    label: str
    programme: Programme
    columns: TaskColumns = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Read the document's columns once."""
        columns = task_columns(self.programme.tasks, self.programme.kind)
        object.__setattr__(self, "columns", columns)

    @property
    def key(self) -> str:
        """The document's key, which its report rows are filed under."""
        return document_key(self.programme)


def task_ref(source: Source, task: Task) -> str:
    """A task's key on the board, unique across documents: ``"<document id>:<code>"``."""
    return f"{source.id}:{task.code}"


@dataclass(frozen=True)
class Scope:
    """What one viewer may see.

    Attributes:
        everything: An admin: every task and target.
        tasks: Keys (:func:`task_ref`) of the tasks visible (all of them for an admin).
        indicators: Keys of the targets visible.

    """

    everything: bool
    tasks: frozenset[str]
    indicators: frozenset[str]


def scope_for(
    member: Member | None, store: ProgressStore, documents: Sequence[Source]
) -> Scope | None:
    """The viewer's scope over every document, or None when they may see nothing.

    Admins see everything; a reporter sees the tasks they may report on as the lead (by
    :meth:`ProgressStore.may_report_task`) and the targets assigned to them.
    """
    if member is None:
        return None
    pairs = [(d, t) for d in documents for t in d.programme.tasks]
    if member.role == ADMIN:
        targets = [indicator_key(i, d.key) for d in documents for i in d.programme.indicators]
        return Scope(True, frozenset(task_ref(d, t) for d, t in pairs), frozenset(targets))
    tasks = frozenset(task_ref(d, t) for d, t in pairs if store.may_report_task(member, t)[0])
    return Scope(False, tasks, frozenset(member.indicators))


@dataclass(frozen=True)
class _Item:
    """A visible task, its document and its key."""

    source: Source
    task: Task
    ref: str


class Board:
    """The board's pages for one viewer on one day, over every document; states read once."""

    def __init__(
        self, documents: Sequence[Source], store: ProgressStore, scope: Scope, today: date
    ) -> None:
        """Read the state of every task in ``scope``.

        Args:
            documents: The loaded documents, in the library's order.
            store: The progress store (read only).
            scope: What the viewer may see.
            today: The day to judge deadlines on, in the bot's time zone.

        """
        self.documents = tuple(documents)
        self.several = len(self.documents) > 1
        self.store = store
        self.scope = scope
        self.today = today
        self.items = [
            _Item(d, t, task_ref(d, t))
            for d in self.documents
            for t in d.programme.tasks
            if task_ref(d, t) in scope.tasks
        ]
        self.states: dict[str, TaskState] = {
            i.ref: store.state(i.task, i.source.key) for i in self.items
        }
        self.status = {i.ref: task_status(i.task, self.states[i.ref], today) for i in self.items}

    @property
    def tasks(self) -> list[Task]:
        """The visible tasks, document by document."""
        return [i.task for i in self.items]

    # -- overview -------------------------------------------------------------

    def counts(self, items: Iterable[_Item]) -> dict[str, int]:
        """Tasks by computed status, every label present, in the government's order."""
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for i in items:
            counts[self.status[i.ref]] += 1
        return counts

    def _title(self) -> str:
        if self.several:
            return f"{len(self.documents)} văn bản"
        return self.documents[0].programme.title if self.documents else ""

    def overview(self) -> dict[str, Any]:
        """Counts by part (per document) and in total, a chart, the overdue and due-soon lists."""
        parts: dict[str, list[_Item]] = {}
        for i in self.items:
            title = f"{i.task.part}. {i.task.part_title}"
            parts.setdefault(f"{i.source.label} — {title}" if self.several else title, []).append(
                i
            )
        rows = [(title, self.counts(items)) for title, items in parts.items()]
        totals = self.counts(self.items)
        done = (DONE_ON_TIME, DONE_LATE)
        open_items = [i for i in self.items if self.status[i.ref] not in done]
        due = [(i, deadline_of(i.task.due, self.today)) for i in open_items]
        soon = self.today + DUE_SOON
        return {
            "title": self._title(),
            "date": day(self.today),
            "everything": self.scope.everything,
            "labels": list(STATUS_LABELS),
            "total": len(self.items),
            "totals": totals,
            "parts": [{"title": t, "counts": c, "total": sum(c.values())} for t, c in rows],
            "chart": board_svg.status_bars([*rows, ("Tổng cộng", totals)], STATUS_LABELS),
            "overdue": [self.row(i) for i, d in due if d and d < self.today],
            "due_soon": [self.row(i) for i, d in due if d and self.today <= d <= soon],
        }

    def row(self, item: _Item) -> dict[str, Any]:
        """One task in a list: key, code, its document, short content, status, last report."""
        task, state = item.task, self.states[item.ref]
        last = self.store.history(task, item.source.key, 1)
        return {
            "key": item.ref,
            "code": task.code,
            "document": item.source.label if self.several else "",
            "content": shorten(task.content, 110),
            "lead": task.lead,
            "due": task.due,
            "status": self.status[item.ref],
            "status_index": STATUS_LABELS.index(self.status[item.ref]),
            "progress": pct_text(state.progress) if state.progress is not None else "",
            "reported": state.status,
            "last": day(datetime.fromisoformat(state.last_at).date()) if state.last_at else "",
            "reporter": (last[0].user_name or f"id {last[0].user_id}") if last else "",
        }

    # -- bodies ---------------------------------------------------------------

    def bodies(self) -> list[dict[str, Any]]:
        """Each lead body with its tasks of every document (a task with two leads: both)."""
        groups: dict[str, tuple[str, list[_Item]]] = {}
        for i in self.items:
            for name in split_names(i.task.lead) or ["(không ghi)"]:
                groups.setdefault(agency_key(name), (name, []))[1].append(i)
        return [
            {
                "name": agency_display(name),
                "counts": self.counts(items),
                "tasks": [self.row(i) for i in items],
            }
            for name, items in groups.values()
        ]

    # -- one task -------------------------------------------------------------

    def find(self, key: str) -> _Item | None:
        """The visible task with this key, or with this code when only one has it."""
        found = [i for i in self.items if i.ref == key]
        found = found or [i for i in self.items if i.task.code == key]
        return found[0] if len(found) == 1 else None

    def task(self, key: str) -> dict[str, Any] | None:
        """A task's card (its document's columns) and its whole history, or None."""
        item = self.find(key)
        if item is None:
            return None
        task, source = item.task, item.source
        fields = [
            {"label": label, "value": getattr(task, name) or "không ghi"}
            for name, label in source.columns.labels
        ]
        fields.extend({"label": k, "value": v} for k, v in task.extra.items())
        where = f"{source.label}, " if self.several else ""
        return {
            **self.row(item),
            "content": task.content,
            "group": task.group,
            "fields": fields,
            "state_line": state_line(task, self.states[item.ref], self.today),
            "history": [_history_line(r) for r in self.store.history(task, source.key, role=None)],
            "source": f"{where}Phụ lục, mục {task.code}",
        }

    # -- targets --------------------------------------------------------------

    def targets(self) -> list[dict[str, Any]]:
        """Each visible target of every document, its value, its check-ins, on track or not."""
        return [
            {**self.target(ind, d.key), "document": d.label if self.several else ""}
            for d in self.documents
            for ind in d.programme.indicators
            if indicator_key(ind, d.key) in self.scope.indicators
        ]

    def target(self, ind: Indicator, document: str) -> dict[str, Any]:
        """One target of ``document`` with its check-ins (newest first) and a small chart."""
        checkins = self.store.indicator_history(ind, document, CHECKINS)
        history = [r for r in checkins if r.value is not None]
        latest = history[0].value if history else None
        verdict = compare(ind, latest) if latest is not None else ""
        on_track = True if verdict.startswith("✅") else False if verdict.startswith("⚠️") else None
        return {
            "id": ind.id,
            "area": ind.area,
            "name": ind.name[:1].upper() + ind.name[1:],
            "value": ind.value,
            "year": ind.year,
            "checkins": [
                {
                    "value": _with_unit(r.value, ind.unit) if r.value is not None else "",
                    "year": r.year,
                    "at": day(datetime.fromisoformat(r.at).date()),
                    "who": r.user_name or f"id {r.user_id}",
                }
                for r in history
            ],
            "verdict": verdict,
            "on_track": on_track,
            "chart": board_svg.target_bars(
                ind, [r.value for r in reversed(history) if r.value is not None]
            ),
        }


def _history_line(report: Report) -> str:
    """A history row; a coordinating body's is marked as its part (the status is the lead's)."""
    line = history_line(report)
    return COORDINATING_MARK + line if report.role == COORDINATING else line


def _with_unit(value: float, unit: str) -> str:
    """``46.2, "%"`` → ``"46,2%"``; ``5685, "USD"`` → ``"5.685 USD"``."""
    return number(value) + ("%" if unit.startswith("%") else f" {unit}".rstrip())
