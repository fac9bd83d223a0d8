"""Plan tasks that implement a programme's task, where the plan names the task.

A UBND plan implements a Party programme (its header: "Thực hiện Chương trình hành động số
08-CTr/TU …"); a row of its appendix may say which task of that programme it carries out
("… (nhiệm vụ 5.3 của Chương trình)", or a column "Nhiệm vụ tại Chương trình: 5.3"). The
programme's task card then lists those plan tasks, so a cadre sees who follows it up below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.programme.model import Task
from knowledge.render import Markup

__all__ = ["Implementation", "implementation_lines", "implementing_tasks"]

# A programme task named in a plan row: "nhiệm vụ 5.3", "mục II.8", "NV 1.6".
_NAMED = re.compile(
    r"\b(?:nhiệm vụ|nhiem vu|nv|mục|muc|đề án|de an)\s+((?:I{1,3}|IV|V)\.\d{1,2}|\d{1,2}\.\d{1,2})"
    r"(?![\d.])",
    re.IGNORECASE,
)
# (plan label, plan task): one plan task implementing a programme task.
Implementation = tuple[str, Task]


def _named_codes(task: Task) -> list[str]:
    """The programme task codes a plan row names, in its content or any extra column."""
    text = " ".join([task.content, *(str(v) for v in task.extra.values())])
    return [c.upper() for c in _NAMED.findall(text)]


def implementing_tasks(
    plans: Iterable[tuple[str, Iterable[Task]]], codes: set[str]
) -> dict[str, list[Implementation]]:
    """For each programme task code, the plan tasks that name it, plan by plan.

    Args:
        plans: ``(label, tasks)`` of each plan implementing the programme.
        codes: The programme's task codes (a plan row naming another code is ignored).

    """
    found: dict[str, list[Implementation]] = {}
    for label, tasks in plans:
        for task in tasks:
            for code in dict.fromkeys(_named_codes(task)):
                if code in codes:
                    found.setdefault(code, []).append((label, task))
    return found


def implementation_lines(items: list[Implementation], m: Markup) -> list[str]:
    """The card's lines: "Thực hiện theo Kế hoạch …: I.1 — …"."""
    lines = [m.bold("Được triển khai trong kế hoạch:")]
    lines.extend(m.text(f"• {label}: {t.code} — {t.content} ({t.lead})") for label, t in items)
    return lines
