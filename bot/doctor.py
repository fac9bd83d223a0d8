"""``ctbot doctor``: is this machine ready to run the bot? One line per check.

✓ passed, ✗ failed (a required check: the exit code is 1), ⚠ an optional part is missing,
– skipped. Nothing is changed: the database is opened read-write without being created or
migrated, and the write probe is rolled back. The token and the webhook secret are never shown.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlite_utils import Database
from telegram import Bot, WebhookInfo
from telegram.error import TelegramError

from bot.logs import Redactor
from bot.runner import explain
from bot.settings import Settings, SettingsError
from bot.webhook import WebhookSettings
from knowledge.migrations import migrations

__all__ = ["Check", "describe_webhook_info", "doctor", "run_checks", "vietnamese_letters"]

State = Literal["ok", "fail", "warn", "skip"]
MARKS: dict[State, str] = {"ok": "✓", "fail": "✗", "warn": "⚠", "skip": "–"}
CHART_FAMILY = "DejaVu Sans"  # what knowledge/digest/chart.py draws with
OCR_LANGUAGE = "vie"


@dataclass(frozen=True)
class Check:
    """The outcome of one check.

    >>> Check("time zone", "ok", "Asia/Ho_Chi_Minh").line()
    '✓ time zone: Asia/Ho_Chi_Minh'
    """

    name: str
    state: State
    detail: str

    @property
    def failed(self) -> bool:
        """Whether a required check failed."""
        return self.state == "fail"

    def line(self) -> str:
        """``✓ name: detail``."""
        return f"{MARKS[self.state]} {self.name}: {self.detail}"


def vietnamese_letters() -> str:
    """Every precomposed Vietnamese letter (both cases), as text in NFC.

    >>> letters = vietnamese_letters()
    >>> len(letters), "ệ" in letters, "Đ" in letters
    (146, True, True)
    """
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    vowels = "aăâeêioôơuưy"
    small = "".join(unicodedata.normalize("NFC", v + t) for v in vowels for t in tones) + "đ"
    return small + small.upper()


def check_settings(env: Mapping[str, str]) -> Check:
    """The variables ``ctbot run`` reads are well-formed (the time zone has its own line)."""
    rest = {k: v for k, v in env.items() if k != "CTBOT_TIMEZONE"}
    try:
        Settings.from_env(rest, require_token=False)
    except SettingsError as exc:
        return Check("settings", "fail", str(exc))
    return Check("settings", "ok", "the environment variables are well-formed")


def _bot_settings(env: Mapping[str, str]) -> Settings:
    return Settings(
        token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
        base_url=env.get("TELEGRAM_BASE_URL", "").strip() or None,
        base_file_url=env.get("TELEGRAM_BASE_FILE_URL", "").strip() or None,
    )


def _bot(settings: Settings) -> Bot:
    return Bot(
        settings.token,
        base_url=settings.base_url or "https://api.telegram.org/bot",
        base_file_url=settings.base_file_url or "https://api.telegram.org/file/bot",
    )


def check_token(env: Mapping[str, str]) -> Check:
    """The token reaches getMe at the configured Bot API."""
    settings = _bot_settings(env)
    if not settings.token:
        return Check("Telegram", "skip", "TELEGRAM_BOT_TOKEN is not set, getMe not tried")
    try:
        username = asyncio.run(_get_me(settings))
    except TelegramError as exc:
        return Check("Telegram", "fail", explain(exc, settings))
    where = settings.base_url or "api.telegram.org"
    return Check("Telegram", "ok", f"the token reaches getMe as @{username} ({where})")


async def _get_me(settings: Settings) -> str:
    async with _bot(settings) as bot:  # initialize() calls getMe
        return bot.username


async def _webhook_info(settings: Settings) -> WebhookInfo:
    async with _bot(settings) as bot:
        return await bot.get_webhook_info()


def check_database(path: Path) -> list[Check]:
    """The database exists, takes a write lock and a write (rolled back), and is migrated."""
    if not path.exists():
        parent = path.parent
        if parent.is_dir() and os.access(parent, os.W_OK):
            hint = f"does not exist yet: create it with `ctbot --db {path} load`"
        else:
            hint = f"cannot be created: {parent} is not a writable directory"
        return [Check("database", "fail", f"{path} {hint}")]
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error as exc:
        return [Check("database", "fail", f"{path} cannot be opened: {exc}")]
    try:
        return [_write_probe(conn, path), *_migrated(conn)]
    finally:
        conn.close()


def _write_probe(conn: sqlite3.Connection, path: Path) -> Check:
    conn.isolation_level = None  # transactions by hand
    try:
        conn.execute("BEGIN IMMEDIATE")  # the write lock, as the bot's writers take it
        try:
            conn.execute("CREATE TABLE _ctbot_doctor_probe (x INTEGER)")
            conn.execute("INSERT INTO _ctbot_doctor_probe VALUES (1)")
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return Check(
            "database",
            "fail",
            f"{path} is not writable ({exc}): the service user must own the file and its "
            "directory (ReadWritePaths in the unit)",
        )
    return Check("database", "ok", f"{path} is writable (BEGIN IMMEDIATE, rolled back)")


def _migrated(conn: sqlite3.Connection) -> list[Check]:
    try:
        db = Database(conn)
        pending = [m.name for m in migrations.pending(db)]
        applied = len(migrations.applied(db))
    except sqlite3.Error as exc:
        return [Check("migrations", "fail", f"cannot read the applied migrations: {exc}")]
    if pending:
        return [
            Check(
                "migrations",
                "fail",
                f"not applied: {', '.join(pending)}; any ctbot command applies them, "
                "e.g. `ctbot stats`",
            )
        ]
    return [Check("migrations", "ok", f"all {applied} applied")]


def check_timezone(env: Mapping[str, str]) -> Check:
    """``CTBOT_TIMEZONE`` names a time zone the system knows."""
    name = env.get("CTBOT_TIMEZONE", "").strip() or "Asia/Ho_Chi_Minh"
    try:
        now = datetime.now(ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError):
        return Check(
            "time zone",
            "fail",
            f"CTBOT_TIMEZONE={name!r} is not a time zone; use e.g. Asia/Ho_Chi_Minh "
            "(or install tzdata)",
        )
    return Check("time zone", "ok", f"{name}, now {now:%Y-%m-%d %H:%M} (UTC{now:%z})")


def check_fonts() -> Check:
    """Matplotlib finds the chart's font, regular and bold, with every Vietnamese letter."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    letters = vietnamese_letters()
    found = []
    for weight in ("normal", "bold"):
        props = FontProperties(family=CHART_FAMILY, weight=weight)
        try:
            path = findfont(props, fallback_to_default=False)
        except ValueError:
            return Check("chart fonts", "fail", f"matplotlib finds no {CHART_FAMILY} ({weight})")
        charmap = FT2Font(path).get_charmap()
        missing = "".join(c for c in letters if ord(c) not in charmap)
        if missing:
            return Check("chart fonts", "fail", f"{path} lacks Vietnamese letters: {missing}")
        found.append(Path(path).name)
    return Check("chart fonts", "ok", f"{' and '.join(found)} with all Vietnamese letters")


