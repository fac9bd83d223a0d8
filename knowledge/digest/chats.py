"""Telegram's chat realities: a chat's id changes (group → supergroup), a chat goes away.

Two small tables, both written by the bot and never by a person:

``chat_migrations``
    ``old_chat_id → new_chat_id``, recorded when Telegram says a group became a
    supergroup. Rows that carry a chat id and must not be rewritten (the append-only
    ``reports`` log) are found under every id the chat has had with :func:`chat_ids`
    and :func:`reports_in_chat`.
``chat_pauses``
    Chats the bot can no longer write to (removed, blocked, "chat not found"): their
    digest and reminders are paused, not deleted, until the chat asks again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from knowledge.progress.log import Report

__all__ = [
    "ChatRegistry",
    "Migration",
    "Pause",
    "chat_ids",
    "reports_in_chat",
]

# A chain of migrations longer than this is a loop in the data, not history.
_MAX_HOPS = 16


@dataclass(frozen=True)
class Migration:
    """A chat that moved to a new id.

    Attributes:
        old_chat_id: The id that no longer works.
        new_chat_id: The id Telegram gave in ``migrate_to_chat_id``.
        at: When the bot learnt it (ISO, local time).

    """

    old_chat_id: int
    new_chat_id: int
    at: str


@dataclass(frozen=True)
class Pause:
    """A chat the bot stopped writing to.

    Attributes:
        chat_id: The chat.
        reason: Why, in English for the log ("kicked", "Forbidden: bot was blocked by the user").
        at: When (ISO, local time).

    """

    chat_id: int
    reason: str
    at: str


class ChatRegistry:
    """Chat-id migrations and paused chats, in a migrated database."""

    def __init__(self, db: Database) -> None:
        """Wrap a migrated database."""
        self.db = db

    def record_migration(self, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
        """Remember that ``old_chat_id`` is now ``new_chat_id``; False if already known."""
        if old_chat_id == new_chat_id:
            return False
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO chat_migrations (old_chat_id, new_chat_id, at) "
                "VALUES (?, ?, ?)",
                [old_chat_id, new_chat_id, now.isoformat(timespec="seconds")],
            )
            return cursor.rowcount == 1

    def migrations(self) -> list[Migration]:
        """Every recorded migration, oldest first."""
        rows = self.db.table("chat_migrations").rows_where(order_by="at, old_chat_id")
        return [Migration(**row) for row in rows]

    def current(self, chat_id: int) -> int:
        """The id the chat has now (``chat_id`` itself when it never moved)."""
        return self._chain(chat_id)[-1]

    def successors(self, chat_ids: Iterable[int]) -> frozenset[int]:
        """``chat_ids`` and every id they migrated to (an allow-list that follows migrations)."""
        out: set[int] = set()
        for chat_id in chat_ids:
            out.update(self._chain(chat_id))
        return frozenset(out)

    def aliases(self, chat_id: int) -> frozenset[int]:
        """Every id the chat of ``chat_id`` has had, before and after it (itself included)."""
        found = set(self._chain(self._first(chat_id)))
        return frozenset(found | {chat_id})

    def _chain(self, chat_id: int) -> list[int]:
        chain = [chat_id]
        while len(chain) <= _MAX_HOPS:
            following = self.current_step(chain[-1])
            if following is None or following in chain:
                break
            chain.append(following)
        return chain

    def _first(self, chat_id: int) -> int:
        seen = [chat_id]
        while len(seen) <= _MAX_HOPS:
            row = self.db.execute(
                "SELECT old_chat_id FROM chat_migrations WHERE new_chat_id = ? "
                "ORDER BY at LIMIT 1",
                [seen[-1]],
            ).fetchone()
            if row is None or row[0] in seen:
                break
            seen.append(int(row[0]))
        return seen[-1]

    def current_step(self, chat_id: int) -> int | None:
        """The id ``chat_id`` migrated to directly, or None."""
        row = self.db.execute(
            "SELECT new_chat_id FROM chat_migrations WHERE old_chat_id = ?", [chat_id]
        ).fetchone()
        return int(row[0]) if row else None

    def pause(self, chat_id: int, reason: str, now: datetime) -> bool:
        """Stop writing to a chat; True only the first time (so it is logged once)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO chat_pauses (chat_id, reason, at) VALUES (?, ?, ?)",
                [chat_id, reason, now.isoformat(timespec="seconds")],
            )
            return cursor.rowcount == 1

    def resume(self, chat_id: int) -> bool:
        """Write to the chat again; whether it was paused."""
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM chat_pauses WHERE chat_id = ?", [chat_id])
            return cursor.rowcount > 0

    def pause_of(self, chat_id: int) -> Pause | None:
        """Why and since when the bot stopped writing to a chat, or None."""
        rows = list(self.db.table("chat_pauses").rows_where("chat_id = ?", [chat_id]))
        return Pause(**rows[0]) if rows else None

    def paused(self) -> list[Pause]:
        """Every paused chat, by chat id."""
        return [
            Pause(**row) for row in self.db.table("chat_pauses").rows_where(order_by="chat_id")
        ]


def chat_ids(db: Database, chat_id: int) -> frozenset[int]:
    """Every id the chat of ``chat_id`` has had: look rows up by chat with ``IN`` these."""
    return ChatRegistry(db).aliases(chat_id)


def reports_in_chat(db: Database, chat_id: int) -> list[Report]:
    """The report log of a chat under all its ids (rows are never rewritten), oldest first."""
    ids = sorted(chat_ids(db, chat_id))
    marks = ", ".join("?" for _ in ids)
    rows = db.table("reports").rows_where(f"chat_id IN ({marks})", ids, order_by="id")
    return [Report(**row) for row in rows]
