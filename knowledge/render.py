"""Render records and answers as Vietnamese text, in plain text or any markup.

The engine renders through a :class:`Markup`; the command line uses
:data:`PLAIN`, the Telegram bot passes an HTML markup that escapes every
piece of programme or user text. Nothing here knows about Telegram.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from knowledge.formatting import count
from knowledge.programme.agencies import agency_key
from knowledge.programme.model import (
    Indicator,
    Passage,
    Programme,
    Responsibility,
    Section,
    Task,
)
from knowledge.qa.lexicon import expand_display

__all__ = [
    "PLAIN",
    "Markup",
    "PlainMarkup",
    "TaskColumns",
    "agency_display",
    "header_lines",
    "indicator_card",
    "indicator_line",
    "passage_card",
    "responsibility_card",
    "section_card",
    "shorten",
    "task_card",
    "task_columns",
    "task_line",
    "year_value",
]


class Markup(Protocol):
    """How text is marked up: the engine only ever calls these."""

    def text(self, s: str) -> str:
        """Escape programme or user text."""
        ...

    def bold(self, s: str) -> str:
        """Escape and embolden."""
        ...

    def italic(self, s: str) -> str:
        """Escape and italicise."""
        ...


class PlainMarkup:
    """Plain text: no escaping, no styling."""

    def text(self, s: str) -> str:
        """Return ``s`` unchanged."""
        return s

    def bold(self, s: str) -> str:
        """Return ``s`` unchanged."""
        return s

    def italic(self, s: str) -> str:
        """Return ``s`` unchanged."""
        return s


PLAIN = PlainMarkup()

TASK_FIELD_LABELS = {
    "lead": "Cơ quan chủ trì tham mưu",
    "coordinating": "Cơ quan phối hợp",
    "approval": "Cấp trình cho ý kiến",
    "issuer": "Cơ quan ban hành",
    "due": "Thời gian trình",
    "period": "Thời gian thực hiện",
}
# A UBND plan's appendix heads its columns so: "Cơ quan chủ trì", "Thời gian hoàn thành".
PLAN_FIELD_LABELS = {
    "lead": "Cơ quan chủ trì",
    "coordinating": "Cơ quan phối hợp",
    "approval": "Cấp trình cho ý kiến",
    "issuer": "Cơ quan ban hành",
    "product": "Sản phẩm",
    "due": "Thời gian hoàn thành",
    "period": "Thời gian thực hiện",
}


@dataclass(frozen=True)
class TaskColumns:
    """The appendix columns a document has, in card order, each with its label.

    Attributes:
        labels: ``(field, label)`` pairs, e.g. ``("due", "Thời gian hoàn thành")``.

    """

    labels: tuple[tuple[str, str], ...]

    def has(self, name: str) -> bool:
        """Whether the document's appendix has this column."""
        return any(field == name for field, _ in self.labels)

    def label(self, name: str) -> str:
        """The column's label in this document (the programme's label when it has none)."""
        found = dict(self.labels).get(name)
        return found or TASK_FIELD_LABELS.get(name) or PLAN_FIELD_LABELS.get(name, name)


def task_columns(tasks: Iterable[Task], kind: str = "programme") -> TaskColumns:
    """The columns a document's appendix has: those with a value in any row.

    Args:
        tasks: The document's tasks.
        kind: ``"plan"`` (a UBND plan's labels and order) or ``"programme"``.

    Returns:
        Its columns; a card shows these and says "không ghi" only for an empty cell.

    """
    rows = list(tasks)
    labels = PLAN_FIELD_LABELS if kind == "plan" else {**TASK_FIELD_LABELS, "product": "Sản phẩm"}
    present = tuple((f, label) for f, label in labels.items() if any(getattr(t, f) for t in rows))
    return TaskColumns(present)


