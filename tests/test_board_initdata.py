"""initData validation against Telegram's documented algorithm and a published example."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote

import pytest

from knowledge.digest.initdata import InitDataError, sign, verify

TOKEN = "123456:TEST-token-for-the-board"
NOW = 1_700_000_000
DAY = 24 * 3600

# Published example (Telegram Mini Apps docs, init-data-golang): real client data and the
# token it was signed with. Its `signature` field (Ed25519, for third parties) is part of
# the data-check-string like any other field.
PUBLISHED_TOKEN = "7342037359:AAHI25ES9xCOMPokpYoz-p8XVrZUdygo2J4"
PUBLISHED = (
    "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%20%2B%20-%20%3F%20%5C%2F%22"
    "%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code"
    "%22%3A%22ru%22%2C%22is_premium%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url"
    "%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2F4FPEE4tmP3ATHa57u6Mq"
    "TDih13LTOiMoKoLDRG4PnSA.svg%22%7D&chat_instance=8134722200314281151&chat_type=private"
    "&auth_date=1733509682&signature=TYJxVcisqbWjtodPepiJ6ghziUL94-KNpG8Pau-X7oNNLNBM72APCpi_"
    "RKiUlBvcqo5L-LAxIc3dnTzcZX_PDg&hash=a433d8f9847bd6addcc563bff7cc82c89e97ea0d90c11fe5729ca"
    "e6796a36d73"
)


def reference_hash(raw: str, token: str) -> str:
    """The documented check, written out from the docs independently of the module."""
    pairs = [p for p in parse_qsl(raw, keep_blank_values=True) if p[0] != "hash"]
    data_check_string = "\n".join(f"{k}={v}" for k, v in sorted(pairs))
    secret_key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return hmac.new(secret_key, data_check_string.encode(), hashlib.sha256).hexdigest()


def init_data(user_id=42, auth_date=NOW, token=TOKEN, **extra):
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(
            {"id": user_id, "first_name": "Nguyễn", "last_name": "Văn A", "language_code": "vi"},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        "auth_date": str(auth_date),
        **extra,
    }
    return sign(fields, token)


def test_published_example_verifies():
    user = verify(PUBLISHED, PUBLISHED_TOKEN, now=1733509682 + 60, max_age=DAY)
    assert (user.id, user.name) == (279058397, "Vladislav + - ? / Kibenko")
    assert user.auth_date == 1733509682
    assert reference_hash(PUBLISHED, PUBLISHED_TOKEN) == dict(parse_qsl(PUBLISHED))["hash"]


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: raw.replace("chat_type=private", "chat_type=group"),
        lambda raw: raw.replace("signature=", "signaturex="),
        lambda raw: raw.replace("auth_date=1733509682", "auth_date=1733509683"),
        lambda raw: raw.replace("%22id%22%3A279058397", "%22id%22%3A279058398"),
        lambda raw: raw.rsplit("&hash=", 1)[0],
        lambda raw: raw + "&extra=1",
    ],
    ids=["chat_type", "field-renamed", "auth_date", "user-id", "no-hash", "added-field"],
)
def test_published_example_tampered_is_refused(change):
    with pytest.raises(InitDataError):
        verify(change(PUBLISHED), PUBLISHED_TOKEN, now=1733509682, max_age=DAY)


def test_sign_matches_the_documented_algorithm():
    raw = init_data(chat_type="private", start_param="a=b&c")
    assert dict(parse_qsl(raw))["hash"] == reference_hash(raw, TOKEN)
    user = verify(raw, TOKEN, now=NOW, max_age=DAY)
    assert (user.id, user.name) == (42, "Nguyễn Văn A")


def test_forged_with_another_token_is_refused():
    with pytest.raises(InitDataError, match="signature"):
        verify(init_data(token="999:other-bot"), TOKEN, now=NOW, max_age=DAY)


def test_user_swapped_after_signing_is_refused():
    raw = init_data(user_id=42)
    forged = raw.replace(quote('"id":42', safe=""), quote('"id":1', safe=""))
    assert forged != raw
    with pytest.raises(InitDataError, match="signature"):
        verify(forged, TOKEN, now=NOW, max_age=DAY)


def test_age_is_bounded_both_ways():
    raw = init_data(auth_date=NOW - DAY)
    assert verify(raw, TOKEN, now=NOW, max_age=DAY).id == 42
    with pytest.raises(InitDataError, match="too old"):
        verify(raw, TOKEN, now=NOW + 1, max_age=DAY)
    with pytest.raises(InitDataError, match="future"):
        verify(init_data(auth_date=NOW + 3600), TOKEN, now=NOW, max_age=DAY)


@pytest.mark.parametrize(
    "raw",
    ["", "not a query", "hash=abc", "user=%7B%7D&auth_date=1&auth_date=2&hash=x"],
    ids=["missing", "garbage", "only-hash", "repeated-field"],
)
def test_malformed_is_refused(raw):
    with pytest.raises(InitDataError):
        verify(raw, TOKEN, now=NOW, max_age=DAY)


def test_signed_but_without_a_user_is_refused():
    raw = sign({"auth_date": str(NOW), "query_id": "x"}, TOKEN)
    with pytest.raises(InitDataError, match="user"):
        verify(raw, TOKEN, now=NOW, max_age=DAY)
    raw = sign({"auth_date": str(NOW), "user": "[1]"}, TOKEN)
    with pytest.raises(InitDataError, match="user"):
        verify(raw, TOKEN, now=NOW, max_age=DAY)
