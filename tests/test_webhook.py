"""`ctbot run --webhook`: setWebhook with the URL and the secret, updates posted with the right
secret are answered, a wrong or missing one gets 403, SIGTERM stops it; settings refuse weak
secrets without showing them."""

from __future__ import annotations

import json
import secrets
import signal
import socket
import time
import urllib.error
import urllib.request

import pytest

from bot.cli import main
from bot.settings import SettingsError
from bot.webhook import WebhookSettings, check_secret
from tests.fakebot import FakeBotApiServer, FakeTelegram, message, private_chat, user
from tests.runkit import SECRET_TOKEN, run_bot, run_env, start_bot

PUBLIC_URL = "https://bot.example.test/ctbot/webhook"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(url: str, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with NO_PROXY.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_listening(port: int, proc, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, "ctbot run --webhook exited early"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert time.monotonic() < deadline, "the webhook server never listened"
        time.sleep(0.05)


def start_update(user_id: int, update_id: int) -> dict[str, object]:
    sender = user(user_id, first_name=f"U{user_id}", username=None)
    return {"update_id": update_id, **message("/start", private_chat(sender), sender)}


def test_webhook_answers_the_right_secret_refuses_others_and_stops_on_sigterm(tmp_path):
    fake = FakeTelegram(token=SECRET_TOKEN)
    secret = secrets.token_urlsafe(32)
    port = unused_port()
    log = tmp_path / "bot.log"
    for user_id in (111, 222, 333):
        sender = user(user_id, first_name=f"U{user_id}", username=None)
        fake.register_user(sender)
        fake.register_chat(private_chat(sender))
    with FakeBotApiServer(fake) as server:
        env = run_env(
            tmp_path,
            fake.token,
            server.base_url,
            CTBOT_WEBHOOK_URL=PUBLIC_URL,
            CTBOT_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            CTBOT_WEBHOOK_SECRET=secret,
        )
        proc = start_bot(env, log, "--webhook")
        try:
            (call,) = fake.wait_for("setWebhook", timeout=60)
            wait_listening(port, proc)
            local = f"http://127.0.0.1:{port}/ctbot/webhook"
            assert post(local, start_update(111, 1), "wrong-" + secret[6:]) == 403
            assert post(local, start_update(222, 2), None) == 403
            assert post(local, start_update(333, 3), secret) == 200
            fake.wait_for("sendMessage", predicate=lambda c: c.params["chat_id"] == 333)
            time.sleep(0.5)  # room for a wrongly accepted update to be answered too
            stopped = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)
            stop_seconds = time.monotonic() - stopped
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    output = log.read_text("utf-8")
    assert call.params["url"] == PUBLIC_URL
    assert call.params["secret_token"] == secret
    assert "my_chat_member" in call.params["allowed_updates"]
    assert fake.webhook_url == PUBLIC_URL
    assert fake.sent_texts(333) and not fake.sent_texts(111) and not fake.sent_texts(222)
    assert fake.calls_of("getUpdates") == []  # no polling while the webhook is set
    assert stop_seconds <= 10.0
    assert proc.returncode == 0, output
    assert secret not in output and SECRET_TOKEN not in output
    assert PUBLIC_URL in output  # the log says where it listens, without the secret


def test_webhook_refuses_to_start_when_its_address_is_taken(tmp_path):
    fake = FakeTelegram(token=SECRET_TOKEN)
    with socket.socket() as taken, FakeBotApiServer(fake) as server:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        secret = secrets.token_hex(32)
        env = run_env(
            tmp_path,
            fake.token,
            server.base_url,
            CTBOT_WEBHOOK_URL=PUBLIC_URL,
            CTBOT_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            CTBOT_WEBHOOK_SECRET=secret,
        )
        done = run_bot(env, "--webhook")
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith("ctbot run: cannot listen on 127.0.0.1:") and "WEBHOOK_LISTEN" in line
    assert fake.calls_of("setWebhook") == []  # Telegram is not pointed at a dead address
    assert secret not in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "CTBOT_WEBHOOK_SECRET is not set"),
        ("short-Secret-123", "too short"),
        ("a" * 20 + "b" * 20, "does not look random"),
        ("has spaces and dots.." + "x" * 20, "characters Telegram refuses"),
    ],
)
def test_ctbot_run_webhook_refuses_a_missing_or_weak_secret(monkeypatch, capsys, value, expected):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SECRET_TOKEN)
    monkeypatch.setenv("CTBOT_WEBHOOK_URL", PUBLIC_URL)
    monkeypatch.setenv("CTBOT_WEBHOOK_SECRET", value)
    assert main(["run", "--webhook"]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith("ctbot run: CTBOT_WEBHOOK_SECRET") and expected in line
    if value:
        assert value not in captured.err + captured.out


GOOD = {"CTBOT_WEBHOOK_URL": PUBLIC_URL, "CTBOT_WEBHOOK_SECRET": "0123456789abcdef" * 3}


def test_webhook_settings_from_the_environment():
    webhook = WebhookSettings.from_env({**GOOD, "CTBOT_WEBHOOK_LISTEN": "[::1]:9000"})
    assert webhook == WebhookSettings(PUBLIC_URL, "::1", 9000, GOOD["CTBOT_WEBHOOK_SECRET"])
    assert webhook.url_path == "/ctbot/webhook" and webhook.listen == "[::1]:9000"
    assert GOOD["CTBOT_WEBHOOK_SECRET"] not in repr(webhook) + webhook.describe()
    default = WebhookSettings.from_env(GOOD)
    assert (default.host, default.port) == ("127.0.0.1", 8443)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"CTBOT_WEBHOOK_URL": ""}, "CTBOT_WEBHOOK_URL is not set"),
        ({"CTBOT_WEBHOOK_URL": "http://bot.example.test/hook"}, "use https://"),
        ({"CTBOT_WEBHOOK_URL": "https://bot.example.test/hook?x=1"}, "without a query"),
        ({"CTBOT_WEBHOOK_URL": "https://bot.example.test:9443/hook"}, "only to ports"),
        ({"CTBOT_WEBHOOK_URL": f"https://bot.example.test/{SECRET_TOKEN}"}, "contains the bot"),
        ({"CTBOT_WEBHOOK_LISTEN": "8443"}, "use host:port"),
        ({"CTBOT_WEBHOOK_LISTEN": "127.0.0.1:70000"}, "use host:port"),
    ],
)
def test_webhook_settings_refuse_what_telegram_or_a_proxy_cannot_use(changes, expected):
    env = {**GOOD, "TELEGRAM_BOT_TOKEN": SECRET_TOKEN, **changes}
    with pytest.raises(SettingsError, match=expected) as caught:
        WebhookSettings.from_env(env)
    assert SECRET_TOKEN not in str(caught.value)
    assert SECRET_TOKEN.partition(":")[2] not in str(caught.value)