def shorten(text: str, limit: int = 90) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _sentence_case(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def agency_display(name: str) -> str:
    """A body's name in full, with the source's abbreviation after it when different.

    Example:
        >>> agency_display("Ban CSĐ UBND tỉnh")
        'Ban cán sự đảng Ủy ban nhân dân tỉnh (Ban CSĐ UBND tỉnh)'

    """
    full = expand_display(name)
    return f"{full} ({name})" if agency_key(full) == agency_key(name) and full != name else name


def task_source(task: Task) -> str:
    """Where a cadre finds the task on paper."""
    return f"Nguồn: Phụ lục, mục {task.code}"


def _default_columns(task: Task) -> tuple[tuple[str, str], ...]:
    """Without the document's columns: the programme's, with the optional ones when set."""
    labels = {**TASK_FIELD_LABELS, "product": "Sản phẩm"}
    optional = ("coordinating", "product")
    return tuple((f, lb) for f, lb in labels.items() if f not in optional or getattr(task, f))


def task_card(
    task: Task, m: Markup = PLAIN, *, status: str = "", columns: TaskColumns | None = None
) -> str:
    """Render a task with its document's columns and its source reference.

    Args:
        task: The task.
        m: Markup to use.
        status: An optional progress line (from progress tracking).
        columns: The columns its document's appendix has (:func:`task_columns`); an empty
            cell of one of them shows "không ghi". Without them, the programme's columns.

    Returns:
        Several lines of text.

    """
    lines = [m.bold(f"📌 Nhiệm vụ {task.code}: ") + m.text(task.content)]
    if task.group:
        lines.append(m.italic(f"Nhóm: {task.group}"))
    for name, label in columns.labels if columns is not None else _default_columns(task):
        value = getattr(task, name)
        shown = agency_display(value) if name == "lead" and value else value
        lines.append(f"• {m.text(label)}: " + (m.text(shown) if value else m.italic("không ghi")))
    for header, value in task.extra.items():
        lines.append(f"• {m.text(header)}: {m.text(value)}")
    if status:
        lines.append(m.text(status))
    lines.append(m.italic(task_source(task)))
    return "\n".join(lines)


def task_line(task: Task, m: Markup = PLAIN, *, show: Sequence[str] = ("due",)) -> str:
    """One line of a task list: code, content and the requested columns."""
    extras = []
    for name in show:
        value = getattr(task, name)
        if value:
            label = {"due": "trình", "lead": "chủ trì", "period": "thực hiện"}.get(name, name)
            extras.append(f"{label} {value}")
    tail = f" ({m.text('; '.join(extras))})" if extras else ""
    return f"• {m.bold(task.code)} — {m.text(task.content)}{tail}"


def indicator_line(ind: Indicator, m: Markup = PLAIN) -> str:
    """One line: name and value as written.

    A later target of a bullet ("tốc độ tăng bình quân hàng năm" after "Tổng
    vốn đầu tư ...") is marked as continuing the line above it.
    """
    detail = f" ({ind.detail})" if ind.detail else ""
    mark = "  ↳" if ind.name != ind.subject else "•"
    return f"{mark} {m.text(_sentence_case(ind.name))}: {m.bold(ind.value)}{m.text(detail)}"


def year_value(ind: Indicator, year: int | None) -> tuple[str, str] | None:
    """A table target's column for ``year`` and its value with the unit, or None.

    Example:
        >>> from dataclasses import replace
        >>> ind = Indicator(1, "xã hội", "Tỷ lệ hộ nghèo", "Tỷ lệ hộ nghèo", "dưới 1%", "dưới",
        ...     1.0, 1.0, "%", 2030, "", "", "II.7", {"Kế hoạch năm 2026": "1,7"})
        >>> year_value(ind, 2026), year_value(ind, 2027)
        (('Kế hoạch năm 2026', '1,7%'), None)

    """
    if year is None:
        return None
    for label, value in ind.values.items():
        if str(year) in label.split():
            unit = ind.unit
            shown = f"{value}{unit}" if unit == "%" else f"{value} {unit}".strip()
            return label, shown
    return None


def indicator_card(
    ind: Indicator, siblings: Iterable[Indicator], m: Markup = PLAIN, *, year: int | None = None
) -> str:
    """Render a target: the value first, then its sentence, siblings and source.

    A table target asked for one of its year columns ("năm 2026") shows that column's value
    first.
    """
    detail = f" ({ind.detail})" if ind.detail else ""
    column = year_value(ind, year)
    if column is not None:
        head = m.bold("🎯 ") + m.text(f"{_sentence_case(ind.name)} — {column[0]}: ")
        lines = [head + m.bold(column[1]), m.text(f"Nguyên văn: “{ind.sentence}”")]
        lines.append(m.italic(f"Lĩnh vực: {ind.area}. Nguồn: mục {ind.ref}"))
        return "\n".join(lines)
    lines = [
        m.bold("🎯 ")
        + m.text(_sentence_case(ind.name))
        + ": "
        + m.bold(ind.value)
        + m.text(detail),
        m.text(f"Nguyên văn: “{ind.sentence}”"),
    ]
    others = [s for s in siblings if s.id != ind.id]
    if others:
        lines.append(m.text("Cùng chỉ tiêu:"))
        lines.extend(indicator_line(s, m) for s in others)
    lines.append(m.italic(f"Lĩnh vực: {ind.area}. Nguồn: mục {ind.ref}"))
    return "\n".join(lines)


def responsibility_card(r: Responsibility, m: Markup = PLAIN) -> str:
    """Render an item of the implementation part."""
    return "\n".join(
        [
            m.bold(f"📋 Trách nhiệm của {r.subject} (mục {r.ref}):"),
            m.text(r.text),
            m.italic(f"Nguồn: mục {r.ref} (Tổ chức thực hiện)"),
        ]
    )


def header_lines(p: Programme, m: Markup = PLAIN) -> list[str]:
    """A document's title, number and issuer, date and signer, read from its header."""
    lines = [m.bold(p.title) + (m.text(f" — {p.subtitle}") if p.subtitle else "")]
    if p.number:
        lines.append(m.text(f"Số: {p.number}" + (f" của {p.issuer}." if p.issuer else ".")))
    if p.issued:
        lines.append(m.text(f"Ngày ban hành: {p.issued}."))
    if p.signer:
        title = f" ({p.signer_title})" if p.signer_title else ""
        lines.append(m.text(f"Người ký: {p.signer}{title}."))
    lines.append(m.italic("Nguồn: phần đầu và phần ký của văn bản."))
    return lines


def passage_card(p: Passage, m: Markup = PLAIN) -> str:
    """Render a passage with its section path."""
    return "\n".join([m.bold(f"📄 {p.path}"), m.text(p.text), m.italic(f"Nguồn: mục {p.ref}")])


def section_card(
    section: Section,
    children: Sequence[Section],
    passages: Sequence[Passage],
    m: Markup = PLAIN,
    *,
    limit: int = 8,
) -> str:
    """Render a section: its sub-sections, then the start of its passages."""
    lines = [m.bold(f"📂 {section.path}")]
    for child in children:
        label = child.ref.rsplit(".", 1)[-1]
        mark = ")" if label.islower() else "."
        lines.append(f"• {m.text(label + mark)} {m.text(child.title)}")
    for p in passages[:limit]:
        text = p.text if len(p.text) <= 300 else p.text[:299].rsplit(" ", 1)[0] + "…"
        lines.append(f"• {m.text(text)}")
    if len(passages) > limit:
        lines.append(m.italic(f"… và {len(passages) - limit} đoạn khác."))
    lines.append(m.italic(f"Nguồn: mục {section.ref}"))
    return "\n".join(lines)


def plural_tasks(n: int) -> str:
    """``"3 nhiệm vụ"`` with Vietnamese number formatting."""
    return count(n, "nhiệm vụ")
