"""SQLite storage of a programme through sqlite-utils, with named migrations and FTS5.

The schema is created by named migrations recorded in the database (table
``_sqlite_migrations``), so later features add migrations instead of editing
tables by hand. Every searchable row carries a ``search`` column holding its
folded, abbreviation-expanded text, indexed by FTS5: SQLite's own
``remove_diacritics`` folds tones but not "đ", so the folding is done here.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from knowledge.errors import KnowledgeError
from knowledge.migrations import migrations
from knowledge.programme.model import (
    Agency,
    Indicator,
    Passage,
    Programme,
    Responsibility,
    Section,
    Task,
)
from knowledge.programme.parser import parse_programme
from knowledge.qa.lexicon import expand
from knowledge.text import fold

__all__ = [
    "BUNDLED_PROGRAMME",
    "DEFAULT_DB",
    "PROGRAMME_TABLES",
    "bundled_text",
    "database_path",
    "document_stats",
    "documents",
    "find_document",
    "fts_keys",
    "load_programme",
    "migrations",
    "open_database",
    "read_documents",
    "read_programme",
    "remove_document",
    "stats",
]

DEFAULT_DB = "ctbot.sqlite3"
BUNDLED_PROGRAMME = "ctr-08-khanh-hoa-2020-2025.txt"
PROGRAMME_TABLES = ("indicators", "tasks", "responsibilities", "passages", "agencies")
# Loaded with the programme and replaced by `ctbot load`, but not counted by stats.
_DERIVED_TABLES = ("sections", "agency_tasks")


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the database path: ``explicit``, else ``$CTBOT_DB``, else ``./ctbot.sqlite3``.

    Args:
        explicit: A path given on the command line, or None.

    Returns:
        The path to use.

    """
    return Path(explicit or os.environ.get("CTBOT_DB") or DEFAULT_DB)


def bundled_text() -> str:
    """Return the text of the programme shipped inside the package."""
    return (
        resources.files("knowledge")
        .joinpath("data")
        .joinpath(BUNDLED_PROGRAMME)
        .read_text("utf-8")
    )


def open_database(path: str | os.PathLike[str] | None = None, *, memory: bool = False) -> Database:
    """Open (creating if needed) the database, apply migrations, load the bundled programme if new.

    Args:
        path: Database file; resolved with :func:`database_path`.
        memory: Use an in-memory database instead (tests).

    Returns:
        A ready database with WAL journalling and a busy timeout.

    """
    if memory:
        db = Database(memory=True)
    else:
        target = database_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        db = Database(target)
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA foreign_keys=ON")
    migrations.apply(db)
    if not db["documents"].count:
        load_programme(db, bundled_text(), source=BUNDLED_PROGRAMME)
    return db


def _search(*parts: str) -> str:
    return expand(fold(" ".join(p for p in parts if p)), agency=False)


def _rows(programme: Programme, document_id: int) -> dict[str, list[dict[str, object]]]:
    """Every record of ``programme`` as rows, each carrying ``document_id``."""
    rows = _record_rows(programme)
    return {
        table: [{"document_id": document_id, **row} for row in table_rows]
        for table, table_rows in rows.items()
    }


def _agency_links(programme: Programme) -> list[dict[str, object]]:
    """Which body has which role (lead, approval, issuer, coordinating) in which task."""
    from knowledge.programme.agencies import agency_key, split_names

    keys = {agency_key(a.name): a.name for a in programme.agencies}
    for a in programme.agencies:
        for alias in a.aliases:
            keys.setdefault(agency_key(alias), a.name)
    links: list[dict[str, object]] = []
    for t in programme.tasks:
        cells = (
            ("lead", t.lead),
            ("approval", t.approval),
            ("issuer", t.issuer),
            ("coordinating", t.coordinating),
        )
        for role, cell in cells:
            for name in split_names(cell):
                agency = keys.get(agency_key(name))
                if agency:
                    links.append({"agency": agency, "task_code": t.code, "role": role})
    return list({(r["agency"], r["task_code"], r["role"]): r for r in links}.values())


