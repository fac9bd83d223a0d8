"""``ctbot run``: polling or a webhook, a bounded stop, one clear line when Telegram says no.

* SIGTERM / SIGINT drop the backlog and cancel running handlers (see :mod:`bot.fairness`),
  then stop PTB's application; if that still takes longer than ``Fairness.stop_timeout`` the
  process exits anyway.
* A token Telegram rejects, a wrong ``TELEGRAM_BASE_URL`` or an unreachable Bot API end in
  one line on stderr and exit code 1: no traceback, and never the token.
* ``--webhook`` (:class:`~bot.webhook.WebhookSettings`): PTB's ``run_webhook`` behind a reverse
  proxy, with the same stop and errors; a listen address already in use ends in one line
  before ``setWebhook`` points Telegram at it. The secret is masked like the token.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import threading
from urllib.parse import urlsplit

from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.fairness import FairUpdateProcessor
from bot.logs import Redactor, install_excepthooks, setup_logging
from bot.settings import Settings
from bot.webhook import WebhookSettings
from knowledge.programme.store import open_database

__all__ = ["explain", "listen_problem", "run"]

log = logging.getLogger(__name__)
PREFIX = "ctbot run: "


def explain(exc: BaseException, settings: Settings) -> str:
    """One line saying what went wrong talking to the Bot API and what to check."""
    where = _endpoint(settings.base_url)
    if isinstance(exc, InvalidToken):
        root = exc
        while isinstance(root.__cause__, InvalidToken):
            root = root.__cause__
        if "not found" in root.message.lower():
            return (
                f"the Bot API at {where} answered 404 Not Found (InvalidToken): check "
                "TELEGRAM_BASE_URL (it ends in /bot) and the form of TELEGRAM_BOT_TOKEN"
            )
        return (
            f"Telegram rejected the token (InvalidToken, {where}): check TELEGRAM_BOT_TOKEN "
            "(from @BotFather)"
        )
    if isinstance(exc, BadRequest):  # a NetworkError to PTB, but Telegram did answer
        check = ": check CTBOT_WEBHOOK_URL" if "webhook" in exc.message.lower() else ""
        return f"the Bot API at {where} refused to start the bot: {exc.message}{check}"
    if isinstance(exc, TimedOut):
        return f"the Bot API at {where} did not answer in time: check TELEGRAM_BASE_URL"
    if isinstance(exc, NetworkError):
        return (
            f"cannot reach the Bot API at {where} ({exc.message}): check the network and "
            "TELEGRAM_BASE_URL"
        )
    if isinstance(exc, TelegramError):
        return f"the Bot API at {where} refused to start the bot: {exc.message}"
    return f"{type(exc).__name__}: {exc}"


def _endpoint(base_url: str | None) -> str:
    if not base_url:
        return "api.telegram.org"
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else base_url


class _Stopper:
    """Signal handler: drop the backlog, stop polling, and exit anyway after a deadline."""

    def __init__(self, application: Application, timeout: float) -> None:  # type: ignore[type-arg]
        self.application = application
        self.timeout = timeout
        self.watchdog: threading.Timer | None = None

    def __call__(self, signum: int) -> None:
        if self.watchdog is not None:
            return  # already stopping
        log.info("%s: stopping (backlog dropped)", signal.Signals(signum).name)
        self.watchdog = threading.Timer(self.timeout, self._expire)
        self.watchdog.daemon = True
        self.watchdog.start()
        processor = self.application.update_processor
        if isinstance(processor, FairUpdateProcessor):
            processor.stop()
        self.application.stop_running()

    def _expire(self) -> None:
        log.warning("stop took longer than %.0f s: exiting now", self.timeout)
        logging.shutdown()
        os._exit(1)

    def cancel(self) -> None:
        if self.watchdog is not None:
            self.watchdog.cancel()


def listen_problem(webhook: WebhookSettings) -> str | None:
    """Why the webhook server could not bind its address, or None when it can."""
    family = socket.AF_INET6 if ":" in webhook.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does
        try:
            probe.bind((webhook.host, webhook.port))
        except OSError as exc:
            return (
                f"cannot listen on {webhook.listen} for the webhook ({exc.strerror or exc}): "
                "check CTBOT_WEBHOOK_LISTEN and that no other ctbot runs"
            )
    return None


def _serve(application: Application, webhook: WebhookSettings | None) -> None:  # type: ignore[type-arg]
    """Poll, or serve the webhook; both return after ``stop_running``."""
    if webhook is None:
        application.run_polling(allowed_updates=ALLOWED_UPDATES, stop_signals=None)
        return
    log.info("webhook: %s", webhook.describe())
    application.run_webhook(
        listen=webhook.host,
        port=webhook.port,
        url_path=webhook.url_path,
        webhook_url=webhook.url,
        secret_token=webhook.secret,
        allowed_updates=ALLOWED_UPDATES,
        stop_signals=None,
    )


def run(settings: Settings, webhook: WebhookSettings | None = None) -> int:
    """Run the bot until SIGTERM / SIGINT.

    Args:
        settings: The checked settings.
        webhook: Serve a webhook with these settings instead of long polling.

    Returns:
        0 after a clean stop, 1 when the Bot API refused or could not be reached, or the
        webhook address is taken.

    """
    secrets = (webhook.secret,) if webhook is not None else ()
    redact = Redactor(settings.token, *secrets)
    setup_logging(settings.token, extra=secrets)
    install_excepthooks(settings.token, extra=secrets)
    problem = listen_problem(webhook) if webhook is not None else None
    if problem:
        print(PREFIX + redact(problem), file=sys.stderr)
        return 1
    open_database(settings.db_path).close()  # create and load before going online
    application = build_application(settings)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stopper = _Stopper(application, settings.fairness.stop_timeout)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopper, signum)
    try:
        # getMe first, by hand: run_polling's retry loop would log the token-bearing
        # InvalidToken with a traceback before re-raising it.
        loop.run_until_complete(application.initialize())
        _serve(application, webhook)
    except TelegramError as exc:
        print(PREFIX + redact(explain(exc, settings)), file=sys.stderr)
        return 1
    except OSError as exc:
        if webhook is None:
            raise
        print(PREFIX + redact(f"the webhook server stopped: {exc}"), file=sys.stderr)
        return 1
    finally:
        stopper.cancel()
        if not loop.is_closed():
            loop.close()
    return 0
