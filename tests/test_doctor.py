"""`ctbot doctor`: one ✓/✗ line per check, exit 0 only when every required check passes, and
neither the token nor the webhook secret is ever printed."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
import pytest
from sqlite_utils import Database
from telegram import WebhookInfo

from bot.doctor import describe_webhook_info, doctor
from knowledge.migrations import migrations
from knowledge.store import open_database
from tests.fakebot import FakeBotApiServer, FakeTelegram
from tests.runkit import ROOT, SECRET_TOKEN

WRONG_TOKEN = "987654:WRONG-secret-do-not-log"
SECRET = "0123456789abcdefghijKLMNOPQRST_-" * 2


@pytest.fixture(scope="module")
def server():
    with FakeBotApiServer(FakeTelegram(token=SECRET_TOKEN)) as running:
        yield running


@pytest.fixture
def fresh_db(tmp_path) -> Path:
    path = tmp_path / "fresh.sqlite3"
    open_database(path).close()
    return path


def tesseract_dir(tmp_path: Path, languages: str) -> str:
    """A directory with a `tesseract` that lists ``languages``, to put on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "tesseract"
    listing = "\\n".join(languages.split())
    script.write_text(
        f"#!/bin/sh\nprintf 'List of available languages in \"/x/\" (2):\\n{listing}\\n'\n"
    )
    script.chmod(0o755)
    return str(bin_dir)


def check(db_path: Path, env: dict[str, str], *, webhook: bool = False) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = doctor(db_path, webhook=webhook, env=env, out=out)
    return code, out.getvalue().splitlines()


def marks(lines: list[str]) -> list[tuple[str, str]]:
    return [(line[0], line[2:].partition(":")[0]) for line in lines[:-1]]


def test_all_good_on_a_fresh_database_with_the_fake_bot_api(server, fresh_db, tmp_path):
    env = {
        "TELEGRAM_BOT_TOKEN": SECRET_TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "PATH": tesseract_dir(tmp_path, "eng osd vie"),
    }
    code, lines = check(fresh_db, env)
    assert marks(lines) == [
        ("✓", "settings"),
        ("✓", "Telegram"),
        ("✓", "database"),
        ("✓", "migrations"),
        ("✓", "time zone"),
        ("✓", "chart fonts"),
        ("✓", "OCR"),
    ]
    every = len(migrations.pending(Database(memory=True)))  # all of knowledge.migrations
    assert f"@{server.fake.username}" in lines[1] and f"all {every} applied" in lines[3]
    assert lines[-1] == "ctbot doctor: all required checks passed" and code == 0
    assert SECRET_TOKEN.partition(":")[2] not in "\n".join(lines)
    tables = sqlite3.connect(fresh_db).execute("SELECT name FROM sqlite_master").fetchall()
    assert ("_ctbot_doctor_probe",) not in tables  # the write probe was rolled back


def test_no_token_is_skipped_and_missing_ocr_only_warns(fresh_db, tmp_path):
    code, lines = check(fresh_db, {"PATH": tesseract_dir(tmp_path, "eng osd")})
    assert ("–", "Telegram") in marks(lines) and "not set" in lines[1]
    assert lines[-2].startswith("⚠ OCR:") and "'vie'" in lines[-2]
    assert code == 0
    code, lines = check(fresh_db, {"PATH": str(tmp_path / "nowhere")})
    assert lines[-2].startswith("⚠ OCR: tesseract not found") and code == 0


