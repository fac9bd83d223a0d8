"""The database schema, as named migrations recorded in the database.

sqlite-utils applies each migration once, in order, and records it in the
``_sqlite_migrations`` table. Never edit a migration that has shipped: add a
new one.
"""

from __future__ import annotations

import re

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

__all__ = ["FTS_TABLES", "migrations"]

FTS_TABLES = ("indicators", "tasks", "responsibilities", "passages", "sections")

migrations = Migrations("ctbot")


# The first schema of the parsed programme: table → (columns, primary key).
_M001_TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...]]] = {
    "meta": ({"key": str, "value": str}, "key"),
    "indicators": (
        {
            "id": int,
            "area": str,
            "name": str,
            "subject": str,
            "value": str,
            "comparator": str,
            "low": float,
            "high": float,
            "unit": str,
            "year": int,
            "detail": str,
            "sentence": str,
            "ref": str,
            "search": str,
        },
        "id",
    ),
    "tasks": (
        {
            "code": str,
            "position": int,
            "part": str,
            "part_title": str,
            "grp": str,
            "content": str,
            "lead": str,
            "approval": str,
            "issuer": str,
            "due": str,
            "period": str,
            "coordinating": str,
            "extra": str,
            "search": str,
        },
        "code",
    ),
    "responsibilities": (
        {
            "number": str,
            "position": int,
            "subject": str,
            "bodies": str,
            "text": str,
            "ref": str,
            "search": str,
        },
        "number",
    ),
    "passages": (
        {"id": int, "path": str, "ref": str, "heading": str, "text": str, "search": str},
        "id",
    ),
    "sections": ({"ref": str, "position": int, "path": str, "title": str, "search": str}, "ref"),
    "agencies": ({"name": str, "key": str, "aliases": str}, "name"),
}


@migrations(name="m001_programme")
def m001_programme(db: Database) -> None:
    """Tables for the parsed programme."""
    for name, (columns, pk) in _M001_TABLES.items():
        db.table(name).create(columns, pk=pk)
    db.table("agency_tasks").create(
        {"agency": str, "task_code": str, "role": str},
        pk=("agency", "task_code", "role"),
        foreign_keys=[("agency", "agencies", "name"), ("task_code", "tasks", "code")],
    )


@migrations(name="m002_fts")
def m002_fts(db: Database) -> None:
    """FTS5 indexes over the folded ``search`` columns, kept in sync by triggers."""
    for table in FTS_TABLES:
        db.table(table).enable_fts(["search"], fts_version="FTS5", create_triggers=True)


@migrations(name="m003_progress")
def m003_progress(db: Database) -> None:
    """Users, roles, the append-only report log and the audit of refusals."""
    db.table("users").create(
        {"user_id": int, "role": str, "name": str, "added_by": int, "added_at": str},
        pk="user_id",
    )
    db.table("user_agencies").create({"user_id": int, "agency": str}, pk=("user_id", "agency"))
    db.table("user_indicators").create(
        {"user_id": int, "indicator": str}, pk=("user_id", "indicator")
    )
    db.table("reports").create(
        {
            "id": int,
            "at": str,
            "user_id": int,
            "user_name": str,
            "chat_id": int,
            "message_id": int,
            "kind": str,
            "target": str,
            "target_key": str,
            "title": str,
            "action": str,
            "ref_report": int,
            "old_progress": float,
            "new_progress": float,
            "old_status": str,
            "new_status": str,
            "value": float,
            "value_text": str,
            "year": int,
            "note": str,
        },
        pk="id",
    )
    db.table("reports").create_index(["kind", "target_key"])
    db.table("reports").create_index(["chat_id", "message_id"])
    db.table("audit").create(
        {
            "id": int,
            "at": str,
            "user_id": int,
            "chat_id": int,
            "message_id": int,
            "action": str,
            "allowed": int,
            "reason": str,
            "text": str,
        },
        pk="id",
    )


