"""What the progress board shows: who sees which tasks, and each page's figures as plain data.

Read-only and pure (no Telegram, no web server): the figures come from the same functions
as ``/tiendo`` and the digest — :func:`knowledge.progress.log.task_status`,
:meth:`ProgressStore.state`/``history``, :func:`knowledge.progress.views.state_line`,
``history_line`` and ``compare`` — so the board, the digest and the export never disagree.
Every view returns JSON-ready dicts; the charts are SVG strings from
:mod:`knowledge.digest.board_svg`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from knowledge.digest import board_svg
from knowledge.digest.daily import DUE_SOON
from knowledge.formatting import day, number
from knowledge.programme.agencies import agency_key, split_names
from knowledge.programme.model import Indicator, Programme, Task
from knowledge.progress.log import (
    ADMIN,
    DONE_LATE,
    DONE_ON_TIME,
    STATUS_LABELS,
    Member,
    ProgressStore,
    TaskState,
    deadline_of,
    indicator_key,
    task_status,
)
from knowledge.progress.views import compare, history_line, pct_text, state_line
from knowledge.render import TASK_FIELD_LABELS, agency_display, shorten

__all__ = ["Board", "Scope", "scope_for"]

# Check-ins shown per target.
CHECKINS = 5


@dataclass(frozen=True)
class Scope:
    """What one viewer may see.

    Attributes:
        everything: An admin: every task and target.
        tasks: Codes of the tasks visible (all of them for an admin).
        indicators: Keys of the targets visible.

    """

    everything: bool
    tasks: frozenset[str]
    indicators: frozenset[str]


def scope_for(member: Member | None, store: ProgressStore, programme: Programme) -> Scope | None:
    """The viewer's scope, or None when they may see nothing (not a member).

    Admins see everything; a reporter sees the tasks they may report on (those their
    bodies lead, by :meth:`ProgressStore.may_report_task`) and the targets assigned to them.
    """
    if member is None:
        return None
    if member.role == ADMIN:
        return Scope(
            True,
            frozenset(t.code for t in programme.tasks),
            frozenset(indicator_key(i) for i in programme.indicators),
        )
    tasks = frozenset(t.code for t in programme.tasks if store.may_report_task(member, t)[0])
    return Scope(False, tasks, frozenset(member.indicators))


class Board:
    """The board's pages for one viewer on one day; each state is read once."""

    def __init__(
        self, programme: Programme, store: ProgressStore, scope: Scope, today: date
    ) -> None:
        """Read the state of every task in ``scope``.

        Args:
            programme: The loaded programme.
            store: The progress store (read only).
            scope: What the viewer may see.
            today: The day to judge deadlines on, in the bot's time zone.

        """
        self.programme = programme
        self.store = store
        self.scope = scope
        self.today = today
        self.tasks = [t for t in programme.tasks if t.code in scope.tasks]
        self.states: dict[str, TaskState] = {t.code: store.state(t) for t in self.tasks}
        self.status = {t.code: task_status(t, self.states[t.code], today) for t in self.tasks}

    # -- overview -------------------------------------------------------------

    def counts(self, tasks: Iterable[Task]) -> dict[str, int]:
        """Tasks by computed status, every label present, in the government's order."""
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for t in tasks:
            counts[self.status[t.code]] += 1
        return counts

    def overview(self) -> dict[str, Any]:
        """Counts by part and in total, a bar chart, the overdue and due-soon lists."""
        parts: dict[str, list[Task]] = {}
        for t in self.tasks:
            parts.setdefault(f"{t.part}. {t.part_title}", []).append(t)
        rows = [(title, self.counts(tasks)) for title, tasks in parts.items()]
        totals = self.counts(self.tasks)
        open_tasks = [
            t for t in self.tasks if self.status[t.code] not in (DONE_ON_TIME, DONE_LATE)
        ]
        overdue = [
            t for t in open_tasks if (d := deadline_of(t.due, self.today)) and d < self.today
        ]
        soon = [
            t
            for t in open_tasks
            if (d := deadline_of(t.due, self.today)) and self.today <= d <= self.today + DUE_SOON
        ]
        return {
            "title": self.programme.title,
            "date": day(self.today),
            "everything": self.scope.everything,
            "labels": list(STATUS_LABELS),
            "total": len(self.tasks),
            "totals": totals,
            "parts": [{"title": t, "counts": c, "total": sum(c.values())} for t, c in rows],
            "chart": board_svg.status_bars([*rows, ("Tổng cộng", totals)], STATUS_LABELS),
            "overdue": [self.row(t) for t in overdue],
            "due_soon": [self.row(t) for t in soon],
        }

    def row(self, task: Task) -> dict[str, Any]:
        """One task in a list: code, short content, status, figures, last report."""
        state = self.states[task.code]
        last = self.store.history(task, 1)
        return {
            "code": task.code,
            "content": shorten(task.content, 110),
            "lead": task.lead,
            "due": task.due,
            "status": self.status[task.code],
            "status_index": STATUS_LABELS.index(self.status[task.code]),
            "progress": pct_text(state.progress) if state.progress is not None else "",
            "reported": state.status,
            "last": day(datetime.fromisoformat(state.last_at).date()) if state.last_at else "",
            "reporter": (last[0].user_name or f"id {last[0].user_id}") if last else "",
        }

    # -- bodies ---------------------------------------------------------------

    def bodies(self) -> list[dict[str, Any]]:
        """Each lead body with its tasks (a task with two leads is under both)."""
        groups: dict[str, tuple[str, list[Task]]] = {}
        for t in self.tasks:
            for name in split_names(t.lead) or ["(không ghi)"]:
                groups.setdefault(agency_key(name), (name, []))[1].append(t)
        return [
            {
                "name": agency_display(name),
                "counts": self.counts(tasks),
                "tasks": [self.row(t) for t in tasks],
            }
            for name, tasks in groups.values()
        ]

    # -- one task -------------------------------------------------------------

    def task(self, code: str) -> dict[str, Any] | None:
        """A task's card and its whole report history, or None when not visible."""
        task = next((t for t in self.tasks if t.code == code), None)
        if task is None:
            return None
        fields = []
        for name, label in TASK_FIELD_LABELS.items():
            value = getattr(task, name)
            if name == "coordinating" and not value:
                continue
            fields.append({"label": label, "value": value or "không ghi"})
        fields.extend({"label": k, "value": v} for k, v in task.extra.items())
        return {
            **self.row(task),
            "content": task.content,
            "group": task.group,
            "fields": fields,
            "state_line": state_line(task, self.states[code], self.today),
            "history": [history_line(r) for r in self.store.history(task)],
            "source": f"Phụ lục, mục {task.code}",
        }

    # -- targets --------------------------------------------------------------

    def targets(self) -> list[dict[str, Any]]:
        """Each visible target, its value, its latest check-ins, on track or not."""
        return [
            self.target(ind)
            for ind in self.programme.indicators
            if indicator_key(ind) in self.scope.indicators
        ]

    def target(self, ind: Indicator) -> dict[str, Any]:
        """One target with its check-ins (newest first) and a small chart."""
        history = [r for r in self.store.indicator_history(ind, CHECKINS) if r.value is not None]
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


def _with_unit(value: float, unit: str) -> str:
    """``46.2, "%"`` → ``"46,2%"``; ``5685, "USD"`` → ``"5.685 USD"``."""
    return number(value) + ("%" if unit.startswith("%") else f" {unit}".rstrip())
