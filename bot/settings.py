"""Settings from the environment, checked once at start-up.

Every variable is optional except ``TELEGRAM_BOT_TOKEN`` for ``ctbot run``.
A wrong value stops the bot with a message that says how to fix it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.limits import Fairness
from knowledge.programme.store import DEFAULT_DB, database_path

__all__ = ["ENVIRONMENT", "Settings", "SettingsError"]

# Every variable ctbot reads, with its meaning (README documents each; a test checks).
ENVIRONMENT = {
    "TELEGRAM_BOT_TOKEN": "bot token from @BotFather (required by `ctbot run`)",
    "TELEGRAM_BASE_URL": "Bot API endpoint, e.g. http://127.0.0.1:8081/bot (default: Telegram)",
    "TELEGRAM_BASE_FILE_URL": "Bot API file endpoint (default: Telegram)",
    "CTBOT_WEBHOOK_URL": "run --webhook: public https URL Telegram posts updates to",
    "CTBOT_WEBHOOK_LISTEN": "run --webhook: host:port to listen on (default 127.0.0.1:8443)",
    "CTBOT_WEBHOOK_SECRET": "run --webhook: secret token, 32+ random chars (required)",
    "CTBOT_DB": "SQLite database path (default ./ctbot.sqlite3)",
    "CTBOT_TIMEZONE": "time zone for dates and schedules (default Asia/Ho_Chi_Minh)",
    "CTBOT_ALLOWED_CHATS": "comma-separated chat ids the bot serves (default: every chat)",
    "CTBOT_ADMIN_IDS": "comma-separated Telegram user ids that are always admins",
    "CTBOT_CONCURRENCY": "updates handled at once (default 16; 1 = one at a time)",
    "CTBOT_RATE_LIMIT": "'on' (default) keeps to Telegram's flood limits; 'off' for local tests",
    "CTBOT_WEB_LISTEN": "host:port of the progress board, e.g. 127.0.0.1:8080 (unset: no board)",
    "CTBOT_WEB_URL": "public https address of the board behind the reverse proxy (for buttons)",
}


class SettingsError(ValueError):
    """An environment variable is missing or malformed; the message says which and how."""


@dataclass(frozen=True)
class Settings:
    """What the bot needs to run.

    Attributes:
        token: The bot token (never logged).
        base_url: Bot API base URL, or None for Telegram's.
        base_file_url: Bot API file base URL, or None for Telegram's.
        db_path: SQLite database.
        timezone: Time zone for dates and schedules.
        allowed_chats: Chat ids served; empty means every chat.
        admin_ids: Telegram user ids that are always admins.
        concurrency: How many updates are handled at once (over all chats).
        rate_limit: Whether PTB's AIORateLimiter guards outgoing requests.
        fairness: Per-chat lanes and budgets (its ``concurrency`` is replaced by the one
            above when the application is built).
        web_listen: Host and port of the progress board's web server, or None for no board.
        web_url: The board's public https address (menu button, /bang).
        web_max_age: Seconds a Mini App's signed initData stays valid.

    """

    token: str
    base_url: str | None = None
    base_file_url: str | None = None
    db_path: Path = field(default_factory=lambda: database_path())
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    allowed_chats: frozenset[int] = frozenset()
    admin_ids: frozenset[int] = frozenset()
    concurrency: int = 16
    rate_limit: bool = True
    fairness: Fairness = field(default_factory=Fairness)
    web_listen: tuple[str, int] | None = None
    web_url: str | None = None
    web_max_age: int = 24 * 3600

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, require_token: bool = True
    ) -> Settings:
        """Read settings from ``env`` (default ``os.environ``).

        Args:
            env: The environment.
            require_token: Fail when ``TELEGRAM_BOT_TOKEN`` is missing.

        Returns:
            The settings.

        Raises:
            SettingsError: A variable is missing or malformed.

        """
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if require_token and not token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export "
                "TELEGRAM_BOT_TOKEN=<token> (see README, 'Telegram bot')"
            )
        tz_name = env.get("CTBOT_TIMEZONE", "").strip() or "Asia/Ho_Chi_Minh"
        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(
                f"CTBOT_TIMEZONE={tz_name!r} is not a time zone; use e.g. Asia/Ho_Chi_Minh"
            ) from exc
        chats = _ids(env, "CTBOT_ALLOWED_CHATS", "-1001234567890,123456789")
        admins = _ids(env, "CTBOT_ADMIN_IDS", "123456789,987654321")
        raw_concurrency = env.get("CTBOT_CONCURRENCY", "").strip() or "16"
        if not raw_concurrency.isdigit() or not 1 <= int(raw_concurrency) <= 256:
            raise SettingsError(
                f"CTBOT_CONCURRENCY={raw_concurrency!r}: give a whole number from 1 to 256"
            )
        rate = env.get("CTBOT_RATE_LIMIT", "on").strip().lower()
        if rate not in {"on", "off", "1", "0", "true", "false", "yes", "no"}:
            raise SettingsError(f"CTBOT_RATE_LIMIT={rate!r}: use 'on' or 'off'")
        web_listen, web_url = _board(env)
        return cls(
            token=token,
            base_url=env.get("TELEGRAM_BASE_URL", "").strip() or None,
            base_file_url=env.get("TELEGRAM_BASE_FILE_URL", "").strip() or None,
            db_path=Path(env.get("CTBOT_DB") or DEFAULT_DB),
            timezone=timezone,
            allowed_chats=chats,
            admin_ids=admins,
            concurrency=int(raw_concurrency),
            rate_limit=rate in {"on", "1", "true", "yes"},
            web_listen=web_listen,
            web_url=web_url,
        )


def _ids(env: Mapping[str, str], name: str, example: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in env.get(name, "").replace(";", ",").split(","):
        if part.strip():
            try:
                ids.add(int(part.strip()))
            except ValueError as exc:
                raise SettingsError(
                    f"{name}: {part.strip()!r} is not a numeric id; give ids separated by "
                    f"commas, e.g. {example}"
                ) from exc
    return frozenset(ids)


def _board(env: Mapping[str, str]) -> tuple[tuple[str, int] | None, str | None]:
    """``CTBOT_WEB_LISTEN`` and ``CTBOT_WEB_URL``: both or neither."""
    listen = env.get("CTBOT_WEB_LISTEN", "").strip()
    url = env.get("CTBOT_WEB_URL", "").strip()
    if not listen and not url:
        return None, None
    if not listen or not url:
        raise SettingsError(
            "the progress board needs both CTBOT_WEB_LISTEN (e.g. 127.0.0.1:8080) and "
            "CTBOT_WEB_URL (its public https address, e.g. https://bot.example.vn/board/)"
        )
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError(f"CTBOT_WEB_LISTEN={listen!r}: give host:port, e.g. 127.0.0.1:8080")
    if not url.startswith("https://"):
        raise SettingsError(
            f"CTBOT_WEB_URL={url!r}: Telegram opens Mini Apps only over https, "
            "e.g. https://bot.example.vn/board/"
        )
    return (host.strip("[]"), int(port)), url