def _task_row(t: Task) -> dict[str, object]:
    return {
        "code": t.code,
        "position": t.position,
        "part": t.part,
        "part_title": t.part_title,
        "grp": t.group,
        "content": t.content,
        "lead": t.lead,
        "approval": t.approval,
        "issuer": t.issuer,
        "due": t.due,
        "period": t.period,
        "coordinating": t.coordinating,
        "product": t.product,
        "extra": json.dumps(t.extra, ensure_ascii=False),
        "search": _search(t.content, t.group, t.product),
    }


def _record_rows(programme: Programme) -> dict[str, list[dict[str, object]]]:
    from knowledge.programme.agencies import agency_key

    return {
        "indicators": [
            {
                **{k: getattr(i, k) for k in Indicator.__dataclass_fields__},
                "values": json.dumps(i.values, ensure_ascii=False),
                "search": _search(i.name, i.subject, i.unit, i.sentence, i.area),
            }
            for i in programme.indicators
        ],
        "tasks": [_task_row(t) for t in programme.tasks],
        "responsibilities": [
            {
                "number": r.number,
                "position": n,
                "subject": r.subject,
                "bodies": json.dumps(list(r.bodies), ensure_ascii=False),
                "text": r.text,
                "ref": r.ref,
                "search": _search(r.subject, r.text),
            }
            for n, r in enumerate(programme.responsibilities, start=1)
        ],
        "passages": [
            {
                "id": p.id,
                "path": p.path,
                "ref": p.ref,
                "heading": p.heading,
                "text": p.text,
                "search": _search(p.heading, p.text),
            }
            for p in programme.passages
        ],
        "agencies": [
            {
                "name": a.name,
                "key": agency_key(a.name),
                "aliases": json.dumps(list(a.aliases), ensure_ascii=False),
            }
            for a in programme.agencies
        ],
        "sections": [
            {
                "ref": x.ref,
                "position": n,
                "path": x.path,
                "title": x.title,
                "search": _search(x.title),
            }
            for n, x in enumerate(programme.sections, start=1)
        ],
        "agency_tasks": _agency_links(programme),
    }


def _same_document(db: Database, programme: Programme) -> int | None:
    """The id of the stored document with the identity of ``programme``, if any.

    A document stored before identities existed (issuer "") matches by number
    and date.
    """
    rows = db.execute(
        "SELECT id, issuer FROM documents WHERE number = ? AND date = ? ORDER BY id",
        [programme.number, programme.issued],
    ).fetchall()
    for doc_id, issuer in rows:
        if issuer in (programme.issuer, ""):
            return int(doc_id)
    return None


def _document_row(programme: Programme, text: str, source: str) -> dict[str, object]:
    return {
        "issuer": programme.issuer,
        "number": programme.number,
        "date": programme.issued,
        "title": programme.title,
        "subtitle": programme.subtitle,
        "kind": programme.kind,
        "implements": programme.implements,
        "signer": programme.signer,
        "signer_title": programme.signer_title,
        "source": source,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "loaded_at": datetime.now(UTC).isoformat(timespec="microseconds"),
    }


def _delete_records(db: Database, document_id: int) -> None:
    for table in (*_DERIVED_TABLES, *PROGRAMME_TABLES):
        db.execute(f"DELETE FROM [{table}] WHERE document_id = ?", [document_id])


def _keep_reports(db: Database, doc_id: int, programme: Programme) -> None:
    """Keep a document's reports attached when a reload completes its identity (issuer)."""
    from knowledge.progress.keys import document_key, identity_key
    from knowledge.progress.refile import move_document

    was = db.table("documents").get(doc_id)
    old = identity_key(was["issuer"], was["number"], was["date"])
    move_document(db, old, document_key(programme))


def load_programme(db: Database, text: str, *, source: str = "") -> Programme:
    """Parse ``text`` and add it to ``db``, or replace the document with its identity.

    A document's identity is its issuer, number and date. The text is parsed
    before anything is written, and everything is written in one transaction
    (taking the write lock up front), so a file that is not a programme or plan
    leaves the database untouched. Reports follow their tasks and targets by their
    document's identity and their content (:mod:`knowledge.progress.keys`); a reload that
    completes a document's identity (an issuer stored as "") re-files its reports.

    Args:
        db: A migrated database.
        text: The document's text (a reader's output for .docx/.pdf).
        source: Where the text came from, recorded in ``documents``.

    Returns:
        The parsed document.

    Raises:
        ProgrammeFormatError: The text is not a programme or plan of the known genres.

    """
    from knowledge.progress.log import write_lock

    programme = parse_programme(text)
    with write_lock(db):
        doc_id = _same_document(db, programme)
        row = _document_row(programme, text, source)
        if doc_id is None:
            doc_id = int(
                db.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
            )
            db.table("documents").insert({"id": doc_id, **row})
        else:
            _keep_reports(db, doc_id, programme)
            _delete_records(db, doc_id)
            db.table("documents").update(doc_id, row)
        for table, table_rows in _rows(programme, doc_id).items():
            if table_rows:
                db.table(table).insert_all(table_rows)
    return programme


