"""Which body holds a role in the most tasks: "đa số nhiệm vụ do ai chủ trì?".

The answer names the body first with its count out of all tasks, then the next bodies, so a
cadre sees the spread at a glance. Counts are read from the appendix columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from knowledge.programme.agencies import agency_key, split_names
from knowledge.programme.model import Task
from knowledge.qa.answer import Answer, Result
from knowledge.qa.understand import Question
from knowledge.render import Markup, agency_display, plural_tasks

__all__ = ["bodies_answer", "busiest_answer", "busiest_bodies"]

INTENT = "busiest_body"
# A role's verb phrase, and the appendix column it is read from.
_ROLE_VERB = {
    "lead": ("chủ trì tham mưu", "Cơ quan chủ trì tham mưu"),
    "issuer": ("ban hành", "Cơ quan ban hành"),
    "approval": ("là cấp cho ý kiến của", "Cấp trình cho ý kiến"),
    "coordinating": ("phối hợp", "Cơ quan phối hợp"),
}
# How a count of bodies in a role is said: "4 cơ quan ban hành".
_ROLE_BODIES = {
    "lead": "cơ quan chủ trì tham mưu",
    "issuer": "cơ quan ban hành",
    "approval": "cấp cho ý kiến",
    "coordinating": "cơ quan phối hợp",
}
_SHOWN = 5


def busiest_bodies(tasks: Sequence[Task], role: str) -> list[tuple[str, list[Task]]]:
    """Bodies by how many tasks name them in ``role``'s column, most first (ties: first seen)."""
    names: dict[str, str] = {}
    held: dict[str, list[Task]] = {}
    for task in tasks:
        for name in split_names(getattr(task, role)):
            key = agency_key(name)
            names.setdefault(key, name)
            held.setdefault(key, []).append(task)
    order = Counter({k: len(v) for k, v in held.items()})
    return [(names[k], held[k]) for k, _ in order.most_common()]


def busiest_answer(
    q: Question, tasks: Sequence[Task], title_of: Callable[[str, str], str], m: Markup
) -> Answer | None:
    """The body named in the most tasks for the question's role, then the next ones."""
    role = q.filters.role or "lead"
    ranked = busiest_bodies(tasks, role)
    if not ranked:
        return None
    verb = _ROLE_VERB[role][0]
    top, top_tasks = ranked[0]
    lines = [
        m.bold(
            f"{agency_display(top)} {verb} nhiều nhiệm vụ nhất: "
            f"{len(top_tasks)}/{plural_tasks(len(tasks))} của Phụ lục."
        )
    ]
    lines += [*_counted(ranked[1:_SHOWN], m), _source(role, m)]
    results = [Result("task", t.code, 1.0, title_of("task", t.code)) for t in top_tasks]
    return Answer(q.raw, INTENT, True, "\n".join(lines), results)


def bodies_answer(
    q: Question, tasks: Sequence[Task], title_of: Callable[[str, str], str], m: Markup
) -> Answer | None:
    """How many different bodies hold the question's role, each with its number of tasks."""
    role = q.filters.role or "lead"
    ranked = busiest_bodies(tasks, role)
    if not ranked:
        return None
    lines = [m.bold(f"Phụ lục có {len(ranked)} {_ROLE_BODIES[role]} khác nhau:")]
    lines += [*_counted(ranked, m), _source(role, m)]
    return Answer(q.raw, INTENT, True, "\n".join(lines))


def _counted(ranked: Sequence[tuple[str, list[Task]]], m: Markup) -> list[str]:
    """A line per body: its name and how many tasks it holds."""
    return [
        m.text(f"• {agency_display(name)}: {plural_tasks(len(held))}") for name, held in ranked
    ]


def _source(role: str, m: Markup) -> str:
    """The appendix column the counts come from."""
    return m.italic(f"Nguồn: Phụ lục, cột “{_ROLE_VERB[role][1]}”")
