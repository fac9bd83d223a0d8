"""`ctbot run` never prints the token: a rejected token, a wrong or unreachable Bot API end in
one line and exit code 1; log records, tracebacks and uncaught exceptions are masked."""

from __future__ import annotations

import io
import json
import logging
import signal
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.logs import MASK, Redactor, RedactToken, install_excepthooks, setup_logging
from bot.runner import explain
from bot.settings import Settings
from tests.fakebot import FakeBotApiServer, FakeTelegram
from tests.runkit import SECRET_TOKEN, run_bot, run_env, start_bot

WRONG_TOKEN = "987654:WRONG-secret-do-not-log"


@pytest.fixture(scope="module")
def db_dir(tmp_path_factory):
    """One database for the refused runs: it is loaded once, not once per run."""
    return tmp_path_factory.mktemp("refused")


@pytest.fixture(scope="module")
def server():
    with FakeBotApiServer(FakeTelegram(token=SECRET_TOKEN)) as running:
        yield running


def http_status(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_fake_answers_like_telegram_for_a_wrong_token_or_path(server, monkeypatch):
    monkeypatch.setattr(urllib.request, "getproxies", dict)
    assert http_status(f"{server.base_url}{SECRET_TOKEN}/getMe")[0] == 200
    assert http_status(f"{server.base_url}{WRONG_TOKEN}/getMe") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    wrong_path = server.base_url.replace("/bot", "/api/bot")
    assert http_status(f"{wrong_path}{SECRET_TOKEN}/getMe") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )


def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong token", "Telegram rejected the token (InvalidToken"),
        ("wrong base url", "answered 404 Not Found"),
        ("unreachable", "cannot reach the Bot API at http://127.0.0.1:"),
    ],
)
def test_ctbot_run_refused_says_one_line_and_exits_1(server, db_dir, case, expected):
    token, base_url = {
        "wrong token": (WRONG_TOKEN, server.base_url),
        "wrong base url": (SECRET_TOKEN, server.base_url.replace("/bot", "/api/bot")),
        "unreachable": (SECRET_TOKEN, f"http://127.0.0.1:{unused_port()}/bot"),
    }[case]
    done = run_bot(run_env(db_dir, token, base_url))
    assert done.returncode == 1
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("ctbot run: ") and expected in line
    assert "TELEGRAM_B" in line  # says what to check
    assert token not in done.stderr and token.partition(":")[2] not in done.stderr


def test_network_errors_and_a_slow_bot_api_neither_show_the_token_nor_hold_the_stop(tmp_path):
    fake = FakeTelegram(token=SECRET_TOKEN)
    log = tmp_path / "bot.log"
    with FakeBotApiServer(fake) as server:
        proc = start_bot(run_env(tmp_path, fake.token, server.base_url), log)
        try:
            fake.wait_for("setMyCommands", 2, timeout=60)
            fake.fail_next("getUpdates", error_code=502)
            deadline = time.time() + 10
            while not [c for c in fake.calls_of("getUpdates") if c.faulted]:
                assert time.time() < deadline
                time.sleep(0.02)
            server.poll_delay = 30.0  # from now on getUpdates hangs (and times out)
            time.sleep(0.5)
            stopped = time.time()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)
            stop_seconds = time.time() - stopped
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    output = log.read_text("utf-8")
    assert "Bad Gateway" in output and "Timed out" in output  # the errors were logged ...
    assert SECRET_TOKEN not in output and "SECRET" not in output  # ... without the token
    assert stop_seconds <= 10.0
    assert proc.returncode == 0, output


def test_log_records_are_masked_in_message_arguments_exceptions_and_stack():
    token = "1234:abcdefghSECRET"
    try:
        raise InvalidToken(f"The token `{token}` was rejected by the server.")
    except InvalidToken:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "telegram", logging.ERROR, __file__, 1, "GET %s", (f"/bot{token}/getMe",), exc_info
    )
    record.stack_info = f"Stack: bot = Bot({token!r})"
    assert RedactToken(token).filter(record)
    text = logging.Formatter().format(record)
    assert "SECRET" not in text and token not in text
    assert f"GET /bot{MASK}/getMe" in text and "InvalidToken" in text and MASK in text


def test_the_log_handler_masks_what_a_filter_cannot_see(monkeypatch):
    token = "1234:abcdefghSECRET"
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging(token)
        logging.getLogger("x").warning("half the token: %s", token.partition(":")[2])
        logging.getLogger("httpx").info("HTTP Request: POST /bot%s/getMe", token)
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        logging.captureWarnings(False)
    assert "half the token: <token>" in stream.getvalue()
    assert "SECRET" not in stream.getvalue() and "getMe" not in stream.getvalue()


def test_uncaught_exceptions_are_printed_masked(monkeypatch):
    token = "1234:abcdefghSECRET"
    stream = io.StringIO()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthooks(token, stream)
    try:
        raise RuntimeError(f"boom with {token}")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    worker = threading.Thread(target=lambda: (_ for _ in ()).throw(ValueError(token)))
    worker.start()
    worker.join()
    text = stream.getvalue()
    assert "RuntimeError: boom with <token>" in text and "ValueError: <token>" in text
    assert "Traceback" in text and "SECRET" not in text


def test_redactor_masks_the_secret_half_too():
    redact = Redactor("1234:abcdefghSECRET")
    assert redact("a 1234:abcdefghSECRET b abcdefghSECRET") == f"a {MASK} b {MASK}"
    assert Redactor("")("nothing to hide") == "nothing to hide"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (TimedOut(), "did not answer in time"),
        (NetworkError("httpx.ConnectError: refused"), "cannot reach the Bot API"),
    ],
)
def test_explain_network_errors(error, expected):
    line = explain(error, Settings(token="1:x", base_url="http://127.0.0.1:1/bot"))
    assert expected in line and "TELEGRAM_BASE_URL" in line and "http://127.0.0.1:1/bot" in line