@migrations(name="m004_digests")
def m004_digests(db: Database) -> None:
    """Digest subscriptions, the log of digests sent, who started the bot, reminders sent."""
    db.table("subscriptions").create(
        {
            "chat_id": int,
            "time": str,
            "days": str,
            "quiet": int,
            "created_by": int,
            "created_at": str,
        },
        pk="chat_id",
    )
    db.table("digests_sent").create(
        {"chat_id": int, "day": str, "state": str, "at": str}, pk=("chat_id", "day")
    )
    db.table("bot_users").create({"user_id": int, "started_at": str}, pk="user_id")
    db.table("reminders_sent").create({"user_id": int, "at": str}, pk=("user_id", "at"))


@migrations(name="m005_chats")
def m005_chats(db: Database) -> None:
    """Chat-id migrations (group → supergroup) and chats the bot can no longer write to."""
    db.table("chat_migrations").create(
        {"old_chat_id": int, "new_chat_id": int, "at": str}, pk="old_chat_id"
    )
    db.table("chat_migrations").create_index(["new_chat_id"])
    db.table("chat_pauses").create({"chat_id": int, "reason": str, "at": str}, pk="chat_id")


_NUMBER_IN_TITLE = re.compile(r"số\s+(\S+?)(?:,|$)")


def _first_document(db: Database) -> None:
    """Record what an older database holds as document 1, from its ``meta`` rows."""
    meta = {r["key"]: r["value"] for r in db["meta"].rows}
    number = _NUMBER_IN_TITLE.search(meta.get("title", ""))
    db.table("documents").insert(
        {
            "id": 1,
            # Unknown before m006: the next load of the same number and date fills it.
            "issuer": "",
            "number": number.group(1) if number else "",
            "date": meta.get("issued", ""),
            "title": meta.get("title", ""),
            "subtitle": meta.get("subtitle", ""),
            "kind": "programme",
            "implements": "",
            "signer": meta.get("signer", ""),
            "signer_title": meta.get("signer_title", ""),
            "source": meta.get("source", ""),
            "sha256": meta.get("sha256", ""),
            "loaded_at": meta.get("loaded_at", ""),
        }
    )


@migrations(name="m006_documents")
def m006_documents(db: Database) -> None:
    """Several documents: a ``documents`` table, identity (issuer, number, date).

    Every record table gets a ``document_id`` column that leads its primary key
    (task codes, indicator ids ... are per document); the foreign keys of
    ``agency_tasks`` become compound (document, agency) and (document, task); indicators get
    ``values`` (JSON: year column → value) and tasks ``product``. Rows already
    stored become document 1.
    """
    db.table("documents").create(
        {
            "id": int,
            "issuer": str,
            "number": str,
            "date": str,
            "title": str,
            "subtitle": str,
            "kind": str,
            "implements": str,
            "signer": str,
            "signer_title": str,
            "source": str,
            "sha256": str,
            "loaded_at": str,
        },
        pk="id",
    )
    db.table("documents").create_index(["number"])
    keys_in_document = {
        "agency_tasks": ("agency", "task_code", "role"),
        "indicators": ("id",),
        "tasks": ("code",),
        "responsibilities": ("number",),
        "passages": ("id",),
        "sections": ("ref",),
        "agencies": ("name",),
    }
    existing = db["tasks"].count > 0
    if existing:
        _first_document(db)
    db.table("indicators").add_column("values", str)
    db.table("tasks").add_column("product", str)
    for table in FTS_TABLES:
        db.table(table).disable_fts()
    for table, keys in keys_in_document.items():
        db.table(table).add_column("document_id", int)
        db.execute(f"UPDATE [{table}] SET document_id = 1")
        drop = ["agency", "task_code"] if table == "agency_tasks" else None
        db.table(table).transform(pk=("document_id", *keys), drop_foreign_keys=drop)
        db.table(table).create_index(["document_id"])
    db.table("agency_tasks").transform(
        foreign_keys=[
            (("document_id", "agency"), "agencies", ("document_id", "name")),
            (("document_id", "task_code"), "tasks", ("document_id", "code")),
        ]
    )
    for table in FTS_TABLES:
        db.table(table).enable_fts(["search"], fts_version="FTS5", create_triggers=True)


