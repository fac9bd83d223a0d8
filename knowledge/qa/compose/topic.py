"""A topic's targets together: "các chỉ tiêu về y tế đến năm 2025"."""

from __future__ import annotations

from collections.abc import Callable

from knowledge.programme.model import Indicator
from knowledge.qa.answer import Answer, Result
from knowledge.qa.query import Intent
from knowledge.render import Markup, indicator_line

__all__ = ["topic_answer"]


def topic_answer(
    raw: str, targets: list[Indicator], title_of: Callable[[str, str], str], m: Markup
) -> Answer:
    """The targets grouped by area, each with its value, then the sections they come from."""
    lines = [m.bold(f"Các chỉ tiêu liên quan ({len(targets)}):")]
    for area in dict.fromkeys(i.area for i in targets):
        group = [i for i in targets if i.area == area]
        lines.append(m.text(f"Về {area}:"))
        lines.extend(indicator_line(i, m) for i in group)
    refs = ", ".join(dict.fromkeys(f"mục {i.ref}" for i in targets))
    lines.append(m.italic(f"Nguồn: {refs}"))
    results = [
        Result("indicator", str(i.id), 1.0, title_of("indicator", str(i.id))) for i in targets
    ]
    return Answer(raw, Intent.AREA, True, "\n".join(lines), results)
