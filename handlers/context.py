"""Shared objects a handler needs, taken from ``bot_data`` (built once in ``post_init``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from telegram.ext import Application, ContextTypes

from knowledge.digest.daily import SubscriptionStore
from knowledge.engine import Engine
from knowledge.progress.reporting import Reporting
from knowledge.qa.conversation import ConversationMemory

__all__ = [
    "CLOCK",
    "CONVERSATIONS",
    "ENGINE",
    "REPORTING",
    "SUBSCRIPTIONS",
    "conversations",
    "engine",
    "now",
    "reporting",
    "subscriptions",
    "timezone",
]

# bot_data key of an optional clock (tests): a callable returning an aware datetime.
CLOCK = "clock"

ENGINE = "engine"
CONVERSATIONS = "conversations"
REPORTING = "reporting"
SUBSCRIPTIONS = "subscriptions"


def engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    """The question-answering engine created at start-up."""
    found = context.bot_data.get(ENGINE)
    if not isinstance(found, Engine):
        raise RuntimeError("the engine is not in bot_data: build the app with bot.app")
    return found


def conversations(context: ContextTypes.DEFAULT_TYPE) -> ConversationMemory:
    """Each chat's and each bot message's question context, created at start-up."""
    found = context.bot_data.get(CONVERSATIONS)
    if not isinstance(found, ConversationMemory):
        raise RuntimeError("conversations are not in bot_data: build the app with bot.app")
    return found


def reporting(context: ContextTypes.DEFAULT_TYPE) -> Reporting:
    """The progress-report service created at start-up."""
    found = context.bot_data.get(REPORTING)
    if not isinstance(found, Reporting):
        raise RuntimeError("the reporting service is not in bot_data: build the app with bot.app")
    return found


def subscriptions(context: ContextTypes.DEFAULT_TYPE) -> SubscriptionStore:
    """The digest subscriptions created at start-up."""
    found = context.bot_data.get(SUBSCRIPTIONS)
    if not isinstance(found, SubscriptionStore):
        raise RuntimeError("subscriptions are not in bot_data: build the app with bot.app")
    return found


def now(context: ContextTypes.DEFAULT_TYPE | Application) -> datetime:  # type: ignore[type-arg]
    """The current time in the bot's time zone (or the test clock in ``bot_data``)."""
    clock: Callable[[], datetime] | None = context.bot_data.get(CLOCK)
    if clock is not None:
        return clock()
    return datetime.now(timezone(context))


def timezone(context: ContextTypes.DEFAULT_TYPE | Application) -> tzinfo | None:  # type: ignore[type-arg]
    """The bot's time zone (``Defaults(tzinfo=...)``, from ``CTBOT_TIMEZONE``)."""
    return context.bot.defaults.tzinfo if context.bot.defaults else None
