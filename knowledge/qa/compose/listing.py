"""Task lists and counts by filters: "những đề án nào do BTV Tỉnh ủy ban hành"."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from knowledge.programme.model import Task
from knowledge.qa.answer import Answer, Result
from knowledge.qa.query import Intent
from knowledge.qa.understand import Ask, Filters, Question
from knowledge.render import Markup, agency_display, plural_tasks, task_line

__all__ = ["describe", "task_list_answer"]

_ROLE_TEXT = {
    "lead": "do {body} chủ trì tham mưu",
    "issuer": "do {body} ban hành",
    "approval": "trình {body} cho ý kiến",
    "coordinating": "có {body} phối hợp",
}
_KIND_TEXT = {
    "de an": "đề án",
    "nghi quyet": "nghị quyết",
    "ke hoach": "kế hoạch",
    "quy dinh": "quy định",
    "chuong trinh": "chương trình",
}
_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def describe(filters: Filters, due: str = "trình") -> str:
    """The conditions in Vietnamese: "do Tỉnh ủy ban hành, trình trong năm 2022".

    Args:
        filters: The question's conditions.
        due: The verb of the deadline column: "trình", or "hoàn thành" for a plan's.

    """
    bits = []
    if filters.kind:
        bits.append(f"là {_KIND_TEXT.get(filters.kind, filters.kind)}")
    if filters.group:
        bits.append(f"thuộc nhóm {filters.group} phần I của Phụ lục")
    elif filters.part:
        bits.append(f"thuộc phần {filters.part} của Phụ lục")
    if filters.body:
        body = agency_display(filters.body)
        role = _ROLE_TEXT[filters.role or "lead"].format(body=body)
        role = role.replace("trình ", "chỉ trình ") if filters.only else role
        bits.append(f"không {role}" if filters.exclude else role)
    for body, role in filters.also:
        bits.append(_ROLE_TEXT[role].format(body=agency_display(body)))
    if filters.whole_term:
        bits.append(f"có thời gian trình cả giai đoạn {filters.period.replace(' ', ' - ')}")
    elif filters.quarter or filters.year:
        when = f"quý {_QUARTERS[filters.quarter]}" if filters.quarter else ""
        when += (" năm " if when else "năm ") + str(filters.year) if filters.year else ""
        bits.append(f"{due} trong {when}")
    if filters.yearly:
        bits.append("thực hiện hằng năm")
    if filters.period and not filters.whole_term:
        bits.append(f"thực hiện trong {filters.period.replace(' ', ' - ')}")
    if filters.blank:
        bits.append(f"không ghi {_BLANK_TEXT[filters.blank]}")
    return ", ".join(bits)


# The appendix columns a list can be filtered on by being empty.
_BLANK_TEXT = {
    "period": "thời gian thực hiện",
    "due": "thời gian trình",
    "issuer": "cơ quan ban hành",
    "approval": "cấp trình cho ý kiến",
    "lead": "cơ quan chủ trì",
}


# A column a list question also asks of its tasks: "…, cơ quan nào ban hành chúng?".
_ASKED_COLUMNS = (
    ("issuer", "Cơ quan ban hành", re.compile(r"\b(?:co quan nao|ai|cap nao) (?:ky )?ban hanh\b")),
    (
        "approval",
        "Cấp trình cho ý kiến",
        re.compile(r"\b(?:trinh|cho y kien) (?:cap|co quan) nao\b"),
    ),
    (
        "period",
        "Thời gian thực hiện",
        re.compile(r"\bthuc hien (?:den|toi) (?:khi nao|nam nao)\b"),
    ),
)


def column_summary(q: Question, tasks: list[Task]) -> list[str]:
    """The values of a column the question asks of the listed tasks, with how many have each."""
    lines = []
    for column, label, asked in _ASKED_COLUMNS:
        if q.filters.role == column or not asked.search(q.folded):
            continue
        counts = Counter(getattr(t, column) for t in tasks if getattr(t, column))
        values = "; ".join(f"{v} ({plural_tasks(n)})" for v, n in counts.most_common())
        if values:
            lines.append(f"{label}: {values}.")
    return lines


def _intent(filters: Filters) -> str:
    if filters.body:
        return Intent.BY_AGENCY
    if filters.quarter:
        return Intent.BY_QUARTER
    return "tasks_by_filter"


def task_list_answer(
    q: Question, tasks: list[Task], title_of: Callable[[str, str], str], m: Markup
) -> Answer:
    """A count or a list of tasks, each with its code, content, due date and lead."""
    which = describe(q.filters, "hoàn thành" if "hoan thanh" in q.folded else "trình")
    scope = f"nhiệm vụ {which}" if which else "nhiệm vụ trong Phụ lục"
    if not tasks and q.filters.blank and q.filters == Filters(blank=q.filters.blank):
        column = _BLANK_TEXT[q.filters.blank]
        text = m.text(f"Mọi nhiệm vụ trong Phụ lục đều ghi {column}.")
        return Answer(q.raw, _intent(q.filters), True, text)
    if not tasks:
        text = m.text(f"Phụ lục không có {scope}.")
        return Answer(q.raw, _intent(q.filters), True, text)
    if q.ask == Ask.COUNT:
        head = f"Có {plural_tasks(len(tasks))} {which}:" if which else ""
        head = head or f"Phụ lục có tất cả {plural_tasks(len(tasks))}:"
    else:
        head = f"Các {scope} ({plural_tasks(len(tasks))}):"
    lines = [m.bold(head)]
    lines.extend(task_line(t, m, show=("due", "lead")) for t in tasks)
    parts = {t.part: t.part_title for t in tasks}
    if q.ask == Ask.COUNT and len(parts) > 1:
        by_part = "; ".join(
            f"phần {p} ({title}): {sum(t.part == p for t in tasks)}" for p, title in parts.items()
        )
        lines.append(m.text(f"Theo phần: {by_part}."))
    lines.extend(m.text(line) for line in column_summary(q, tasks))
    lines.append(m.italic("Nguồn: Phụ lục của chương trình"))
    results = [Result("task", t.code, 1.0, title_of("task", t.code)) for t in tasks]
    return Answer(q.raw, _intent(q.filters), True, "\n".join(lines), results)
