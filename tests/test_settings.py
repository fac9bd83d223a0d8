from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.logs import RedactToken
from bot.settings import Settings, SettingsError


def test_defaults():
    s = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc"})
    assert s == Settings(
        token="1:abc",
        base_url=None,
        base_file_url=None,
        db_path=Path("ctbot.sqlite3"),
        timezone=ZoneInfo("Asia/Ho_Chi_Minh"),
        allowed_chats=frozenset(),
        admin_ids=frozenset(),
        concurrency=16,
        rate_limit=True,
    )


def test_everything_set():
    s = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": " 1:abc ",
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "TELEGRAM_BASE_FILE_URL": "http://127.0.0.1:8081/file/bot",
            "CTBOT_DB": "/tmp/x.sqlite3",
            "CTBOT_TIMEZONE": "UTC",
            "CTBOT_ALLOWED_CHATS": "-1001, 42;7",
            "CTBOT_CONCURRENCY": "1",
            "CTBOT_RATE_LIMIT": "off",
        }
    )
    assert (s.token, s.base_url, s.db_path, s.timezone.key) == (
        "1:abc",
        "http://127.0.0.1:8081/bot",
        Path("/tmp/x.sqlite3"),
        "UTC",
    )
    assert s.allowed_chats == {-1001, 42, 7}
    assert (s.concurrency, s.rate_limit) == (1, False)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "x", "CTBOT_TIMEZONE": "Mars/Base"}, "not a time zone"),
        ({"TELEGRAM_BOT_TOKEN": "x", "CTBOT_ALLOWED_CHATS": "abc"}, "not a numeric id"),
        ({"TELEGRAM_BOT_TOKEN": "x", "CTBOT_ADMIN_IDS": "@lan"}, "CTBOT_ADMIN_IDS"),
        ({"TELEGRAM_BOT_TOKEN": "x", "CTBOT_CONCURRENCY": "0"}, "from 1 to 256"),
        ({"TELEGRAM_BOT_TOKEN": "x", "CTBOT_RATE_LIMIT": "maybe"}, "'on' or 'off'"),
    ],
)
def test_errors_say_how_to_fix(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_token_is_redacted_from_log_records():
    import logging

    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "GET %s", ("/bot1:abc/getMe",), None
    )
    assert RedactToken("1:abc").filter(record)
    assert record.getMessage() == "GET /bot<token>/getMe"


def test_reading_settings_does_not_import_telegram() -> None:
    """``ctbot ask`` reads settings: its cold start must not pay for python-telegram-bot."""
    import subprocess
    import sys

    code = "import sys, bot.settings, bot.cli; print('telegram' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
