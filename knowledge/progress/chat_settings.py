"""Per-chat settings of the write path: short ("quiet") report confirmations.

In a quiet chat a saved report gets a 👍 reaction and a one-line confirmation (with
its undo button) instead of the full card. Groups are quiet unless someone turned it
off (``/imlang tat``); private chats always get the full card.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database

from knowledge.digest.chats import chat_ids
from knowledge.progress.log import write_lock

__all__ = ["QUIET_BY_DEFAULT", "ChatSettings"]

# Groups are quiet until a chat says otherwise.
QUIET_BY_DEFAULT = True


class ChatSettings:
    """The ``chat_settings`` table."""

    def __init__(self, db: Database) -> None:
        """Wrap a migrated database."""
        self.db = db

    def quiet(self, chat_id: int, *, group: bool) -> bool:
        """Whether saved reports in this chat get the short confirmation."""
        if not group:
            return False
        # A group upgraded to a supergroup keeps its choice: look under every id it had.
        ids = sorted(chat_ids(self.db, chat_id))
        marks = ", ".join("?" for _ in ids)
        rows = self.db.query(
            f"SELECT quiet_reports FROM chat_settings WHERE chat_id IN ({marks}) "
            "ORDER BY at DESC LIMIT 1",
            ids,
        )
        row = next(iter(rows), None)
        return QUIET_BY_DEFAULT if row is None else bool(row["quiet_reports"])

    def set_quiet(self, chat_id: int, quiet: bool, *, by: int) -> None:
        """Persist a chat's choice."""
        with write_lock(self.db):
            self.db.table("chat_settings").upsert(
                {
                    "chat_id": chat_id,
                    "quiet_reports": int(quiet),
                    "set_by": by,
                    "at": datetime.now(UTC).isoformat(timespec="seconds"),
                },
                pk="chat_id",
            )
