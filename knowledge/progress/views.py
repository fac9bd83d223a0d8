"""Progress as people read it: overviews, a task's history, a body's tasks, target checks.

Pure text composition over the report log; nothing here writes. The bot's task cards,
``/tiendo``, the digest and the confirmations of the write path all use these lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from knowledge.formatting import day, number
from knowledge.programme.model import Indicator, Programme, Task
from knowledge.progress.evidence import Evidence
from knowledge.progress.keys import document_key
from knowledge.progress.log import (
    COORDINATING,
    STATUS_LABELS,
    ProgressStore,
    Report,
    TaskState,
    task_status,
)
from knowledge.render import PLAIN, Markup, shorten

__all__ = [
    "COORDINATING_NOTE",
    "Catalogue",
    "agency_progress",
    "change_text",
    "compare",
    "evidence_line",
    "history_line",
    "overview",
    "pct_text",
    "state_line",
    "task_progress",
]


COORDINATING_NOTE = "Báo cáo phần phối hợp; tình trạng nhiệm vụ theo báo cáo của cơ quan chủ trì."


class Catalogue(Protocol):
    """What the views need from the engine: the programme and its look-ups."""

    @property
    def programme(self) -> Programme:
        """The loaded programme."""

    def card(self, kind: str, key: str, m: Markup = PLAIN) -> str | None:
        """A record's card."""

    def resolve_agency(self, name: str) -> str | None:
        """The canonical name of a body, or None."""

    def tasks_led_by(self, agency: str) -> list[Task]:
        """The tasks a body leads."""


def overview(catalog: Catalogue, store: ProgressStore, today: date, m: Markup = PLAIN) -> str:
    """Counts of tasks by part and computed status."""
    lines = [m.bold(f"Tiến độ {len(catalog.programme.tasks)} nhiệm vụ (ngày {day(today)}):")]
    parts: dict[str, list[Task]] = {}
    for t in catalog.programme.tasks:
        parts.setdefault(f"{t.part}. {t.part_title}", []).append(t)
    total: dict[str, int] = dict.fromkeys(STATUS_LABELS, 0)
    document = document_key(catalog.programme)
    for title, tasks in parts.items():
        counts: dict[str, int] = dict.fromkeys(STATUS_LABELS, 0)
        for t in tasks:
            counts[task_status(t, store.state(t, document), today)] += 1
        for k, v in counts.items():
            total[k] += v
        lines.append(m.bold(title))
        lines.extend(f"• {m.text(k)}: {v}" for k, v in counts.items() if v)
    lines.append(m.bold("Tổng cộng"))
    lines.extend(f"• {m.text(k)}: {v}" for k, v in total.items() if v)
    lines.append(m.italic("Xem một nhiệm vụ: /tiendo 5.3 · theo cơ quan: /tiendo Ban Dân vận"))
    return "\n".join(lines)


def task_progress(
    catalog: Catalogue,
    store: ProgressStore,
    task: Task,
    m: Markup = PLAIN,
    evidence: Sequence[Evidence] = (),
) -> str:
    """The task card with its status, its last 5 reports and its evidence."""
    lines = [catalog.card("task", task.code, m) or ""]
    document = document_key(catalog.programme)
    history = store.history(task, document, 5)
    if history:
        lines.append(m.bold("Báo cáo gần nhất:"))
        lines.extend(m.text(history_line(r)) for r in history)
    else:
        lines.append(m.italic("Chưa có báo cáo nào."))
    helping = store.history(task, document, 5, role=COORDINATING)
    if helping:
        lines.append(m.bold("Cơ quan phối hợp báo cáo:"))
        lines.extend(m.text(history_line(r)) for r in helping)
    if evidence:
        lines.append(m.bold(f"Minh chứng ({len(evidence)}):"))
        lines.extend(m.text(f"• {evidence_line(e)} — báo cáo #{e.report_id}") for e in evidence)
        lines.append(m.italic("Bấm nút bên dưới để nhận tệp."))
    return "\n".join(lines)