def test_a_wrong_token_fails_in_one_line_without_the_token(server, fresh_db):
    env = {
        "TELEGRAM_BOT_TOKEN": WRONG_TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "PYTHONPATH": str(ROOT),
        "CTBOT_DB": str(fresh_db),
        "PATH": os.environ["PATH"],
        "NO_PROXY": "127.0.0.1,localhost",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "doctor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("✗")]
    assert line.startswith("✗ Telegram: Telegram rejected the token (InvalidToken")
    assert "TELEGRAM_BOT_TOKEN" in line
    assert done.stdout.splitlines()[-1] == "ctbot doctor: 1 required check(s) failed"
    everything = done.stdout + done.stderr
    assert WRONG_TOKEN not in everything and WRONG_TOKEN.partition(":")[2] not in everything


def test_an_unwritable_database_path_fails(tmp_path):
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("x")
    code, lines = check(not_a_dir / "ctbot.sqlite3", {})
    assert code == 1
    (line,) = [x for x in lines if x.startswith("✗")]
    assert line.startswith("✗ database:") and "not a writable directory" in line
    assert not (not_a_dir / "ctbot.sqlite3").exists()


def test_a_missing_database_is_not_created(tmp_path):
    path = tmp_path / "missing.sqlite3"
    code, lines = check(path, {})
    assert code == 1 and f"✗ database: {path} does not exist yet" in lines[2]
    assert "ctbot --db" in lines[2] and not path.exists()


def test_a_database_locked_by_another_writer_fails(fresh_db):
    other = sqlite3.connect(fresh_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a long `ctbot load` in another process
    try:
        code, lines = check(fresh_db, {})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 1
    assert lines[2].startswith("✗ database:") and "locked" in lines[2]


def test_an_unmigrated_database_names_the_missing_migrations(fresh_db):
    with sqlite3.connect(fresh_db) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_chats'")
    code, lines = check(fresh_db, {})
    assert code == 1
    assert lines[3] == (
        "✗ migrations: not applied: m005_chats; any ctbot command applies them, e.g. `ctbot stats`"
    )


def test_a_bad_time_zone_fails_on_its_own_line(fresh_db):
    code, lines = check(fresh_db, {"CTBOT_TIMEZONE": "Asia/Hanoi_City"})
    assert code == 1
    assert marks(lines)[0] == ("✓", "settings")
    assert [x for x in lines if x.startswith("✗")] == [
        "✗ time zone: CTBOT_TIMEZONE='Asia/Hanoi_City' is not a time zone; use e.g. "
        "Asia/Ho_Chi_Minh (or install tzdata)"
    ]


def test_a_chart_font_without_vietnamese_letters_fails(fresh_db, monkeypatch):
    latin_only = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "cmr10.ttf"
    monkeypatch.setattr("matplotlib.font_manager.findfont", lambda *a, **k: str(latin_only))
    code, lines = check(fresh_db, {})
    (line,) = [x for x in lines if x.startswith("✗")]
    assert line.startswith("✗ chart fonts:") and "lacks Vietnamese letters" in line
    assert "ệ" in line and code == 1


def test_webhook_settings_are_checked_only_with_the_flag(fresh_db):
    weak = {
        "CTBOT_WEBHOOK_URL": "https://bot.example.test/hook",
        "CTBOT_WEBHOOK_SECRET": "ab" * 20,
    }
    assert check(fresh_db, weak)[0] == 0
    code, lines = check(fresh_db, weak, webhook=True)
    assert code == 1 and lines[-2].startswith("✗ webhook: CTBOT_WEBHOOK_SECRET does not look")
    assert "ab" * 20 not in "\n".join(lines)
    good = {**weak, "CTBOT_WEBHOOK_SECRET": SECRET}
    code, lines = check(fresh_db, good, webhook=True)
    assert code == 0 and lines[-2] == (
        "✓ webhook: https://bot.example.test/hook -> http://127.0.0.1:8443/hook, "
        f"secret set ({len(SECRET)} chars)"
    )
    assert SECRET not in "\n".join(lines)


def test_with_a_token_the_webhook_check_asks_telegram_where_it_posts(server, fresh_db):
    url = "https://bot.example.test/ctbot/webhook"
    env = {
        "TELEGRAM_BOT_TOKEN": SECRET_TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "CTBOT_WEBHOOK_URL": url,
        "CTBOT_WEBHOOK_SECRET": SECRET,
    }
    set_webhook = f"{server.api_url}/setWebhook?url="
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        opener.open(set_webhook, timeout=5).close()  # no webhook
        code, lines = check(fresh_db, env, webhook=True)
        assert code == 0 and lines[-2].startswith("⚠ webhook at Telegram: none set yet")
        opener.open(set_webhook + "https://old.example.test/hook", timeout=5).close()
        code, lines = check(fresh_db, env, webhook=True)
        assert lines[-2] == (
            "⚠ webhook at Telegram: Telegram posts to https://old.example.test/hook, not "
            "CTBOT_WEBHOOK_URL; restart ctbot run --webhook"
        )
        opener.open(set_webhook + url, timeout=5).close()
        code, lines = check(fresh_db, env, webhook=True)
        assert lines[-2] == f"✓ webhook at Telegram: posts to {url} (0 update(s) waiting)"
    finally:
        opener.open(set_webhook, timeout=5).close()
    assert SECRET not in "\n".join(lines)


def test_telegrams_last_delivery_error_is_shown():
    info = WebhookInfo(
        url="https://bot.example.test/hook",
        has_custom_certificate=False,
        pending_update_count=3,
        last_error_date=datetime(2026, 12, 1, 7, 30, tzinfo=UTC),
        last_error_message="Wrong response from the webhook: 502 Bad Gateway",
    )
    assert describe_webhook_info(info, "https://bot.example.test/hook").line() == (
        "⚠ webhook at Telegram: last delivery failed at 2026-12-01 07:30 UTC: Wrong response "
        "from the webhook: 502 Bad Gateway (3 update(s) waiting); check the reverse proxy"
    )
