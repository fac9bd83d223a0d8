"""The ``ctbot`` command line: load, stats, documents, ask, chat and run (the Telegram bot).

Every command takes ``--db`` (default ``$CTBOT_DB`` or ``./ctbot.sqlite3``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from knowledge.engine import Answer, Engine
from knowledge.errors import KnowledgeError
from knowledge.programme.store import (
    database_path,
    document_stats,
    documents,
    find_document,
    load_programme,
    open_database,
    remove_document,
    stats,
)
from knowledge.progress.log import ProgressStore
from knowledge.qa.conversation import ConversationMemory

if TYPE_CHECKING:
    from knowledge.progress.reporting import Reporting

__all__ = ["COMMANDS", "build_parser", "main"]

# Every subcommand with its one-line help; README documents each (a test checks).
COMMANDS = {
    "load": "add documents (.txt, .docx, .pdf), replacing one with the same identity",
    "stats": "print counts of indicators, tasks, responsibilities, passages, agencies",
    "documents": "list the loaded documents, or remove one (its reports stay in the log)",
    "ask": "answer a question, or one question per line from stdin with '-'",
    "chat": "interactive console over the same engine",
    "run": "run the Telegram bot (long polling, or --webhook); needs TELEGRAM_BOT_TOKEN",
    "doctor": "check token, database, time zone, chart fonts, OCR (and --webhook settings)",
    "users": "list, add or remove members who may report progress",
    "export": "export tasks with status and the full report history (csv or xlsx)",
    "backup": "copy the database safely while the bot runs (SQLite online backup)",
    "digest": "print the daily digest as it would be sent, or list subscriptions",
}


_Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used by the documentation test)."""
    parser = argparse.ArgumentParser(
        prog="ctbot",
        description="ctbot: hỏi đáp và theo dõi tiến độ các chương trình, kế hoạch của tỉnh.",
    )
    parser.add_argument("--db", help="SQLite database (default: $CTBOT_DB or ./ctbot.sqlite3)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_document_parsers(sub)
    _add_question_parsers(sub)
    _add_users_parsers(sub)
    _add_report_parsers(sub)
    return parser


def _command(sub: _Sub, name: str) -> argparse.ArgumentParser:
    """A subcommand with its help from :data:`COMMANDS` and a ``--db`` after it too."""
    command: argparse.ArgumentParser = sub.add_parser(name, help=COMMANDS[name])
    command.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)
    return command


def _add_document_parsers(sub: _Sub) -> None:
    load = _command(sub, "load")
    load.add_argument(
        "path", nargs="*", help="programme or plan files: .txt (UTF-8), .docx, .pdf, scans"
    )
    docs = _command(sub, "documents")
    docs.add_argument("--json", action="store_true", help="print a JSON array")
    docs_sub = docs.add_subparsers(dest="documents_command", metavar="ACTION")
    docs_remove = docs_sub.add_parser("remove", help="remove a document by its number")
    docs_remove.add_argument("number", help='e.g. "45/KH-UBND" or "45"')
    _command(sub, "stats").add_argument("--json", action="store_true", help="print JSON")
    _command(sub, "backup").add_argument("file", help="backup file to write")


def _add_question_parsers(sub: _Sub) -> None:
    ask = _command(sub, "ask")
    ask.add_argument("question", nargs="+", help="the question, or '-' to read stdin")
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines for '-')")
    _command(sub, "chat")
    run = _command(sub, "run")
    run.add_argument("--webhook", action="store_true", help="serve a webhook (CTBOT_WEBHOOK_*)")
    doctor = _command(sub, "doctor")
    doctor.add_argument("--webhook", action="store_true", help="check CTBOT_WEBHOOK_* too")


def _add_users_parsers(sub: _Sub) -> None:
    users = _command(sub, "users")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    users_sub.add_parser("list", help="list members")
    add = users_sub.add_parser("add", help="add a member or change their role")
    add.add_argument("user_id", type=int, help="Telegram numeric user id")
    add.add_argument("--role", choices=["admin", "reporter"], required=True)
    add.add_argument("--agency", action="append", default=[], help="agency (repeatable)")
    add.add_argument("--indicator", action="append", default=[], help="target words (repeatable)")
    add.add_argument("--name", default="", help="display name")
    remove = users_sub.add_parser("remove", help="remove a member")
    remove.add_argument("user_id", type=int)
    _add_invite_parsers(users_sub)