def test_a_random_hex_or_urlsafe_secret_passes():
    for _ in range(50):
        check_secret(secrets.token_hex(16))
        check_secret(secrets.token_urlsafe(32))


def webhook_env(tmp_path, token: str, base_url: str, secret: str) -> dict[str, str]:
    return run_env(
        tmp_path,
        token,
        base_url,
        CTBOT_WEBHOOK_URL=PUBLIC_URL,
        CTBOT_WEBHOOK_LISTEN=f"127.0.0.1:{unused_port()}",
        CTBOT_WEBHOOK_SECRET=secret,
    )


def test_webhook_with_a_rejected_token_says_one_line_and_exits_1(tmp_path):
    fake = FakeTelegram(token=SECRET_TOKEN)
    wrong = "987654:WRONG-secret-do-not-log"
    secret = secrets.token_hex(32)
    with FakeBotApiServer(fake) as server:
        done = run_bot(webhook_env(tmp_path, wrong, server.base_url, secret), "--webhook")
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("ctbot run: Telegram rejected the token (InvalidToken")
    assert fake.calls_of("setWebhook") == []
    for hidden in (wrong, wrong.partition(":")[2], secret):
        assert hidden not in done.stderr


def test_webhook_refused_by_telegram_ends_in_a_line_without_the_secret(tmp_path):
    fake = FakeTelegram(token=SECRET_TOKEN)
    fake.fail_next("setWebhook", error_code=400, description="Bad Request: bad webhook: nope")
    secret = secrets.token_hex(32)
    with FakeBotApiServer(fake) as server:
        done = run_bot(webhook_env(tmp_path, fake.token, server.base_url, secret), "--webhook")
    assert done.returncode == 1, done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("ctbot run: the Bot API at http://127.0.0.1:")
    assert last.endswith("refused to start the bot: Bad webhook: nope: check CTBOT_WEBHOOK_URL")
    assert secret not in done.stderr + done.stdout and SECRET_TOKEN not in done.stderr


def test_the_log_redactor_masks_the_webhook_secret_too():
    from bot.logs import MASK, Redactor

    secret = secrets.token_hex(32)
    redact = Redactor(SECRET_TOKEN, secret)
    assert redact(f"header {secret} and {SECRET_TOKEN}") == f"header {MASK} and {MASK}"
    assert Redactor(SECRET_TOKEN, "")("keep this") == "keep this"
