"""Helpers shared by the Telegram tests: an initialised app on the fake Bot API, feeding it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings
from handlers.context import CLOCK
from tests.fakebot import FakeRequest, FakeTelegram, to_ptb_update


async def started_app(fake: FakeTelegram, **settings: Any) -> Application:  # type: ignore[type-arg]
    """The real Application, initialised with its engine and services, on ``fake`` in-process.

    ``settings`` are :class:`Settings` fields, plus ``clock``: a fixed "now" for the handlers.
    ``post_init`` is called by hand: ``run_polling`` would, but it cannot run in pytest's loop.
    """
    settings.setdefault("rate_limit", False)
    clock = settings.pop("clock", None)
    app = build_application(Settings(token=fake.token, **settings), request=FakeRequest(fake))
    if clock is not None:
        app.bot_data[CLOCK] = lambda: clock
    await app.initialize()
    await app.post_init(app)  # type: ignore[misc]
    return app


def database_with(path: Path, *texts: str) -> Path:
    """A database at ``path`` holding the bundled programme and each document of ``texts``."""
    from knowledge.programme.store import load_programme, open_database

    db = open_database(path)
    for text in texts:
        load_programme(db, text)
    db.conn.close()
    return path


async def feed(app: Application, update: dict[str, Any]) -> None:  # type: ignore[type-arg]
    """Process one update built by :mod:`tests.fakebot.updates`."""
    await app.process_update(to_ptb_update(update, app.bot))


def obj(value: Any) -> Any:
    """Bot API parameters may arrive JSON-encoded or decoded."""
    return json.loads(value) if isinstance(value, str) else value
