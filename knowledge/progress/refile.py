"""Filing rows kept before m011 under their document's key (the body of migration m011).

Up to m010 a report row's ``target_key`` was the task's (or target's) content key alone, so
two documents with an identically worded task shared their rows. m011 prefixes every row's
key with its document's key (:mod:`knowledge.progress.keys`). Which document a row belongs
to is decided from what the row and the database still say, first rule that settles it:

1. a row that names another row (an undo, an amendment, a review) goes where that row went;
2. the documents that have a task (target) with the row's old key; when none has one (its
   wording was corrected since), those with a task of the row's code, which is where the
   old fallback by code showed it; with only one of them, that one;
3. among several, those where the task with that key has the row's code (the code the
   reporter saw when writing);
4. the document the row's chat had pinned (``/vanban``) when the row was written: a chat
   pins the document it works on, and a report resolves ambiguous codes in the pin;
5. the earliest added of the documents already loaded when the row was written
   (``loaded_at`` is the last load, so one loaded before the row certainly existed then),
   else the earliest added of all: the document that existed when the report was most
   likely written.

A row no stored document can claim (its document was removed) keeps its old key. Evidence
follows its report; a deadline reminder already sent and a target assigned to a reporter
are kept for every document with that key, so no reminder is sent twice and no reporter
loses a target they could report on.

The old key formulas are copied here on purpose: a migration must not change when the
current ones do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from knowledge.progress.keys import document_of_key, identity_key, scoped
from knowledge.text import fold

__all__ = ["Home", "move_document", "refile_reports"]

# Every column that holds a key filed under a document key.
_KEYED = (
    ("reports", "target_key"),
    ("evidence", "task_key"),
    ("deadline_reminders_sent", "task_key"),
    ("user_indicators", "indicator"),
)


def _old_task_key(content: str) -> str:
    return hashlib.sha1(fold(content).encode()).hexdigest()[:16]


def _old_indicator_key(ref: str, name: str, value: str) -> str:
    raw = f"{ref}|{fold(name or '')}|{fold(value or '')}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Home:
    """A stored document a row may belong to.

    Attributes:
        id: ``documents.id`` (the order documents were first added in).
        key: Its document key.
        loaded_at: When it was last loaded (UTC ISO).

    """

    id: int
    key: str
    loaded_at: str


class _Shelves:
    """What the stored documents hold, by old key and by code."""

    def __init__(self, db: Database) -> None:
        rows = db.execute("SELECT id, issuer, number, date, loaded_at FROM documents ORDER BY id")
        self.homes = {
            int(i): Home(int(i), identity_key(s or "", n or "", d or ""), at or "")
            for i, s, n, d, at in rows.fetchall()
        }
        # (kind, old key) → {document id: code}; (kind, code) → document ids
        self.by_key: dict[tuple[str, str], dict[int, str]] = {}
        self.by_code: dict[tuple[str, str], list[int]] = {}
        for doc, code, content in db.execute("SELECT document_id, code, content FROM tasks"):
            self._add("task", int(doc), str(code), _old_task_key(content or ""))
        indicators = db.execute("SELECT document_id, id, ref, name, value FROM indicators")
        for doc, ind, ref, name, value in indicators.fetchall():
            self._add("indicator", int(doc), str(ind), _old_indicator_key(ref, name, value))
        self.pins = {
            int(chat): (int(doc), at or "")
            for chat, doc, at in db.execute(
                "SELECT chat_id, document_id, pinned_at FROM chat_documents"
            ).fetchall()
        }

    def _add(self, kind: str, doc: int, code: str, key: str) -> None:
        self.by_key.setdefault((kind, key), {})[doc] = code
        self.by_code.setdefault((kind, code), []).append(doc)

    def home(self, row: dict[str, Any], decided: dict[int, int]) -> int | None:
        """The document ``row`` belongs to (the module's rules), or None."""
        ref = row["ref_report"]
        if ref is not None and ref in decided:
            return decided[ref]
        kind, code = row["kind"], row["target"]
        holders = self.by_key.get((kind, row["target_key"]), {})
        candidates = sorted(holders) or sorted(set(self.by_code.get((kind, code), [])))
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        same_code = [d for d in candidates if holders.get(d) == code]
        if len(same_code) == 1:
            return same_code[0]
        candidates = same_code or candidates
        pin = self.pins.get(int(row["chat_id"] or 0))
        if pin is not None and pin[0] in candidates and pin[1] <= row["at"]:
            return pin[0]
        existed = [d for d in candidates if self.homes[d].loaded_at <= row["at"]]
        return min(existed or candidates)


def refile_reports(db: Database) -> None:
    """File every unscoped row of ``reports`` (and its dependants) under its document."""
    shelves = _Shelves(db)
    decided: dict[int, int] = {}
    for row in list(db.query("SELECT * FROM reports ORDER BY id")):
        if document_of_key(row["target_key"]):
            continue  # filed already
        doc = shelves.home(row, decided)
        if doc is None:
            continue
        decided[row["id"]] = doc
        new = scoped(shelves.homes[doc].key, row["target_key"])
        db.execute("UPDATE reports SET target_key = ? WHERE id = ?", [new, row["id"]])
    db.execute(
        "UPDATE evidence SET task_key = (SELECT target_key FROM reports r "
        "WHERE r.id = evidence.report_id) WHERE report_id IN (SELECT id FROM reports)"
    )
    _spread(db, shelves, "deadline_reminders_sent", "task_key", "task")
    _spread(db, shelves, "user_indicators", "indicator", "indicator")


def _spread(db: Database, shelves: _Shelves, table: str, column: str, kind: str) -> None:
    """Re-file ``table``'s unscoped keys under every document that has them."""
    for row in list(db.query(f"SELECT * FROM [{table}]")):
        old = row[column]
        if document_of_key(old):
            continue
        holders = shelves.by_key.get((kind, old), {})
        for doc in sorted(holders):
            db.table(table).insert(
                {**row, column: scoped(shelves.homes[doc].key, old)}, ignore=True
            )
        if holders:
            pks = db.table(table).pks
            where = " AND ".join(f"[{k}] = ?" for k in pks)
            db.execute(f"DELETE FROM [{table}] WHERE {where}", [row[k] for k in pks])


def move_document(db: Database, old: str, new: str) -> None:
    """Re-file every row under document key ``old`` under ``new``.

    For a document whose identity a reload completed (stored before identities existed,
    with issuer "", now loaded with its issuer): its rows stay attached.
    """
    if old == new:
        return
    prefix = scoped(old, "")
    for table, column in _KEYED:
        if table in db.table_names():
            db.execute(
                f"UPDATE OR REPLACE [{table}] SET [{column}] = ? || substr([{column}], ?) "
                f"WHERE substr([{column}], 1, ?) = ?",
                [scoped(new, ""), len(prefix) + 1, len(prefix), prefix],
            )