def _loads(value: object) -> list[str]:
    return list(json.loads(value)) if isinstance(value, str) and value else []


def _task(r: dict[str, Any]) -> Task:
    return Task(
        code=r["code"],
        part=r["part"],
        part_title=r["part_title"],
        group=r["grp"],
        content=r["content"],
        lead=r["lead"],
        approval=r["approval"],
        issuer=r["issuer"],
        due=r["due"],
        period=r["period"],
        coordinating=r["coordinating"] or "",
        extra=json.loads(r["extra"] or "{}"),
        position=r["position"],
        product=r["product"] or "",
    )


def _indicator(r: dict[str, Any]) -> Indicator:
    fields = {k: r[k] for k in Indicator.__dataclass_fields__ if k != "values"}
    return Indicator(**fields, values=json.loads(r["values"] or "{}"))


def _records(db: Database, table: str, doc_id: int, order: str) -> list[dict[str, Any]]:
    return list(db[table].rows_where("document_id = ?", [doc_id], order_by=order))


def _read_document(db: Database, doc: dict[str, Any]) -> Programme:
    """One stored document back into records."""
    doc_id = doc["id"]
    return Programme(
        title=doc["title"],
        subtitle=doc["subtitle"],
        indicators=[_indicator(r) for r in _records(db, "indicators", doc_id, "id")],
        tasks=[_task(r) for r in _records(db, "tasks", doc_id, "position")],
        responsibilities=[
            Responsibility(
                r["number"], r["subject"], tuple(_loads(r["bodies"])), r["text"], r["ref"]
            )
            for r in _records(db, "responsibilities", doc_id, "position")
        ],
        passages=[
            Passage(r["id"], r["path"], r["ref"], r["heading"], r["text"])
            for r in _records(db, "passages", doc_id, "id")
        ],
        agencies=[
            Agency(r["name"], tuple(_loads(r["aliases"])))
            for r in _records(db, "agencies", doc_id, "name")
        ],
        sections=[
            Section(r["ref"], r["path"], r["title"])
            for r in _records(db, "sections", doc_id, "position")
        ],
        issued=doc["date"],
        signer=doc["signer"],
        signer_title=doc["signer_title"],
        kind=doc["kind"],
        number=doc["number"],
        issuer=doc["issuer"],
        implements=doc["implements"] or "",
    )


def documents(db: Database) -> list[dict[str, Any]]:
    """The stored documents' rows (``documents`` table), in the order they were first added."""
    return list(db["documents"].rows_where(order_by="id"))


def read_documents(db: Database) -> list[Programme]:
    """Every stored document, as records, in the order they were first added.

    Args:
        db: A database filled by :func:`load_programme`.

    Returns:
        One :class:`~knowledge.programme.model.Programme` per document (plans included).

    """
    return [_read_document(db, doc) for doc in documents(db)]


def read_programme(db: Database, number: str | None = None) -> Programme:
    """Read one stored document back into records: the one the engine answers from.

    Without ``number`` this is the document loaded last (as before documents
    existed, when each load replaced the one before): a new database's bundled
    programme, or the file of the latest ``ctbot load``.

    Args:
        db: A database filled by :func:`load_programme`.
        number: A document number ("08-CTr/TU", "45/KH-UBND") to read instead.

    Returns:
        The document as stored.

    Raises:
        KnowledgeError: The database holds no (such) document; run ``ctbot load``.

    """
    if "documents" not in db.table_names() or not db["tasks"].count:
        raise KnowledgeError("the database holds no programme: run `ctbot load` first")
    where, args = ("number = ?", [number]) if number else (None, [])
    rows = list(db["documents"].rows_where(where, args, order_by="loaded_at desc, id desc"))
    if not rows:
        raise KnowledgeError(f"no document numbered {number}: see `ctbot documents`")
    return _read_document(db, rows[0])