def agency_progress(
    catalog: Catalogue, store: ProgressStore, name: str, today: date, m: Markup = PLAIN
) -> str | None:
    """The status of every task a body leads, or None if the name is not a body."""
    found = catalog.resolve_agency(name)
    if found is None:
        return None
    tasks = catalog.tasks_led_by(found)
    if not tasks:
        return m.text(f"{found} không chủ trì nhiệm vụ nào trong Phụ lục.")
    lines = [m.bold(f"Tiến độ các nhiệm vụ do {found} chủ trì:")]
    document = document_key(catalog.programme)
    for t in tasks:
        state = store.state(t, document)
        lines.append(
            f"• {m.bold(t.code)} {m.text(shorten(t.content, 70))} — "
            + m.text(state_line(t, state, today).removeprefix("Tình trạng: "))
        )
    return "\n".join(lines)


def compare(ind: Indicator, value: float) -> str:
    """Whether a reported value meets the target, by the target's comparator."""
    target = f"mục tiêu {ind.value}" + (f" (năm {ind.year})" if ind.year else "")
    low, high = ind.low, ind.high
    if low is None or ind.comparator in ("gấp", "giảm"):
        return f"So với {target}: cần đối chiếu với năm gốc, không so sánh tự động."
    comp = ind.comparator
    met = {
        "trên": value > low,
        "dưới": value < low,
        "ít nhất": value >= low,
        "từ-đến": low <= value <= (high if high is not None else low),
        "đạt": value >= low,
    }.get(comp, value >= low)
    if met:
        return f"✅ Đạt {target}."
    gap = abs(low - value)
    unit = " điểm %" if ind.unit.startswith("%") else f" {ind.unit}".rstrip()
    direction = "vượt" if comp == "dưới" else "còn thiếu"
    return f"⚠️ Chưa đạt {target}: {direction} {number(round(gap, 2))}{unit}."


def pct_text(value: float | None) -> str:
    """A progress figure for messages: "60%", or "—" when there is none."""
    return "—" if value is None else f"{number(value)}%"


def change_text(report: Report) -> str:
    """What a row changed: "tiến độ 40% → 60%; tình trạng ..."."""
    parts = []
    if report.old_progress != report.new_progress:
        parts.append(f"tiến độ {pct_text(report.old_progress)} → {pct_text(report.new_progress)}")
    if report.old_status != report.new_status:
        parts.append(f"tình trạng {report.old_status or '—'} → {report.new_status or '—'}")
    return "; ".join(parts) or "không đổi tiến độ, thêm ghi chú"


def state_line(task: Task, state: TaskState, today: date) -> str:
    """One line on where a task stands, for cards and lists."""
    label = task_status(task, state, today)
    if state.confirmed:
        label += " (đã xác nhận)"
    if not state.reports:
        return f"Tình trạng: {label}"
    when = datetime.fromisoformat(state.last_at).date()
    progress = pct_text(state.progress) if state.progress is not None else ""
    figures = ", ".join(x for x in (progress, state.status) if x)
    return f"Tình trạng: {label} ({figures}; cập nhật {day(when)})"


def history_line(r: Report) -> str:
    """One report of a task's history."""
    when = datetime.fromisoformat(r.at).date()
    who = r.user_name or f"id {r.user_id}"
    action = {"undo": "hoàn tác", "amend": "sửa"}.get(r.action, "báo cáo")
    note = f" — {r.note}" if r.note else ""
    if r.action == "confirm":
        return f"#{r.id} {day(when)} {who}: ✅ xác nhận hoàn thành{note}"
    if r.action == "return":
        return f"#{r.id} {day(when)} {who}: ↩️ trả lại, về đang thực hiện{note}"
    return f"#{r.id} {day(when)} {who} ({action}): {change_text(r)}{note}"


def evidence_line(e: Evidence) -> str:
    """One file: its name, size and the documents it names."""
    size = f" ({number(round(e.file_size / 1024))} KB)" if e.file_size else ""
    refs = f" — {e.doc_refs}" if e.doc_refs else ""
    return f"{e.label}{size}{refs}"
