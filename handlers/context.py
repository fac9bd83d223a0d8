"""Shared objects a handler needs, taken from ``bot_data`` (built once in ``post_init``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TypeVar

from telegram.ext import Application, ContextTypes

from knowledge.digest.daily import SubscriptionStore
from knowledge.engine import Engine
from knowledge.progress.log import ProgressStore
from knowledge.progress.reporting import Pins, Reporting, shelves
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
    "current_reporting",
    "engine",
    "install_library",
    "library",
    "loader",
    "new_reporting",
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


_T = TypeVar("_T")


def _get(context: ContextTypes.DEFAULT_TYPE, key: str, kind: type[_T], what: str) -> _T:
    """``bot_data[key]``, which ``bot.app`` put there at start-up, checked to be a ``kind``."""
    found = context.bot_data.get(key)
    if not isinstance(found, kind):
        raise RuntimeError(f"{what} is not in bot_data: build the app with bot.app")
    return found


def engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    """The question-answering engine created at start-up."""
    return _get(context, ENGINE, Engine, "the engine")


def library(context: ContextTypes.DEFAULT_TYPE) -> Library:
    """Every stored document's engine, created at start-up (replaced after an upload)."""
    return _get(context, LIBRARY, Library, "the library")


def loader(context: ContextTypes.DEFAULT_TYPE) -> Loader:
    """What builds a new library after an upload, created at start-up."""
    return _get(context, LIBRARY_BUILDER, Loader, "the loader")


def pins(context: ContextTypes.DEFAULT_TYPE) -> PinStore:
    """Each chat's pinned document, created at start-up."""
    return _get(context, PINS, PinStore, "the pins")


def install_library(bot_data: dict, new: Library) -> None:  # type: ignore[type-arg]
    """Swap in a newly built library: questions, the primary engine and the write path.

    Nothing is patched: the library, the engine and the reporting service are new objects;
    a handler already running keeps the ones it took.
    """
    bot_data[LIBRARY] = new
    bot_data[ENGINE] = new.primary
    old = bot_data.get(REPORTING)
    if isinstance(old, Reporting):
        bot_data[REPORTING] = new_reporting(new, old.store, old.pins)


def new_reporting(books: Library, store: ProgressStore, pinned: Pins | None) -> Reporting:
    """The write path over every document of ``books`` (task codes resolved per document)."""
    return Reporting(books.primary, store, shelves(books), pinned)


def conversations(context: ContextTypes.DEFAULT_TYPE) -> ConversationMemory:
    """Each chat's and each bot message's question context, created at start-up."""
    return _get(context, CONVERSATIONS, ConversationMemory, "conversations")


def reporting(context: ContextTypes.DEFAULT_TYPE) -> Reporting:
    """The progress-report service created at start-up."""
    return _get(context, REPORTING, Reporting, "the reporting service")


def current_reporting(bot_data: dict) -> Callable[[], Reporting]:  # type: ignore[type-arg]
    """A provider of the reporting service in ``bot_data`` now (it is replaced after an upload).

    For collaborators built once at start-up (the board's web server): they ask it on every
    use instead of keeping the service they were given.
    """

    def current() -> Reporting:
        found = bot_data.get(REPORTING)
        if not isinstance(found, Reporting):
            raise RuntimeError(
                "the reporting service is not in bot_data: build the app with bot.app"
            )
        return found

    return current


def subscriptions(context: ContextTypes.DEFAULT_TYPE) -> SubscriptionStore:
    """The digest subscriptions created at start-up."""
    return _get(context, SUBSCRIPTIONS, SubscriptionStore, "subscriptions")


def now(context: ContextTypes.DEFAULT_TYPE | Application) -> datetime:  # type: ignore[type-arg]
    """The current time in the bot's time zone (or the test clock in ``bot_data``)."""
    clock: Callable[[], datetime] | None = context.bot_data.get(CLOCK)
    if clock is not None:
        return clock()
    return datetime.now(timezone(context))


def timezone(context: ContextTypes.DEFAULT_TYPE | Application) -> tzinfo | None:  # type: ignore[type-arg]
    """The bot's time zone (``Defaults(tzinfo=...)``, from ``CTBOT_TIMEZONE``)."""
    return context.bot.defaults.tzinfo if context.bot.defaults else None
