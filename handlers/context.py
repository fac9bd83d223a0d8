"""Shared objects a handler needs, taken from ``bot_data`` (built once in ``post_init``)."""

from __future__ import annotations

from telegram.ext import ContextTypes

from knowledge.engine import Engine
from knowledge.reporting import Reporting

__all__ = ["ENGINE", "REPORTING", "engine", "reporting"]

ENGINE = "engine"
REPORTING = "reporting"


def engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    """The question-answering engine created at start-up."""
    found = context.bot_data.get(ENGINE)
    if not isinstance(found, Engine):
        raise RuntimeError("the engine is not in bot_data: build the app with bot.app")
    return found


def reporting(context: ContextTypes.DEFAULT_TYPE) -> Reporting:
    """The progress-report service created at start-up."""
    found = context.bot_data.get(REPORTING)
    if not isinstance(found, Reporting):
        raise RuntimeError("the reporting service is not in bot_data: build the app with bot.app")
    return found
