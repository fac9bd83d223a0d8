"""Each chat's pinned document (``/vanban``): the document its questions are answered from."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database

__all__ = ["PinStore"]


class PinStore:
    """Reads and writes ``chat_documents`` (migration ``m009_library``)."""

    def __init__(self, db: Database) -> None:
        """Keep the database."""
        self.db = db

    def get(self, chat_id: int) -> int | None:
        """The document id ``chat_id`` pinned, or None (also when it was removed since)."""
        row = self.db.execute(
            "SELECT p.document_id FROM chat_documents p JOIN documents d ON d.id = p.document_id"
            " WHERE p.chat_id = ?",
            [chat_id],
        ).fetchone()
        return int(row[0]) if row else None

    def pin(self, chat_id: int, document_id: int, user_id: int) -> None:
        """Pin ``document_id`` for ``chat_id`` (replacing any pin)."""
        at = datetime.now(UTC).isoformat(timespec="seconds")
        row: dict[str, object] = {"chat_id": chat_id, "document_id": document_id}
        row.update(pinned_by=user_id, pinned_at=at)
        with self.db.atomic():
            self.db.table("chat_documents").upsert(row, pk="chat_id")

    def unpin(self, chat_id: int) -> bool:
        """Remove ``chat_id``'s pin; whether there was one."""
        with self.db.atomic():
            had = self.get(chat_id) is not None
            self.db.execute("DELETE FROM chat_documents WHERE chat_id = ?", [chat_id])
        return had