def check_ocr(search_path: str | None) -> Check:
    """Tesseract and its Vietnamese data (optional: a warning, not a failure)."""
    install = "apt install tesseract-ocr tesseract-ocr-vie"
    exe = shutil.which("tesseract", path=search_path)
    if exe is None:
        return Check("OCR", "warn", f"tesseract not found (optional; {install})")
    try:
        listed = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return Check("OCR", "warn", f"{exe} --list-langs failed: {exc} (optional)")
    languages = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
    if OCR_LANGUAGE not in languages:
        return Check(
            "OCR", "warn", f"{exe} has no '{OCR_LANGUAGE}' language (optional; {install})"
        )
    return Check("OCR", "ok", f"{exe} with the '{OCR_LANGUAGE}' language")


def check_webhook(env: Mapping[str, str]) -> Check:
    """The ``CTBOT_WEBHOOK_*`` variables are complete and the secret is strong."""
    try:
        webhook = WebhookSettings.from_env(env)
    except SettingsError as exc:
        return Check("webhook", "fail", str(exc))
    return Check(
        "webhook", "ok", f"{webhook.describe()}, secret set ({len(webhook.secret)} chars)"
    )


def describe_webhook_info(info: WebhookInfo, expected: str) -> Check:
    """What Telegram says about the webhook (a warning at worst: the bot sets it at start)."""
    pending = f"{info.pending_update_count} update(s) waiting"
    if not info.url:
        return Check(
            "webhook at Telegram",
            "warn",
            f"none set yet ({pending}); ctbot run --webhook sets it at start",
        )
    if info.url != expected:
        return Check(
            "webhook at Telegram",
            "warn",
            f"Telegram posts to {info.url}, not CTBOT_WEBHOOK_URL; restart ctbot run --webhook",
        )
    if info.last_error_message:
        when = f" at {info.last_error_date:%Y-%m-%d %H:%M} UTC" if info.last_error_date else ""
        return Check(
            "webhook at Telegram",
            "warn",
            f"last delivery failed{when}: {info.last_error_message} ({pending}); check the "
            "reverse proxy",
        )
    return Check("webhook at Telegram", "ok", f"posts to {info.url} ({pending})")


def check_webhook_at_telegram(env: Mapping[str, str], expected: str) -> Check:
    """Ask ``getWebhookInfo`` whether Telegram posts to our URL and its last delivery worked."""
    settings = _bot_settings(env)
    try:
        info = asyncio.run(_webhook_info(settings))
    except TelegramError as exc:
        return Check("webhook at Telegram", "warn", explain(exc, settings))
    return describe_webhook_info(info, expected)


def run_checks(db_path: Path, env: Mapping[str, str], *, webhook: bool = False) -> list[Check]:
    """Every check, in the order they are printed."""
    telegram = check_token(env)
    checks = [check_settings(env), telegram, *check_database(db_path)]
    checks += [check_timezone(env), check_fonts(), check_ocr(env.get("PATH"))]
    if webhook:
        checks.append(check_webhook(env))
        if telegram.state == "ok" and not checks[-1].failed:
            url = env.get("CTBOT_WEBHOOK_URL", "").strip()
            checks.append(check_webhook_at_telegram(env, url))
    return checks


def doctor(
    db_path: Path,
    *,
    webhook: bool = False,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
) -> int:
    """Print one line per check and a verdict.

    Args:
        db_path: The database to check.
        webhook: Check the webhook settings too.
        env: The environment (default ``os.environ``).
        out: Where to print (default stdout).

    Returns:
        0 when every required check passed, else 1.

    """
    env = os.environ if env is None else env
    out = sys.stdout if out is None else out
    redact = Redactor(
        env.get("TELEGRAM_BOT_TOKEN", "").strip(), env.get("CTBOT_WEBHOOK_SECRET", "").strip()
    )
    checks = run_checks(db_path, env, webhook=webhook)
    for check in checks:
        out.write(redact(check.line()) + "\n")
    failed = sum(check.failed for check in checks)
    verdict = f"{failed} required check(s) failed" if failed else "all required checks passed"
    out.write(f"ctbot doctor: {verdict}\n")
    out.flush()
    return 1 if failed else 0
