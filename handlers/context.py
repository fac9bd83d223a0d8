"""Shared objects a handler needs, taken from ``bot_data`` (built once in ``post_init``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from telegram.ext import Application, ContextTypes

from knowledge.digest.daily import SubscriptionStore
from knowledge.engine import Engine
from knowledge.progress.reporting import Reporting
from knowledge.qa.conversation import ConversationMemory
from knowledge.qa.library import Library, Loader
from knowledge.qa.pins import PinStore

__all__ = [
    "CLOCK",
    "CONVERSATIONS",
    "ENGINE",
    "LIBRARY",
    "LIBRARY_BUILDER",
    "PINS",
    "REPORTING",
    "SUBSCRIPTIONS",
    "conversations",
    "engine",
    "install_library",
    "library",
    "loader",
    "now",
    "pins",
    "reporting",
    "subscriptions",
    "timezone",
]

# bot_data key of an optional clock (tests): a callable returning an aware datetime.
CLOCK = "clock"

ENGINE = "engine"
LIBRARY = "library"
# bot_data key of a callable building a new Library from the database (after an upload).
LIBRARY_BUILDER = "library_builder"
PINS = "pins"
CONVERSATIONS = "conversations"
REPORTING = "reporting"
SUBSCRIPTIONS = "subscriptions"


def engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    """The question-answering engine created at start-up."""
    found = context.bot_data.get(ENGINE)
    if not isinstance(found, Engine):
        raise RuntimeError("the engine is not in bot_data: build the app with bot.app")
    return found


def library(context: ContextTypes.DEFAULT_TYPE) -> Library:
    """Every stored document's engine, created at start-up (replaced after an upload)."""
    found = context.bot_data.get(LIBRARY)
    if not isinstance(found, Library):
        raise RuntimeError("the library is not in bot_data: build the app with bot.app")
    return found


def loader(context: ContextTypes.DEFAULT_TYPE) -> Loader:
    """What builds a new library after an upload, created at start-up."""
    found = context.bot_data.get(LIBRARY_BUILDER)
    if not isinstance(found, Loader):
        raise RuntimeError("the loader is not in bot_data: build the app with bot.app")
    return found


def pins(context: ContextTypes.DEFAULT_TYPE) -> PinStore:
    """Each chat's pinned document, created at start-up."""
    found = context.bot_data.get(PINS)
    if not isinstance(found, PinStore):
        raise RuntimeError("the pins are not in bot_data: build the app with bot.app")
    return found


def install_library(bot_data: dict, new: Library) -> None:  # type: ignore[type-arg]
    """Swap in a newly built library: questions, the primary engine and the write path.

    Nothing is patched: the library, the engine and the reporting service are new objects;
    a handler already running keeps the ones it took.
    """
    bot_data[LIBRARY] = new
    bot_data[ENGINE] = new.primary
    old = bot_data.get(REPORTING)
    if isinstance(old, Reporting):
        bot_data[REPORTING] = Reporting(new.primary, old.store)


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
