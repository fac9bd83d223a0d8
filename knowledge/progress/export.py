"""Export tasks with their status and the full report history, as CSV or Excel (xlsx).

CSV files start with a UTF-8 byte-order mark so that Excel opens them with
Vietnamese intact; the xlsx workbook has one sheet per table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from knowledge.engine import Engine
from knowledge.programme.model import Task
from knowledge.progress.keys import document_key, document_of_key
from knowledge.progress.log import COORDINATING, ProgressStore, Report, TaskState, task_status
from knowledge.progress.reporting import Shelf

__all__ = [
    "DOCUMENT_COLUMN",
    "HISTORY_COLUMNS",
    "TASK_COLUMNS",
    "export_csv",
    "export_xlsx",
    "tables",
]

# The first column of the task table when several documents are exported.
DOCUMENT_COLUMN = "Văn bản"

TASK_COLUMNS = [
    "Mã",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì tham mưu",
    "Thời gian trình",
    "Thời gian thực hiện",
    "Tình trạng",
    "Tiến độ (%)",
    "Trạng thái báo cáo",
    "Cập nhật lần cuối (UTC)",
    "Số báo cáo",
]
HISTORY_COLUMNS = [
    "#",
    "Thời điểm (UTC)",
    "Người báo cáo (id)",
    "Tên",
    "Nhóm chat",
    "Tin nhắn",
    "Loại",
    "Mã / chỉ tiêu",
    "Nội dung",
    "Hành động",
    "Sửa/hoàn tác báo cáo",
    "Tiến độ cũ",
    "Tiến độ mới",
    "Tình trạng cũ",
    "Tình trạng mới",
    "Giá trị",
    "Năm",
    "Ghi chú",
]


def tables(
    engine: Engine, store: ProgressStore, today: date, documents: Sequence[Shelf] = ()
) -> dict[str, list[list[object]]]:
    """The export as tables: ``{"Nhiệm vụ": rows, "Lịch sử": rows}``, header first.

    ``documents``: every loaded document; with more than one, the task table holds each
    one's tasks, and both tables start with a :data:`DOCUMENT_COLUMN` (a history row names
    the document its key is filed under; "" for a document no longer loaded).
    """
    several = len(documents) > 1
    books = [(d.label, d.engine) for d in documents] if several else [("", engine)]
    head: list[object] = [DOCUMENT_COLUMN] if several else []
    task_rows: list[list[object]] = [[*head, *TASK_COLUMNS]]
    for label, book in books:
        document = document_key(book.programme)
        for t in book.programme.tasks:
            row = _task_row(t, store.state(t, document), today)
            task_rows.append([label, *row] if several else row)
    history: list[list[object]] = [[*head, *HISTORY_COLUMNS]]
    labels = {document_key(book.programme): label for label, book in books}
    for r in store.all_reports():
        row = _history_row(r)
        history.append([labels.get(document_of_key(r.target_key), ""), *row] if several else row)
    return {"Nhiệm vụ": task_rows, "Lịch sử": history}


def _task_row(t: Task, state: TaskState, today: date) -> list[object]:
    return [
        t.code,
        t.content,
        t.lead,
        t.due,
        t.period,
        task_status(t, state, today),
        state.progress,
        state.status,
        state.last_at,
        state.reports,
    ]


def _history_row(r: Report) -> list[object]:
    action = {"report": "báo cáo", "undo": "hoàn tác", "amend": "sửa"}.get(r.action, r.action)
    return [
        r.id,
        r.at,
        r.user_id,
        r.user_name,
        r.chat_id,
        r.message_id,
        "nhiệm vụ" if r.kind == "task" else "chỉ tiêu",
        r.target,
        r.title,
        action + (" (phối hợp)" if r.role == COORDINATING else ""),
        r.ref_report,
        r.old_progress,
        r.new_progress,
        r.old_status,
        r.new_status,
        r.value_text or r.value,
        r.year,
        r.note,
    ]


def export_csv(
    engine: Engine, store: ProgressStore, today: date, documents: Sequence[Shelf] = ()
) -> str:
    """Both tables in one CSV text (a blank line between), BOM first."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for i, (name, rows) in enumerate(tables(engine, store, today, documents).items()):
        if i:
            writer.writerow([])
        writer.writerow([name])
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def export_xlsx(
    engine: Engine,
    store: ProgressStore,
    today: date,
    path: Path,
    documents: Sequence[Shelf] = (),
) -> None:
    """Write an Excel workbook with a sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables(engine, store, today, documents).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    book.save(path)