@migrations(name="m007_invites_deadlines")
def m007_invites_deadlines(db: Database) -> None:
    """Invite links, the working-day calendar, deadline reminders and periodic reports."""
    db.table("invites").create(
        {
            "token_hash": str,
            "code": str,
            "agency": str,
            "role": str,
            "created_by": int,
            "created_at": str,
            "expires_at": str,
            "used_by": int,
            "used_at": str,
            "revoked_at": str,
        },
        pk="token_hash",
        not_null={"code", "role", "created_at", "expires_at"},
    )
    db.table("invites").create_index(["code"], unique=True)
    db.table("calendar_days").create(
        {"day": str, "kind": str, "note": str, "added_by": int, "added_at": str}, pk="day"
    )
    db.table("deadline_reminders_sent").create(
        {"task_key": str, "deadline": str, "lead_days": int, "user_id": int, "at": str},
        pk=("task_key", "deadline", "lead_days", "user_id"),
    )
    db.table("overdue_sent").create(
        {"user_id": int, "week": str, "at": str}, pk=("user_id", "week")
    )
    db.table("report_subscriptions").create(
        {"chat_id": int, "period": str, "created_by": int, "created_at": str},
        pk=("chat_id", "period"),
    )
    db.table("reports_sent").create(
        {"chat_id": int, "period": str, "label": str, "at": str},
        pk=("chat_id", "period", "label"),
    )
    db.table("office_settings").create({"key": str, "value": str}, pk="key")


@migrations(name="m008_evidence_reviews")
def m008_evidence_reviews(db: Database) -> None:
    """Files attached to reports, and each chat's choice of short confirmations.

    Reviews (confirm / return) are rows of the append-only ``reports`` log (actions
    ``confirm`` and ``return``) and need no table of their own.
    """
    db.table("evidence").create(
        {
            "id": int,
            "at": str,
            "report_id": int,
            "task_key": str,
            "task_code": str,
            "user_id": int,
            "user_name": str,
            "chat_id": int,
            "message_id": int,
            "kind": str,
            "file_id": str,
            "file_unique_id": str,
            "file_name": str,
            "mime_type": str,
            "file_size": int,
            "doc_number": str,
            "doc_refs": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db.table("evidence").create_index(["task_key"])
    db.table("evidence").create_index(["report_id", "file_unique_id"], unique=True)
    db.table("chat_settings").create(
        {"chat_id": int, "quiet_reports": int, "set_by": int, "at": str}, pk="chat_id"
    )


@migrations(name="m009_library")
def m009_library(db: Database) -> None:
    """Each chat's pinned document (``/vanban``): its questions are answered from it."""
    db.table("chat_documents").create(
        {"chat_id": int, "document_id": int, "pinned_by": int, "pinned_at": str},
        pk="chat_id",
    )


@migrations(name="m010_progress_per_document")
def m010_progress_per_document(db: Database) -> None:
    """Each report's ``role``: "" (the lead body's or an admin's) or ``coordinating``.

    A coordinating body's report on its part of a task is shown beside the lead's; the
    task's status follows the lead's rows only.
    """
    db.table("reports").add_column("role", str, not_null_default="")


@migrations(name="m011_report_keys_per_document")
def m011_report_keys_per_document(db: Database) -> None:
    """Report keys name their document: ``"<document key>:<content key>"``.

    Two documents with an identically worded task no longer share report rows. Every row
    kept so far is filed under the document it most likely belongs to (by the row it
    names, the documents that have its key, its code, its chat's pin when written, then the
    earliest document loaded by then: see :mod:`knowledge.progress.refile`); evidence
    follows its report, sent reminders and assigned targets are kept for every document
    with the key.
    """
    from knowledge.progress.refile import refile_reports

    refile_reports(db)