def _add_report_parsers(sub: _Sub) -> None:
    export = _command(sub, "export")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--out", help="output file (default: stdout for csv, ctbot-export.xlsx)")
    export.add_argument("--from", dest="start", help="report of a range: first day (YYYY-MM-DD)")
    export.add_argument("--to", dest="end", help="report of a range: last day (YYYY-MM-DD)")
    digest = _command(sub, "digest")
    what = digest.add_mutually_exclusive_group(required=True)
    what.add_argument("--print", action="store_true", help="print the digest")
    what.add_argument("--list", action="store_true", help="list subscriptions")
    digest.add_argument("--chat", type=int, help="the chat whose settings apply")
    digest.add_argument("--at", help='local time, e.g. "2026-12-01 07:30" (default: now)')


def _add_invite_parsers(users_sub: _Sub) -> None:
    invite = users_sub.add_parser("invite", help="print a one-time invite link (7 days)")
    invite.add_argument("--agency", default="", help="the body the person reports for")
    invite.add_argument("--role", choices=["admin", "reporter"], default="reporter")
    invite.add_argument(
        "--bot-username", help="the bot's @username (default: as recorded at the last start)"
    )
    invites = users_sub.add_parser("invites", help="list invite links that work, or revoke one")
    invites.add_argument("--revoke", metavar="CODE", help="revoke the link with this code")
    invites.add_argument("--all", action="store_true", help="also used, expired, revoked")


