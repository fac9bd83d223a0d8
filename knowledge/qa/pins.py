"""Each chat's pinned document (``/vanban``): the document its questions are answered from."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database

from knowledge.digest.chats import chat_ids
from knowledge.progress.log import write_lock

__all__ = ["PinStore"]


class PinStore:
    """Reads and writes ``chat_documents`` (migration ``m009_library``)."""

    def __init__(self, db: Database) -> None:
        """Keep the database."""
        self.db = db

    def get(self, chat_id: int) -> int | None:
        """The document id ``chat_id`` pinned, or None (also when it was removed since)."""
        # A group upgraded to a supergroup keeps its pin: look under every id it had.
        ids = sorted(chat_ids(self.db, chat_id))
        marks = ", ".join("?" for _ in ids)
        rows = self.db.query(
            "SELECT p.document_id FROM chat_documents p JOIN documents d ON d.id = p.document_id"
            f" WHERE p.chat_id IN ({marks}) ORDER BY p.pinned_at DESC LIMIT 1",
            ids,
        )
        row = next(iter(rows), None)
        return int(row["document_id"]) if row else None

    def pin(self, chat_id: int, document_id: int, user_id: int) -> None:
        """Pin ``document_id`` for ``chat_id`` (replacing any pin)."""
        at = datetime.now(UTC).isoformat(timespec="seconds")
        row: dict[str, object] = {"chat_id": chat_id, "document_id": document_id}
        row.update(pinned_by=user_id, pinned_at=at)
        with write_lock(self.db):
            self.db.table("chat_documents").upsert(row, pk="chat_id")

    def unpin(self, chat_id: int) -> bool:
        """Remove ``chat_id``'s pin; whether there was one."""
        with write_lock(self.db):
            had = self.get(chat_id) is not None
            ids = sorted(chat_ids(self.db, chat_id))
            marks = ", ".join("?" for _ in ids)
            self.db.execute(f"DELETE FROM chat_documents WHERE chat_id IN ({marks})", ids)
        return had
