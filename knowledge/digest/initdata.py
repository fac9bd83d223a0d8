"""Telegram Mini App ``initData``: check its signature and age, read who opened the page.

Telegram's documented scheme ("Validating data received via the Mini App"):
``secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)``; the data-check-string is
every received field except ``hash``, as ``key=value`` lines sorted by key and joined by
line feeds; the data is genuine when ``hex(HMAC_SHA256(key=secret_key, msg=data_check_string))``
equals ``hash``. ``auth_date`` (Unix seconds) bounds how old the data may be.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from knowledge.errors import KnowledgeError

__all__ = ["InitDataError", "WebAppUser", "check_string", "sign", "verify"]

# Telegram's clients and the server clocks may disagree a little.
CLOCK_SKEW = 60


class InitDataError(KnowledgeError):
    """The initData is missing, malformed, forged or too old; the message says which."""


@dataclass(frozen=True)
class WebAppUser:
    """Who opened the Mini App, as the signed initData says.

    Attributes:
        id: Telegram user id.
        name: First and last name.
        auth_date: When Telegram signed the data (Unix seconds).

    """

    id: int
    name: str
    auth_date: int


def _secret(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def check_string(fields: list[tuple[str, str]]) -> str:
    r"""The data-check-string: every field but ``hash``, sorted by key, one per line.

    >>> check_string([("user", "{}"), ("hash", "x"), ("auth_date", "1")])
    'auth_date=1\nuser={}'
    """
    return "\n".join(f"{k}={v}" for k, v in sorted(fields) if k != "hash")


def sign(fields: dict[str, str], token: str) -> str:
    """A query string of ``fields`` with its ``hash``, as Telegram would send it (tests, tools)."""
    pairs = [(k, v) for k, v in fields.items() if k != "hash"]
    digest = hmac.new(_secret(token), check_string(pairs).encode(), hashlib.sha256).hexdigest()
    return urlencode([*pairs, ("hash", digest)])


def verify(raw: str, token: str, *, now: float, max_age: float) -> WebAppUser:
    """Check ``raw`` initData signed for the bot with ``token`` and return its user.

    Args:
        raw: ``Telegram.WebApp.initData``, a URL-encoded query string.
        token: The bot token (key material; never leaves the server).
        now: The current Unix time.
        max_age: Seconds ``auth_date`` may lie in the past.

    Returns:
        The user the data was signed for.

    Raises:
        InitDataError: Missing, malformed, duplicated fields, wrong hash, too old, no user.

    """
    if not raw:
        raise InitDataError("no initData")
    try:
        fields = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError as error:
        raise InitDataError("initData is not a query string") from error
    keys = [k for k, _ in fields]
    if len(keys) != len(set(keys)):
        raise InitDataError("initData repeats a field")
    values = dict(fields)
    given = values.get("hash", "")
    expected = hmac.new(_secret(token), check_string(fields).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise InitDataError("initData signature does not match")
    try:
        auth_date = int(values["auth_date"])
        user = json.loads(values["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError) as error:
        raise InitDataError("initData lacks auth_date or user") from error
    if now - auth_date > max_age:
        raise InitDataError("initData is too old")
    if auth_date - now > CLOCK_SKEW:
        raise InitDataError("initData is from the future")
    name = " ".join(str(user.get(k, "")) for k in ("first_name", "last_name")).strip()
    return WebAppUser(user_id, name, auth_date)