def _print_answer(answer: Answer, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
    else:
        out.write(answer.text + "\n")
    out.flush()


def _read_files(paths: list[str]) -> list[tuple[str, str]]:
    """(source, text) for each path, or the bundled programme when none is given."""
    from knowledge.programme.sources import read_source
    from knowledge.programme.store import bundled_text

    if not paths:
        return [("bundled", bundled_text())]
    return [(path, read_source(path)) for path in paths]


def _cmd_load(args: argparse.Namespace, db_path: Path) -> int:
    from knowledge.progress.log import write_lock

    try:
        texts = _read_files(args.path)
    except KnowledgeError as exc:
        print(f"ctbot load: {exc}", file=sys.stderr)
        print("ctbot load: the database was not changed.", file=sys.stderr)
        return 2
    db = open_database(db_path)
    seen = {(d["issuer"], d["number"], d["date"]) for d in documents(db)}
    loaded = []
    try:
        with write_lock(db):  # every file or none
            for source, text in texts:
                doc = load_programme(db, text, source=source)
                identity = (doc.issuer, doc.number, doc.issued)
                loaded.append((source, doc, "replaced" if identity in seen else "added"))
                seen.add(identity)
    except KnowledgeError as exc:
        print(f"ctbot load: {texts[len(loaded)][0]}: {exc}", file=sys.stderr)
        print("ctbot load: the database was not changed.", file=sys.stderr)
        return 1
    counts = {d["number"]: d for d in document_stats(db)}
    for source, doc, how in loaded:
        row = counts.get(doc.number, {})
        numbers = ", ".join(f"{row.get(t, 0)} {t}" for t in _COUNTED)
        print(f"{how} {doc.title} ({doc.issuer}) from {source}: {numbers}")
    print(f"{len(counts)} document(s) in {db_path}")
    return 0


_COUNTED = ("indicators", "tasks", "responsibilities", "passages")


def _cmd_stats(args: argparse.Namespace, db_path: Path) -> int:
    db = open_database(db_path)
    counts = stats(db)
    if args.json:
        print(json.dumps({**counts, "documents": document_stats(db)}, ensure_ascii=False))
    else:
        for name, n in counts.items():
            print(f"{name:17} {n}")
        print(f"{'documents':17} {len(document_stats(db))}")
    return 0


def _cmd_documents(args: argparse.Namespace, db_path: Path) -> int:
    db = open_database(db_path)
    if args.documents_command == "remove":
        return _remove_document(db, args.number)
    rows = document_stats(db)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        numbers = ", ".join(f"{row[t]} {t}" for t in _COUNTED)
        print(f"{row['number']:12} {row['issuer']}, {row['date']} — {row['title']}: {numbers}")
    return 0


def _remove_document(db: Any, number: str) -> int:
    if len(documents(db)) == 1 and find_document(db, number) is not None:
        print(
            f"ctbot documents remove: {number} is the only document; load another first",
            file=sys.stderr,
        )
        return 1
    doc, reports = remove_document(db, number)
    print(
        f"removed {doc['number']} ({doc['issuer']}, {doc['date']}). "
        f"Its {reports} progress report(s) stay in the report log, hidden from every view "
        "(status, digests, exports); loading the document again shows them again."
    )
    return 0


def _console(answer: Answer) -> Answer:
    """A "which document?" answer lists the documents (a console has no buttons)."""
    from knowledge.qa.library import LibraryAnswer

    if isinstance(answer, LibraryAnswer) and answer.choices:
        lines = [f"  - {c.label}" for c in answer.choices]
        hint = "Hỏi lại và nêu văn bản, ví dụ: “nhiệm vụ II.3 theo KH 45”."
        answer.text = "\n".join([answer.text, *lines, hint])
    return answer


def _cmd_ask(args: argparse.Namespace, db_path: Path) -> int:
    from datetime import datetime

    from bot.settings import Settings
    from knowledge.qa.library import Library
    from knowledge.qa.progress_view import StoreProgress

    db = open_database(db_path)
    settings = Settings.from_env(require_token=False)
    today = lambda: datetime.now(settings.timezone).date()  # noqa: E731 (as the bot's clock)
    # As the bot builds it: progress questions read the report log.
    lib = Library.from_database(
        db, progress=StoreProgress(ProgressStore(db, settings.admin_ids), today)
    )
    if args.question == ["-"]:
        for line in sys.stdin:
            _print_answer(_console(lib.ask(line.rstrip("\n"))), args.json, sys.stdout)
        return 0
    _print_answer(_console(lib.ask(" ".join(args.question))), args.json, sys.stdout)
    return 0


def _cmd_chat(args: argparse.Namespace, db_path: Path) -> int:
    from knowledge.qa.library import Library

    lib = Library.from_database(open_database(db_path))
    memory = ConversationMemory()  # one console chat: follow-ups use its last subject
    interactive = sys.stdin.isatty()
    if interactive:
        titles = "; ".join(d.engine.programme.title for d in lib.documents)
        print(f"ctbot — hỏi đáp {titles}. Gõ câu hỏi, Ctrl-D để thoát.")
    while True:
        try:
            line = input("❓ " if interactive else "")
        except EOFError:
            break
        except KeyboardInterrupt:
            print()
            break
        if not line.strip():
            continue
        answer = _console(lib.ask(line, context=memory.get(0)))
        memory.remember(0, answer.context)
        print(answer.text)
        if interactive:
            print()
        sys.stdout.flush()
    return 0


def _services(db_path: Path) -> tuple[Engine, ProgressStore]:
    from bot.settings import Settings

    db = open_database(db_path)
    settings = Settings.from_env(require_token=False)
    return Engine.from_database(db), ProgressStore(db, settings.admin_ids)


def _reporting(store: ProgressStore) -> Reporting:
    """The write path over every stored document, as the bot builds it (no chat pins here)."""
    from knowledge.progress.reporting import Reporting, shelves
    from knowledge.qa.library import Library

    books = Library.from_database(store.db)
    return Reporting(books.primary, store, shelves(books))


def _cmd_users(args: argparse.Namespace, db_path: Path) -> int:
    engine, store = _services(db_path)
    if args.users_command == "list":
        for m in store.members():
            where = ", ".join(m.agencies) or ("(mọi nhiệm vụ)" if m.role == "admin" else "-")
            origin = " [CTBOT_ADMIN_IDS]" if m.from_env else ""
            print(f"{m.user_id}\t{m.role}{origin}\t{m.name}\t{where}")
        return 0
    if args.users_command == "remove":
        if not store.remove_user(args.user_id):
            print(f"ctbot users: {args.user_id} is not a member", file=sys.stderr)
            return 1
        print(f"removed {args.user_id}")
        return 0
    if args.users_command in ("invite", "invites"):
        return _cmd_invites(args, engine, store)
    agencies = []
    for name in args.agency:
        found = engine.resolve_agency(name)
        if found is None:
            known = "; ".join(engine.agency_names)
            print(f"ctbot users: unknown agency {name!r}; known: {known}", file=sys.stderr)
            return 2
        agencies.append(found)
    member = store.add_user(args.user_id, args.role, agencies, name=args.name)
    for words in args.indicator:
        hits = engine.suggest(words, limit=1, kinds={"indicator"})
        if not hits:
            print(f"ctbot users: no target matches {words!r}", file=sys.stderr)
            return 2
        from knowledge.progress.keys import document_key, indicator_key

        target = indicator_key(engine.indicators[hits[0].id], document_key(engine.programme))
        store.assign_indicator(args.user_id, target)
        print(f"assigned target: {hits[0].title}")
    print(f"{member.user_id}\t{member.role}\t{', '.join(member.agencies)}")
    return 0


def _cmd_invites(args: argparse.Namespace, engine: Engine, store: ProgressStore) -> int:
    from datetime import UTC, datetime

    from telegram.helpers import create_deep_linked_url

    from knowledge.progress.invites import InviteStore
    from knowledge.progress.office import BOT_USERNAME, OfficeSettings

    invites, now = InviteStore(store.db), datetime.now(UTC)
    if args.users_command == "invites":
        if args.revoke:
            if not invites.revoke(args.revoke, now):
                print(f"ctbot users: no working invite {args.revoke!r}", file=sys.stderr)
                return 1
            print(f"revoked {args.revoke}")
            return 0
        for i in invites.all(now, active_only=not args.all):
            print(f"{i.code}\t{i.state(now)}\t{i.role}\t{i.agency or '-'}\tuntil {i.expires_at}")
        return 0
    username = args.bot_username or OfficeSettings(store.db).get(BOT_USERNAME)
    if not username:
        print("ctbot users: give --bot-username (the bot has not run yet)", file=sys.stderr)
        return 2
    agency = engine.resolve_agency(args.agency) if args.agency else None
    if (args.agency and agency is None) or (args.role == "reporter" and agency is None):
        print(
            f"ctbot users: a reporter invite needs a known --agency; got {args.agency!r}",
            file=sys.stderr,
        )
        return 2
    payload, invite = invites.create(agency or "", args.role, created_by=0, now=now)
    print(create_deep_linked_url(str(username).lstrip("@"), payload))
    print(f"code {invite.code}, {invite.role} {invite.agency or ''}, until {invite.expires_at}")
    return 0


def _cmd_export(args: argparse.Namespace, db_path: Path) -> int:
    from datetime import datetime

    from bot.settings import Settings
    from knowledge.progress.export import export_csv, export_xlsx
    from knowledge.progress.reporting import shelves
    from knowledge.qa.library import Library

    engine, store = _services(db_path)
    books = shelves(Library.from_database(store.db))  # every document, named when several
    tz = Settings.from_env(require_token=False).timezone
    today = datetime.now(tz).date()
    if args.start or args.end:
        return _export_range(args, store, tz)
    if args.format == "csv":
        text = export_csv(engine, store, today, books)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    out = Path(args.out or "ctbot-export.xlsx")
    export_xlsx(engine, store, today, out, books)
    print(f"wrote {out}")
    return 0


def _export_range(args: argparse.Namespace, store: ProgressStore, tz: tzinfo) -> int:
    import csv
    import io
    from datetime import datetime

    from knowledge.progress.deadlines import parse_day
    from knowledge.progress.period_report import COLUMNS, build_report, report_xlsx
    from knowledge.progress.periods import RANGE, Period

    start, end = parse_day(args.start or ""), parse_day(args.end or "")
    if start is None or end is None or end < start:
        print("ctbot export: give --from and --to as YYYY-MM-DD, --from first", file=sys.stderr)
        return 2
    today = datetime.now(tz).date()
    report = build_report(_reporting(store), Period(RANGE, start, end), today, tz)
    if args.format == "xlsx":
        out = Path(args.out or f"ctbot-report-{start}-{end}.xlsx")
        out.write_bytes(report_xlsx(report))
        print(f"wrote {out}: {report.count} tasks")
        return 0
    text = io.StringIO()
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for title, rows in report.parts:
        writer.writerow([title])
        writer.writerows(r.cells() for r in rows)
    if args.out:
        Path(args.out).write_text(text.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(text.getvalue())
    return 0


def _cmd_digest(args: argparse.Namespace, db_path: Path) -> int:
    from datetime import datetime

    from bot.settings import Settings
    from knowledge.digest.daily import SubscriptionStore, build_digest

    _, store = _services(db_path)
    subs = SubscriptionStore(store.db)
    tz = Settings.from_env(require_token=False).timezone
    if args.list:
        for sub in subs.all():
            quiet = " (im lặng khi không có thay đổi)" if sub.quiet else ""
            pause = subs.chats.pause_of(sub.chat_id) if sub.paused else None
            paused = f"\tPAUSED since {pause.at}: {pause.reason}" if pause else ""
            print(f"{sub.chat_id}\t{sub.describe()}{quiet}{paused}")
        return 0
    try:
        now = datetime.fromisoformat(args.at).replace(tzinfo=tz) if args.at else datetime.now(tz)
    except ValueError:
        print(f'ctbot digest: --at {args.at!r}: use "YYYY-MM-DD HH:MM"', file=sys.stderr)
        return 2
    text, changed = build_digest(_reporting(store), now)
    chosen = subs.get(args.chat) if args.chat is not None else None
    if chosen is not None and chosen.quiet and not changed:
        print("(nothing changed: this chat's digest stays silent)")
        return 0
    print(text)
    return 0


def _cmd_backup(args: argparse.Namespace, db_path: Path) -> int:
    import sqlite3

    source = open_database(db_path)
    target = sqlite3.connect(args.file)
    with target:
        source.conn.backup(target)
    target.close()
    print(f"backed up {db_path} to {args.file}")
    return 0


def _cmd_run(args: argparse.Namespace, db_path: Path) -> int:
    import dataclasses

    from bot.runner import run
    from bot.settings import Settings, SettingsError
    from bot.webhook import WebhookSettings

    try:
        settings = Settings.from_env()
        webhook = WebhookSettings.from_env() if args.webhook else None
    except SettingsError as exc:
        print(f"ctbot run: {exc}", file=sys.stderr)
        return 2
    return run(dataclasses.replace(settings, db_path=db_path), webhook)


def _cmd_doctor(args: argparse.Namespace, db_path: Path) -> int:
    import logging
    import os

    from bot.doctor import doctor
    from bot.logs import setup_logging

    setup_logging(os.environ.get("TELEGRAM_BOT_TOKEN", "").strip(), logging.WARNING)
    return doctor(db_path, webhook=args.webhook)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns:
        The process exit code.

    """
    parser = build_parser()
    args = parser.parse_args(argv)
    db_path = database_path(getattr(args, "sub_db", None) or args.db)
    handlers = {
        "load": _cmd_load,
        "stats": _cmd_stats,
        "documents": _cmd_documents,
        "ask": _cmd_ask,
        "chat": _cmd_chat,
        "run": _cmd_run,
        "doctor": _cmd_doctor,
        "users": _cmd_users,
        "export": _cmd_export,
        "backup": _cmd_backup,
        "digest": _cmd_digest,
    }
    try:
        return handlers[args.command](args, db_path)
    except KnowledgeError as exc:
        print(f"ctbot {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
