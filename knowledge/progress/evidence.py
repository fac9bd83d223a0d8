"""Evidence: files (a document or a photo) attached to a task report.

A file arrives with a report (the report is the caption) or later, as a reply to the
bot's confirmation of a report (see :func:`knowledge.progress.write_rules.attach_refusal`).
Telegram keeps the file; we keep its ``file_id`` (to send it again), its
``file_unique_id`` (the same file attached twice to one report is kept once), its
name, type and size, and the document numbers its caption or the report's note names
(:mod:`knowledge.progress.doc_numbers`). Rows are only ever added.

Who may see it: anyone in a chat the bot serves who can run ``/tiendo`` — evidence is
part of a task's record, as public as the report notes ``/tiendo`` already shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from knowledge.progress.doc_numbers import find_refs, refs_text
from knowledge.progress.log import Report, write_lock

__all__ = ["Attachment", "Evidence", "EvidenceStore"]

DOCUMENT = "document"
PHOTO = "photo"


@dataclass(frozen=True)
class Attachment:
    """A file as it came with a message (what the handlers pass down).

    Attributes:
        kind: ``document`` or ``photo``.
        file_id: Telegram's id to send it again (bot-specific).
        file_unique_id: Telegram's stable id of the file.
        file_name: The document's name ("" for photos).
        mime_type: Its type ("image/jpeg" for photos).
        file_size: Bytes, 0 when unknown.
        caption: The message's caption (searched for document numbers).

    """

    kind: str
    file_id: str
    file_unique_id: str
    file_name: str = ""
    mime_type: str = ""
    file_size: int = 0
    caption: str = ""


@dataclass(frozen=True)
class Evidence:
    """One row of ``evidence``."""

    id: int
    at: str
    report_id: int
    task_key: str
    task_code: str
    user_id: int
    user_name: str
    chat_id: int
    message_id: int
    kind: str
    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    file_size: int
    doc_number: str
    doc_refs: str

    @property
    def label(self) -> str:
        """What a button or a list line calls the file."""
        icon = "🖼" if self.kind == PHOTO else "📄"
        name = self.file_name or f"Ảnh #{self.id}"
        return f"{icon} {name}"


class EvidenceStore:
    """Reads and adds evidence rows; every add is one transaction (or part of the caller's)."""

    def __init__(self, db: Database) -> None:
        """Wrap a migrated database."""
        self.db = db

    def add(
        self, report: Report, file: Attachment, *, chat_id: int, message_id: int
    ) -> Evidence | None:
        """Attach ``file`` to ``report``; None when that file is already attached to it.

        Document numbers are read from the caption and the report's note.
        """
        refs = find_refs(f"{file.caption}\n{report.note}")
        with write_lock(self.db):
            again = self.db.execute(
                "SELECT 1 FROM evidence WHERE report_id = ? AND file_unique_id = ?",
                [report.id, file.file_unique_id],
            ).fetchone()
            if again is not None:
                return None
            table = self.db.table("evidence")
            table.insert(
                {
                    "at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "report_id": report.id,
                    "task_key": report.target_key,
                    "task_code": report.target,
                    "user_id": report.user_id,
                    "user_name": report.user_name,
                    "chat_id": chat_id,
                    "message_id": message_id,
                    "kind": file.kind,
                    "file_id": file.file_id,
                    "file_unique_id": file.file_unique_id,
                    "file_name": file.file_name[:200],
                    "mime_type": file.mime_type[:100],
                    "file_size": file.file_size,
                    "doc_number": refs[0].number if refs else "",
                    "doc_refs": refs_text(refs),
                }
            )
            return self.get(int(table.last_pk))  # type: ignore[arg-type]

    def get(self, evidence_id: int) -> Evidence | None:
        """One row by id."""
        rows = self.db.query("SELECT * FROM evidence WHERE id = ?", [evidence_id])
        return next((Evidence(**row) for row in rows), None)

    def for_task(self, key: str, limit: int = 10) -> list[Evidence]:
        """A task's files (by its content key), newest first, of reports not undone."""
        rows = self.db.query(
            "SELECT e.* FROM evidence e WHERE e.task_key = ? AND NOT EXISTS ("
            "SELECT 1 FROM reports u WHERE u.action = 'undo' AND u.ref_report = e.report_id) "
            "ORDER BY e.id DESC LIMIT ?",
            [key, limit],
        )
        return [Evidence(**row) for row in rows]

    def for_report(self, report_id: int) -> list[Evidence]:
        """The files attached to one report, oldest first."""
        rows = self.db.query("SELECT * FROM evidence WHERE report_id = ? ORDER BY id", [report_id])
        return [Evidence(**row) for row in rows]
