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
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlite_utils import Database

from knowledge.errors import KnowledgeError
from knowledge.lexicon import expand
from knowledge.migrations import migrations
from knowledge.model import (
    Agency,
    Indicator,
    Passage,
    Programme,
    Responsibility,
    Section,
    Task,
)
from knowledge.parser import parse_programme
from knowledge.text import fold

__all__ = [
    "BUNDLED_PROGRAMME",
    "DEFAULT_DB",
    "PROGRAMME_TABLES",
    "bundled_text",
    "database_path",
    "fts_keys",
    "load_programme",
    "migrations",
    "open_database",
    "read_programme",
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
    if not db["tasks"].count:
        load_programme(db, bundled_text(), source=BUNDLED_PROGRAMME)
    return db


def _search(*parts: str) -> str:
    return expand(fold(" ".join(p for p in parts if p)), agency=False)


def _rows(programme: Programme) -> dict[str, list[dict[str, object]]]:
    from knowledge.agencies import agency_key, split_names

    keys = {agency_key(a.name): a.name for a in programme.agencies}
    for a in programme.agencies:
        for alias in a.aliases:
            keys.setdefault(agency_key(alias), a.name)
    links: list[dict[str, object]] = []
    for t in programme.tasks:
        for role, cell in (
            ("lead", t.lead),
            ("approval", t.approval),
            ("issuer", t.issuer),
            ("coordinating", t.coordinating),
        ):
            for name in split_names(cell):
                agency = keys.get(agency_key(name))
                if agency:
                    links.append({"agency": agency, "task_code": t.code, "role": role})
    unique_links = list({(r["agency"], r["task_code"], r["role"]): r for r in links}.values())
    return {
        "indicators": [
            {
                **{k: getattr(i, k) for k in Indicator.__dataclass_fields__},
                "search": _search(i.name, i.subject, i.unit, i.sentence, i.area),
            }
            for i in programme.indicators
        ],
        "tasks": [
            {
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
                "extra": json.dumps(t.extra, ensure_ascii=False),
                "search": _search(t.content, t.group),
            }
            for t in programme.tasks
        ],
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
        "agency_tasks": unique_links,
    }


def load_programme(db: Database, text: str, *, source: str = "") -> Programme:
    """Parse ``text`` and replace the programme in ``db`` with it, in one transaction.

    The text is parsed before anything is written, so a file that is not a
    programme leaves the database untouched. Tables added by later features
    (progress reports, subscriptions) are not touched: tasks keep their codes.

    Args:
        db: A migrated database.
        text: The programme text.
        source: Where the text came from, recorded in ``meta``.

    Returns:
        The parsed programme.

    Raises:
        ProgrammeFormatError: The text is not a programme of this genre.

    """
    programme = parse_programme(text)
    rows = _rows(programme)
    with db.atomic():
        for table in (*_DERIVED_TABLES, *PROGRAMME_TABLES):
            db.execute(f"DELETE FROM [{table}]")
        for table, table_rows in rows.items():
            if table_rows:
                db.table(table).insert_all(table_rows)
        db.table("meta").upsert_all(
            [
                {"key": "title", "value": programme.title},
                {"key": "subtitle", "value": programme.subtitle},
                {"key": "issued", "value": programme.issued},
                {"key": "signer", "value": programme.signer},
                {"key": "signer_title", "value": programme.signer_title},
                {"key": "source", "value": source},
                {"key": "sha256", "value": hashlib.sha256(text.encode()).hexdigest()},
                {"key": "loaded_at", "value": datetime.now(UTC).isoformat(timespec="seconds")},
            ],
            pk="key",
        )
    return programme


def _loads(value: object) -> list[str]:
    return list(json.loads(value)) if isinstance(value, str) and value else []


def read_programme(db: Database) -> Programme:
    """Read the stored programme back into records.

    Args:
        db: A database filled by :func:`load_programme`.

    Returns:
        The programme as stored.

    Raises:
        KnowledgeError: The database holds no programme; run ``ctbot load``.

    """
    if "tasks" not in db.table_names() or not db["tasks"].count:
        raise KnowledgeError("the database holds no programme: run `ctbot load` first")
    meta = {r["key"]: r["value"] for r in db["meta"].rows}
    fields = [f for f in Indicator.__dataclass_fields__]
    indicators = [
        Indicator(**{k: r[k] for k in fields}) for r in db["indicators"].rows_where(order_by="id")
    ]
    tasks = [
        Task(
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
        )
        for r in db["tasks"].rows_where(order_by="position")
    ]
    responsibilities = [
        Responsibility(r["number"], r["subject"], tuple(_loads(r["bodies"])), r["text"], r["ref"])
        for r in db["responsibilities"].rows_where(order_by="position")
    ]
    passages = [
        Passage(r["id"], r["path"], r["ref"], r["heading"], r["text"])
        for r in db["passages"].rows_where(order_by="id")
    ]
    agencies = [
        Agency(r["name"], tuple(_loads(r["aliases"])))
        for r in db["agencies"].rows_where(order_by="name")
    ]
    sections = [
        Section(r["ref"], r["path"], r["title"])
        for r in db["sections"].rows_where(order_by="position")
    ]
    return Programme(
        title=meta.get("title", ""),
        subtitle=meta.get("subtitle", ""),
        indicators=indicators,
        tasks=tasks,
        responsibilities=responsibilities,
        passages=passages,
        agencies=agencies,
        sections=sections,
        issued=meta.get("issued", ""),
        signer=meta.get("signer", ""),
        signer_title=meta.get("signer_title", ""),
    )


def fts_keys(db: Database, table: str, words: Iterable[str]) -> set[str]:
    """Keys of rows of ``table`` whose folded text contains any of ``words`` (FTS5).

    Every word is quoted, so user text can never break the MATCH syntax
    ("tỷ lệ: 95%", "AND", "NEAR(").

    Args:
        db: The database.
        table: One of ``indicators``, ``tasks``, ``responsibilities``, ``passages``.
        words: Folded query syllables.

    Returns:
        Primary keys as strings.

    """
    quoted = ['"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words) if w.strip()]
    if not quoted:
        return set()
    pk = db.table(table).pks[0]
    sql = (
        f"SELECT [{table}].[{pk}] FROM [{table}] JOIN [{table}_fts] "
        f"ON [{table}].rowid = [{table}_fts].rowid WHERE [{table}_fts] MATCH ?"
    )
    return {str(row[0]) for row in db.execute(sql, [" OR ".join(quoted)]).fetchall()}


def stats(db: Database) -> dict[str, int]:
    """Counts of the programme's records.

    Args:
        db: The database.

    Returns:
        ``{"indicators": n, "tasks": n, "responsibilities": n, "passages": n, "agencies": n}``.

    """
    return {table: db[table].count for table in PROGRAMME_TABLES}