def find_document(db: Database, number: str) -> dict[str, Any] | None:
    """The stored document numbered ``number`` ("45/KH-UBND", or just "45"), if one matches.

    Raises:
        KnowledgeError: Several documents match; give the full number.

    """
    rows = documents(db)
    exact = [r for r in rows if fold(r["number"]) == fold(number)]
    loose = [r for r in rows if re.match(rf"0*{re.escape(number.lstrip('0'))}\b", r["number"])]
    matches = exact or loose
    if len(matches) > 1:
        raise KnowledgeError(
            f"several documents are numbered {number}: "
            + ", ".join(f"{r['number']} ({r['issuer']})" for r in matches)
        )
    return matches[0] if matches else None


def remove_document(db: Database, number: str) -> tuple[dict[str, Any], int]:
    """Remove a document and its records; its progress reports stay in the log.

    The reports on its tasks and targets are kept (the log is append-only) but
    no view shows them, since views list a document's tasks; loading the
    document again shows them again.

    Args:
        db: The database.
        number: The document's number (see :func:`find_document`).

    Returns:
        The removed document's row and how many reports concern it.

    Raises:
        KnowledgeError: No document or several match ``number``.

    """
    from knowledge.progress.log import write_lock

    doc = find_document(db, number)
    if doc is None:
        raise KnowledgeError(f"no document numbered {number}: see `ctbot documents`")
    from knowledge.progress.keys import identity_key, scoped

    prefix = scoped(identity_key(doc["issuer"], doc["number"], doc["date"]), "")
    reports = 0
    if "reports" in db.table_names():
        sql = "SELECT count(*) FROM reports WHERE substr(target_key, 1, ?) = ?"
        reports = int(db.execute(sql, [len(prefix), prefix]).fetchone()[0])
    with write_lock(db):
        _delete_records(db, doc["id"])
        db.execute("DELETE FROM documents WHERE id = ?", [doc["id"]])
    return doc, reports


def fts_keys(
    db: Database, table: str, words: Iterable[str], *, document_id: int | None = None
) -> set[str]:
    """Keys of rows of ``table`` whose folded text contains any of ``words`` (FTS5).

    Every word is quoted, so user text can never break the MATCH syntax
    ("tỷ lệ: 95%", "AND", "NEAR(").

    Args:
        db: The database.
        table: One of ``indicators``, ``tasks``, ``responsibilities``, ``passages``.
        words: Folded query syllables.
        document_id: Only rows of this document (default: every document).

    Returns:
        Each row's key within its document (task code, indicator id ...) as a string.

    """
    quoted = ['"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words) if w.strip()]
    if not quoted:
        return set()
    key = db.table(table).pks[-1]
    sql = (
        f"SELECT [{table}].[{key}] FROM [{table}] JOIN [{table}_fts] "
        f"ON [{table}].rowid = [{table}_fts].rowid WHERE [{table}_fts] MATCH ?"
    )
    args: list[object] = [" OR ".join(quoted)]
    if document_id is not None:
        sql += f" AND [{table}].document_id = ?"
        args.append(document_id)
    return {str(row[0]) for row in db.execute(sql, args).fetchall()}


def stats(db: Database) -> dict[str, int]:
    """Counts of the records of every document together.

    Args:
        db: The database.

    Returns:
        ``{"indicators": n, "tasks": n, "responsibilities": n, "passages": n, "agencies": n}``.

    """
    return {table: db[table].count for table in PROGRAMME_TABLES}


def document_stats(db: Database) -> list[dict[str, object]]:
    """Each document's identity and record counts, in the order they were added.

    Args:
        db: The database.

    Returns:
        ``[{"number", "issuer", "date", "title", "indicators", "tasks",
        "responsibilities", "passages"}, ...]``.

    """
    out: list[dict[str, object]] = []
    for doc in documents(db):
        row: dict[str, object] = {k: doc[k] for k in ("number", "issuer", "date", "title")}
        for table in ("indicators", "tasks", "responsibilities", "passages"):
            row[table] = db[table].count_where("document_id = ?", [doc["id"]])
        out.append(row)
    return out
