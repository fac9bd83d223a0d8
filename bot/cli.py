"""The ``ctbot`` command line: load, stats, ask, chat and run (the Telegram bot).

Every command takes ``--db`` (default ``$CTBOT_DB`` or ``./ctbot.sqlite3``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from knowledge.engine import Answer, Engine
from knowledge.errors import KnowledgeError
from knowledge.progress import ProgressStore
from knowledge.qa.conversation import ConversationMemory
from knowledge.store import database_path, load_programme, open_database, stats

__all__ = ["COMMANDS", "build_parser", "main"]

# Every subcommand with its one-line help; README documents each (a test checks).
COMMANDS = {
    "load": "(re)build the database from a programme text (default: the bundled one)",
    "stats": "print counts of indicators, tasks, responsibilities, passages, agencies",
    "ask": "answer a question, or one question per line from stdin with '-'",
    "chat": "interactive console over the same engine",
    "run": "run the Telegram bot (long polling); needs TELEGRAM_BOT_TOKEN",
    "users": "list, add or remove members who may report progress",
    "export": "export tasks with status and the full report history (csv or xlsx)",
    "backup": "copy the database safely while the bot runs (SQLite online backup)",
    "digest": "print the daily digest as it would be sent, or list subscriptions",
}


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used by the documentation test)."""
    parser = argparse.ArgumentParser(
        prog="ctbot",
        description="Hỏi đáp Chương trình hành động 08-CTr/TU — ctbot command line.",
    )
    parser.add_argument("--db", help="SQLite database (default: $CTBOT_DB or ./ctbot.sqlite3)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    load = sub.add_parser("load", help=COMMANDS["load"])
    load.add_argument("path", nargs="?", help="programme text file (UTF-8)")
    load.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)

    st = sub.add_parser("stats", help=COMMANDS["stats"])
    st.add_argument("--json", action="store_true", help="print a JSON object")
    st.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)

    ask = sub.add_parser("ask", help=COMMANDS["ask"])
    ask.add_argument("question", nargs="+", help="the question, or '-' to read stdin")
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines for '-')")
    ask.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)

    chat = sub.add_parser("chat", help=COMMANDS["chat"])
    chat.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)

    run = sub.add_parser("run", help=COMMANDS["run"])
    run.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)

    users = sub.add_parser("users", help=COMMANDS["users"])
    users.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)
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

    export = sub.add_parser("export", help=COMMANDS["export"])
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--out", help="output file (default: stdout for csv, ctbot-export.xlsx)")
    export.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)

    digest = sub.add_parser("digest", help=COMMANDS["digest"])
    what = digest.add_mutually_exclusive_group(required=True)
    what.add_argument("--print", action="store_true", help="print the digest")
    what.add_argument("--list", action="store_true", help="list subscriptions")
    digest.add_argument("--chat", type=int, help="the chat whose settings apply")
    digest.add_argument("--at", help='local time, e.g. "2026-12-01 07:30" (default: now)')
    digest.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)

    backup = sub.add_parser("backup", help=COMMANDS["backup"])
    backup.add_argument("file", help="backup file to write")
    backup.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)
    return parser


def _print_answer(answer: Answer, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
    else:
        out.write(answer.text + "\n")
    out.flush()


def _cmd_load(args: argparse.Namespace, db_path: Path) -> int:
    if args.path:
        try:
            text = Path(args.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"ctbot load: cannot read {args.path}: {exc}", file=sys.stderr)
            return 2
    else:
        from knowledge.store import bundled_text

        text = bundled_text()
    db = open_database(db_path)
    try:
        programme = load_programme(db, text, source=args.path or "bundled")
    except KnowledgeError as exc:
        print(f"ctbot load: {args.path or 'bundled programme'}: {exc}", file=sys.stderr)
        print("ctbot load: the database was not changed.", file=sys.stderr)
        return 1
    counts = stats(db)
    print(
        f"Loaded {programme.title}: "
        + ", ".join(f"{n} {name}" for name, n in counts.items())
        + f" into {db_path}"
    )
    return 0


def _cmd_stats(args: argparse.Namespace, db_path: Path) -> int:
    counts = stats(open_database(db_path))
    if args.json:
        print(json.dumps(counts))
    else:
        for name, n in counts.items():
            print(f"{name:17} {n}")
    return 0


def _cmd_ask(args: argparse.Namespace, db_path: Path) -> int:
    engine = Engine.from_database(open_database(db_path))
    if args.question == ["-"]:
        for line in sys.stdin:
            _print_answer(engine.ask(line.rstrip("\n")), args.json, sys.stdout)
        return 0
    _print_answer(engine.ask(" ".join(args.question)), args.json, sys.stdout)
    return 0


def _cmd_chat(args: argparse.Namespace, db_path: Path) -> int:
    engine = Engine.from_database(open_database(db_path))
    memory = ConversationMemory()  # one console chat: follow-ups use its last subject
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"ctbot — hỏi đáp {engine.programme.title}. Gõ câu hỏi, Ctrl-D để thoát.")
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
        answer = engine.ask(line, context=memory.get(0))
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
        from knowledge.progress import indicator_key

        store.assign_indicator(args.user_id, indicator_key(engine.indicators[hits[0].id]))
        print(f"assigned target: {hits[0].title}")
    print(f"{member.user_id}\t{member.role}\t{', '.join(member.agencies)}")
    return 0


def _cmd_export(args: argparse.Namespace, db_path: Path) -> int:
    from datetime import datetime

    from bot.settings import Settings
    from knowledge.export import export_csv, export_xlsx

    engine, store = _services(db_path)
    today = datetime.now(Settings.from_env(require_token=False).timezone).date()
    if args.format == "csv":
        text = export_csv(engine, store, today)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    out = Path(args.out or "ctbot-export.xlsx")
    export_xlsx(engine, store, today, out)
    print(f"wrote {out}")
    return 0


def _cmd_digest(args: argparse.Namespace, db_path: Path) -> int:
    from datetime import datetime

    from bot.settings import Settings
    from knowledge.digest import SubscriptionStore, build_digest
    from knowledge.reporting import Reporting

    engine, store = _services(db_path)
    subs = SubscriptionStore(store.db)
    tz = Settings.from_env(require_token=False).timezone
    if args.list:
        for sub in subs.all():
            quiet = " (im lặng khi không có thay đổi)" if sub.quiet else ""
            print(f"{sub.chat_id}\t{sub.describe()}{quiet}")
        return 0
    try:
        now = datetime.fromisoformat(args.at).replace(tzinfo=tz) if args.at else datetime.now(tz)
    except ValueError:
        print(f'ctbot digest: --at {args.at!r}: use "YYYY-MM-DD HH:MM"', file=sys.stderr)
        return 2
    text, changed = build_digest(Reporting(engine, store), now)
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

    from bot.app import ALLOWED_UPDATES, build_application
    from bot.logs import setup_logging
    from bot.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"ctbot run: {exc}", file=sys.stderr)
        return 2
    settings = dataclasses.replace(settings, db_path=db_path)
    setup_logging(settings.token)
    open_database(db_path).close()  # create and load before going online
    application = build_application(settings)
    application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


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
        "ask": _cmd_ask,
        "chat": _cmd_chat,
        "run": _cmd_run,
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
