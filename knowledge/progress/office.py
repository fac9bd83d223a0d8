"""Small settings an office changes at run time, kept in ``office_settings`` (key → JSON)."""

from __future__ import annotations

import json

from sqlite_utils import Database

from knowledge.progress.log import write_lock

__all__ = ["BOT_USERNAME", "OfficeSettings"]

BOT_USERNAME = "bot_username"  # recorded at every start, so the CLI can build invite links


class OfficeSettings:
    """Key-value settings that survive restarts (reminder lead days, who has the admin menu)."""

    def __init__(self, db: Database) -> None:
        """Wrap a migrated database."""
        self.db = db

    def get(self, key: str, default: object = None) -> object:
        """The value under ``key`` (decoded JSON), or ``default``."""
        row = self.db.execute("SELECT value FROM office_settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def put(self, key: str, value: object) -> None:
        """Store ``value`` (JSON-encodable) under ``key``."""
        with write_lock(self.db):
            self.db.table("office_settings").upsert(
                {"key": key, "value": json.dumps(value, ensure_ascii=False)}, pk="key"
            )

    def int_list(self, key: str, default: list[int]) -> list[int]:
        """A stored list of whole numbers (``default`` when unset or malformed)."""
        found = self.get(key)
        if isinstance(found, list) and all(isinstance(x, int) for x in found):
            return [int(x) for x in found]
        return list(default)
