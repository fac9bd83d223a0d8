"""Settings for ``ctbot run --webhook``, read from the environment only when asked for.

Behind a reverse proxy Telegram posts updates to ``CTBOT_WEBHOOK_URL`` (public, https); the
proxy forwards that path to ``CTBOT_WEBHOOK_LISTEN`` (plain http on loopback by default), and
PTB's webhook server refuses every request without ``CTBOT_WEBHOOK_SECRET`` in the
``X-Telegram-Bot-Api-Secret-Token`` header (HTTP 403). The secret is never shown: messages give
its length at most.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.settings import SettingsError

__all__ = ["DEFAULT_LISTEN", "MIN_DISTINCT", "WEBHOOK_PORTS", "WebhookSettings", "check_secret"]

DEFAULT_LISTEN = "127.0.0.1:8443"
# Telegram delivers webhooks only to these ports of the public URL.
WEBHOOK_PORTS = frozenset({443, 80, 88, 8443})
# Telegram's rule for secret_token is 1-256 of these; we demand at least 32 of them.
_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")
MIN_DISTINCT = 8  # fewer different characters than this is not a random string
_HOW = "generate one with `openssl rand -hex 32`"


@dataclass(frozen=True)
class WebhookSettings:
    """Where Telegram posts and where ctbot listens.

    Attributes:
        url: The public https URL given to ``setWebhook``.
        host: Address the webhook server binds (the proxy's upstream).
        port: Port the webhook server binds.
        secret: The secret token Telegram sends in every request (never shown).

    """

    url: str
    host: str = "127.0.0.1"
    port: int = 8443
    secret: str = field(default="", repr=False)

    @property
    def url_path(self) -> str:
        """The path the local server answers: the public URL's path (the proxy keeps it)."""
        return urlsplit(self.url).path or "/"

    @property
    def listen(self) -> str:
        """``host:port`` as an operator writes it."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def describe(self) -> str:
        """One line without the secret."""
        return f"{self.url} -> http://{self.listen}{self.url_path}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WebhookSettings:
        """Read and check the webhook variables.

        Args:
            env: The environment (default ``os.environ``).

        Returns:
            The webhook settings.

        Raises:
            SettingsError: A variable is missing, malformed or the secret is weak.

        """
        env = os.environ if env is None else env
        url = _public_url(env.get("CTBOT_WEBHOOK_URL", "").strip(), env)
        host, port = _listen(env.get("CTBOT_WEBHOOK_LISTEN", "").strip() or DEFAULT_LISTEN)
        secret = env.get("CTBOT_WEBHOOK_SECRET", "").strip()
        check_secret(secret)
        return cls(url=url, host=host, port=port, secret=secret)


def check_secret(secret: str) -> None:
    """Refuse a missing, malformed or guessable secret; the message never contains it.

    >>> check_secret("0123456789abcdef" * 2)  # the form of `openssl rand -hex 16`

    Raises:
        SettingsError: The secret is not good enough.

    """
    if not secret:
        raise SettingsError(
            f"CTBOT_WEBHOOK_SECRET is not set: {_HOW} and put it in the environment file"
        )
    if not _SECRET.fullmatch(secret):
        raise SettingsError(
            f"CTBOT_WEBHOOK_SECRET is too short or has characters Telegram refuses "
            f"({len(secret)} characters): use 32 to 256 of A-Z a-z 0-9 _ -; {_HOW}"
        )
    distinct = len(set(secret))
    if distinct < MIN_DISTINCT:
        raise SettingsError(
            f"CTBOT_WEBHOOK_SECRET does not look random ({distinct} different characters): {_HOW}"
        )


def _public_url(url: str, env: Mapping[str, str]) -> str:
    example = "e.g. https://bot.example.gov.vn/ctbot/webhook"
    if not url:
        raise SettingsError(
            f"CTBOT_WEBHOOK_URL is not set: give the public https address Telegram posts to, "
            f"{example}"
        )
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    parts_of_token = [p for p in (token, token.partition(":")[2]) if len(p) >= 8]
    if any(p in url for p in parts_of_token):
        raise SettingsError(
            "CTBOT_WEBHOOK_URL contains the bot token: use a plain path such as /ctbot/webhook "
            "(CTBOT_WEBHOOK_SECRET authenticates Telegram)"
        )
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(
            f"CTBOT_WEBHOOK_URL={url!r}: use https://host[:port]/path without a query "
            f"(Telegram posts only over TLS), {example}"
        )
    try:
        port = parts.port or 443
    except ValueError as exc:
        raise SettingsError(f"CTBOT_WEBHOOK_URL={url!r}: the port is not a number") from exc
    if port not in WEBHOOK_PORTS:
        raise SettingsError(
            f"CTBOT_WEBHOOK_URL={url!r}: Telegram delivers webhooks only to ports "
            f"{', '.join(map(str, sorted(WEBHOOK_PORTS)))}"
        )
    return url


def _listen(value: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:8443`` for IPv6) → (host, port).

    >>> _listen("127.0.0.1:8443"), _listen("[::1]:9000")
    (('127.0.0.1', 8443), ('::1', 9000))
    """
    host, sep, port = value.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise SettingsError(
            f"CTBOT_WEBHOOK_LISTEN={value!r}: use host:port, e.g. {DEFAULT_LISTEN} (the address "
            "the reverse proxy forwards to)"
        )
    return host, int(port)
