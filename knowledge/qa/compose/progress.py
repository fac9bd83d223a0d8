"""Progress questions: where one task stands, or which tasks are overdue, done, unreported."""

from __future__ import annotations

from collections.abc import Callable

from knowledge.programme.model import Task
from knowledge.progress.log import DONE_LATE, DONE_ON_TIME, NO_REPORT, OVERDUE
from knowledge.qa.answer import Answer, Result
from knowledge.qa.compose.listing import describe
from knowledge.qa.progress_view import ProgressView
from knowledge.qa.understand import Question
from knowledge.render import Markup, TaskColumns, plural_tasks, task_card, task_line

__all__ = ["status_list_answer", "task_progress_answer", "untracked_answer"]

_STATUS_TEXT = {
    "overdue": "quá hạn chưa hoàn thành",
    "done": "đã hoàn thành",
    "no_report": "chưa có báo cáo",
    "due_soon": "sắp đến hạn trình (trong 30 ngày)",
}
INTENT = "progress"


def _matches(view: ProgressView, task: Task, status: str) -> bool:
    label = view.label(task)
    if status == "overdue":
        return label == OVERDUE
    if status == "done":
        return label in (DONE_ON_TIME, DONE_LATE)
    if status == "no_report":
        return label == NO_REPORT
    return view.due_soon(task)


def untracked_answer(q: Question, m: Markup) -> Answer:
    """Said when the engine has no report log to read."""
    text = m.text("Chưa có sổ theo dõi tiến độ: bot chưa nhận báo cáo nào cho các nhiệm vụ.")
    return Answer(q.raw, INTENT, False, text)


def task_progress_answer(
    q: Question,
    task: Task,
    view: ProgressView,
    title_of: Callable[[str, str], str],
    m: Markup,
    columns: TaskColumns | None = None,
) -> Answer:
    """Where one task stands ("5.3 đến đâu rồi"): its status line first, then its card.

    ``columns``: its document's appendix columns (a UBND plan's: chủ trì, phối hợp, sản phẩm,
    thời gian hoàn thành); without them, the programme's.
    """
    line = view.line(task)
    head = m.bold(f"Nhiệm vụ {task.code} — {line[0].lower()}{line[1:]}")
    lines = [head, task_card(task, m, columns=columns)]
    lines.append(m.italic("Nguồn: báo cáo tiến độ gửi bot; Phụ lục của chương trình"))
    result = Result("task", task.code, 1.0, title_of("task", task.code))
    return Answer(q.raw, INTENT, True, "\n".join(lines), [result])


def status_list_answer(
    q: Question,
    tasks: list[Task],
    view: ProgressView,
    title_of: Callable[[str, str], str],
    m: Markup,
) -> Answer:
    """Tasks by status, of a body or a part: the count, then each task and its line."""
    status = q.filters.status or "no_report"
    chosen = [t for t in tasks if _matches(view, t, status)]
    which = describe(q.filters)
    scope = f" {which}" if which else ""
    head = f"{plural_tasks(len(chosen)).capitalize()}{scope} {_STATUS_TEXT[status]}:"
    if not chosen:
        unknown = [t for t in tasks if status != "no_report" and _matches(view, t, "no_report")]
        if not unknown:
            text = m.text(f"Không có nhiệm vụ nào{scope} {_STATUS_TEXT[status]}.")
            return Answer(q.raw, INTENT, True, text)
        # Nothing is known to be overdue/done, but the tasks without a report may be: list them.
        head = (
            f"Chưa có nhiệm vụ nào{scope} được ghi nhận là {_STATUS_TEXT[status]}; "
            f"{plural_tasks(len(unknown))} chưa có báo cáo nên chưa rõ:"
        )
        chosen = unknown
    lines = [m.bold(head)]
    for t in chosen:
        lines.append(task_line(t, m, show=("due", "lead")))
        lines.append(m.text(f"   {view.line(t)}"))
    lines.append(m.italic("Nguồn: báo cáo tiến độ gửi bot"))
    results = [Result("task", t.code, 1.0, title_of("task", t.code)) for t in chosen]
    return Answer(q.raw, INTENT, True, "\n".join(lines), results)
