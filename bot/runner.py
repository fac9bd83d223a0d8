"""``ctbot run``: long polling with a bounded stop and one clear line when Telegram says no.

* SIGTERM / SIGINT drop the backlog and cancel running handlers (see :mod:`bot.fairness`),
  then stop PTB's application; if that still takes longer than ``Fairness.stop_timeout`` the
  process exits anyway.
* A token Telegram rejects, a wrong ``TELEGRAM_BASE_URL`` or an unreachable Bot API end in
  one line on stderr and exit code 1: no traceback, and never the token.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.fairness import FairUpdateProcessor
from bot.logs import Redactor, install_excepthooks, setup_logging
from bot.settings import Settings
from knowledge.store import open_database

__all__ = ["explain", "run"]

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


def run(settings: Settings) -> int:
    """Run the bot until SIGTERM / SIGINT.

    Args:
        settings: The checked settings.

    Returns:
        0 after a clean stop, 1 when the Bot API refused or could not be reached.

    """
    setup_logging(settings.token)
    install_excepthooks(settings.token)
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
        application.run_polling(allowed_updates=ALLOWED_UPDATES, stop_signals=None)
    except TelegramError as exc:
        print(PREFIX + Redactor(settings.token)(explain(exc, settings)), file=sys.stderr)
        return 1
    finally:
        stopper.cancel()
        if not loop.is_closed():
            loop.close()
    return 0
