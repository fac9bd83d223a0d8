"""Tasks due in a quarter: "nhiệm vụ trình trong quý III năm 2021"."""

from __future__ import annotations

from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.common import GENERIC
from knowledge.qa.query import Intent, ParsedQuery
from knowledge.render import Markup, plural_tasks, task_line

__all__ = ["QuarterAnswers"]

_QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


class QuarterAnswers:
    """Lists the tasks whose submission time falls in the quarter a question names."""

    def __init__(self, catalog: Catalog) -> None:
        """Keep the records."""
        self.catalog = catalog

    def answer(self, q: ParsedQuery, m: Markup) -> Answer | None:
        """The tasks due in the quarter of ``q``, or None when it names no quarter (or a topic)."""
        if q.quarter is None:
            return None
        left = [w for w in q.topic if w not in GENERIC and not w.isdigit()]
        if len(left) > 1:
            return None
        quarter, year = q.quarter
        year = year or q.year
        tasks = self.catalog.tasks_due(quarter, year)
        when = f"Quý {_QUARTER_NAMES[quarter]}" + (f" năm {year}" if year else "")
        if not tasks:
            text = m.text(f"Phụ lục không có nhiệm vụ nào trình trong {when}.")
            return Answer(q.raw, Intent.BY_QUARTER, True, text)
        lines = [m.bold(f"Các nhiệm vụ trình trong {when} ({plural_tasks(len(tasks))}):")]
        lines.extend(task_line(t, m, show=("due", "lead")) for t in tasks)
        lines.append(m.italic("Nguồn: Phụ lục, cột “Thời gian trình”"))
        title_of = self.catalog.title_of
        results = [Result("task", t.code, 1.0, title_of("task", t.code)) for t in tasks]
        return Answer(q.raw, Intent.BY_QUARTER, True, "\n".join(lines), results)
