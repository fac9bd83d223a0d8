"""Build the Telegram application: engine once in post_init, handlers in a fixed order."""

from __future__ import annotations

import dataclasses
import gc
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode, UpdateType
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.board_server import BoardServer
from bot.fairness import FairUpdateProcessor
from bot.settings import Settings
from handlers import (
    ask,
    board,
    browse,
    buttons,
    deadlines,
    digest,
    documents,
    errors,
    evidence,
    gate,
    inline,
    invites,
    membership,
    menus,
    other,
    progress,
    quiet,
    report_buttons,
    reports,
    review,
    roles,
    start,
    upload,
)
from handlers.commands import BOARD_COMMAND
from handlers.context import (
    CONVERSATIONS,
    LIBRARY_BUILDER,
    PINS,
    REPORTING,
    SUBSCRIPTIONS,
    current_reporting,
    install_library,
    new_reporting,
    now,
)
from knowledge.digest.chats import ChatRegistry
from knowledge.digest.daily import SubscriptionStore
from knowledge.programme.store import open_database
from knowledge.progress.log import ProgressStore
from knowledge.progress.office import BOT_USERNAME, OfficeSettings
from knowledge.progress.reporting import Reporting
from knowledge.qa.conversation import ConversationMemory
from knowledge.qa.library import Loader
from knowledge.qa.pins import PinStore
from knowledge.qa.progress_view import StoreProgress

__all__ = ["ALLOWED_UPDATES", "DB", "build_application"]

log = logging.getLogger(__name__)

# Only what the bot handles: no channel posts, no other members' churn, but the bot's own
# membership (added, removed, blocked).
ALLOWED_UPDATES = [
    UpdateType.MESSAGE,
    UpdateType.EDITED_MESSAGE,
    UpdateType.CALLBACK_QUERY,
    UpdateType.INLINE_QUERY,
    UpdateType.MY_CHAT_MEMBER,
]
DB = "db"
BOARD = "board_server"


def _post_init(settings: Settings):  # type: ignore[no-untyped-def]
    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        """Open the database, build the library once, publish the command menu."""
        db = open_database(settings.db_path)
        application.bot_data[DB] = db
        store = ProgressStore(db, settings.admin_ids)
        # Task cards and progress questions read where each task stands.
        today = lambda: now(application).date()  # noqa: E731 (the test clock when set)
        # One engine per document; the write path uses the primary one (loaded last).
        shelf = Loader(db, progress=StoreProgress(store, today))
        library = shelf.build()
        engine = library.primary
        pinned = PinStore(db)
        service = new_reporting(library, store, pinned)
        install_library(application.bot_data, library)
        application.bot_data[REPORTING] = service
        application.bot_data[LIBRARY_BUILDER] = shelf
        application.bot_data[PINS] = pinned
        application.bot_data[CONVERSATIONS] = ConversationMemory()
        gc.freeze()  # the engines live as long as the bot: keep them out of full collections
        application.bot_data[SUBSCRIPTIONS] = SubscriptionStore(db)
        digest.schedule_all(application)
        deadlines.schedule_deadlines(application)
        reports.schedule_reports(application)
        # Allowed chats stay allowed under the ids they migrated to.
        allowed = ChatRegistry(db).successors(settings.allowed_chats)
        application.bot_data[gate.ALLOWED_CHATS] = allowed
        # Menus per scope (admins see the admin commands) and the description.
        await menus.publish_menus(application)
        await menus.set_description(application, engine.programme.title)
        OfficeSettings(db).put(BOT_USERNAME, application.bot.username)
        if _board_on(settings):
            await _start_board(application, settings, service)
        log.info("ctbot ready as @%s", application.bot.username)

    return post_init


def _board_on(settings: Settings) -> bool:
    return settings.web_listen is not None and settings.web_url is not None


async def _start_board(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    service: Reporting,
) -> None:
    """Serve the progress board in this event loop; put it in members' chat menus."""
    assert settings.web_listen is not None and settings.web_url is not None
    host, port = settings.web_listen
    server = BoardServer(
        current_reporting(application.bot_data),
        token=settings.token,
        host=host,
        port=port,
        max_age=settings.web_max_age,
        clock=lambda: now(application),
    )
    await server.start()
    application.bot_data[BOARD] = server
    application.bot_data[board.BOARD_URL] = settings.web_url
    members = [m.user_id for m in service.store.members()]
    await board.set_menu_buttons(application.bot, settings.web_url, members)


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    server = application.bot_data.pop(BOARD, None)
    if server is not None:
        await server.stop()
    db = application.bot_data.get(DB)
    if db is not None:
        db.close()


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    """Build the application for ``settings``; nothing touches the network until it starts.

    Args:
        settings: Token, endpoints, database, time zone, allow-list, limits.
        request: Request backend for Bot API calls (tests pass an in-process fake).
        get_updates_request: Request backend for ``getUpdates``.

    Returns:
        The application with every handler registered.

    """
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Bounded (unbounded concurrency collapses throughput on httpx's pool) and fair: one
        # chat's flood waits in its own lane, not in front of everyone else.
        .concurrent_updates(
            FairUpdateProcessor(
                dataclasses.replace(settings.fairness, concurrency=settings.concurrency),
                settings.allowed_chats,
            )
        )
        .post_init(_post_init(settings))
        .post_shutdown(_post_shutdown)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    if settings.base_file_url:
        builder = builder.base_file_url(settings.base_file_url)
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if settings.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    application = builder.build()
    register_handlers(application)
    if _board_on(settings):
        application.add_handler(
            CommandHandler(
                BOARD_COMMAND.name, board.board_command, filters=filters.UpdateType.MESSAGE
            )
        )
    return application


#: A handler's callback, as PTB's ``examples/`` type them.
_Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
_NEW = filters.UpdateType.MESSAGE  # edits of old messages are not new questions


def register_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Register every handler, in the order that matters."""
    _register_gatekeepers(application)
    for command, callback, only in _commands():
        application.add_handler(CommandHandler(command, callback, filters=only))
    for callback, pattern in _buttons():
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(InlineQueryHandler(inline.inline_query))
    for only, callback in (*_text_messages(), *_file_messages(), *_edited_messages()):
        application.add_handler(MessageHandler(only, callback))
    # The bot added to, removed from or blocked in a chat.
    application.add_handler(
        ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_error_handler(errors.on_error)


def _register_gatekeepers(application: Application) -> None:  # type: ignore[type-arg]
    """Before anything: migrations (group -2), then the gate (group -1).

    A group upgraded to a supergroup (Telegram's service message, from the old or the new
    id) moves its subscription and allow-list entry; then the gate drops other bots,
    channels, anonymous senders, chats not allowed.
    """
    migrate = filters.StatusUpdate.MIGRATE
    application.add_handler(MessageHandler(migrate, membership.migrated), group=-2)
    application.add_handler(TypeHandler(Update, gate.gate), group=-1)


def _commands() -> list[tuple[str, _Callback, filters.BaseFilter]]:
    """(command, callback, filter) in the order they are tried.

    In groups also /cmd@botname; PTB ignores /cmd@otherbot. "/dangky baocao ..." and
    "/huydangky baocao ..." are periodic reports, before the daily digest's same commands.
    """
    return [
        ("start", start.start, _NEW),
        ("help", start.help_command, _NEW),
        ("hoi", ask.ask_command, _NEW),
        ("chitieu", browse.indicators_command, _NEW),
        ("nhiemvu", browse.tasks_command, _NEW),
        ("coquan", browse.agency_command, _NEW),
        ("capnhat", progress.report_command, _NEW),
        ("tiendo", progress.progress_command, _NEW),
        ("quyen", roles.roles_command, _NEW),
        ("moi", invites.invite_command, _NEW),
        ("ngaylam", deadlines.calendar_command, _NEW),
        ("baocao", reports.report_command, _NEW),
        ("dangky", reports.subscribe_command, _NEW & reports.REPORT_SUBSCRIBE),
        ("huydangky", reports.unsubscribe_command, _NEW & reports.REPORT_UNSUBSCRIBE),
        ("dangky", digest.subscribe_command, _NEW),
        ("huydangky", digest.unsubscribe_command, _NEW),
        ("tomtat", digest.summary_command, _NEW),
        ("bieudo", digest.chart_command, _NEW),
        ("xacnhan", review.confirm_command, _NEW),
        ("tralai", review.return_command, _NEW),
        ("imlang", quiet.quiet_command, _NEW),
        ("vanban", documents.documents_command, _NEW),
    ]


def _buttons() -> list[tuple[_Callback, str]]:
    """(callback, pattern of its callback data) for every inline button."""
    return [
        (buttons.show_button, buttons.SHOW_PATTERN),
        (report_buttons.undo_button, report_buttons.UNDO_PATTERN),
        (report_buttons.pick_button, report_buttons.PICK_PATTERN),
        (report_buttons.document_button, report_buttons.DOCUMENT_PATTERN),
        (report_buttons.percent_button, report_buttons.PERCENT_PATTERN),
        (evidence.evidence_button, evidence.EVIDENCE_PATTERN),
        (review.review_button, review.REVIEW_PATTERN),
        (documents.pin_button, documents.PIN_PATTERN),
        (documents.which_button, documents.WHICH_PATTERN),
        (upload.upload_button, upload.UPLOAD_PATTERN),
    ]


def _text_messages() -> list[tuple[filters.BaseFilter, _Callback]]:
    """Plain text: every message in private chats; in groups only when addressed.

    A reply to a task card that reads as a report is a report, not a question.
    """
    text = filters.TEXT & ~filters.COMMAND & _NEW
    return [
        (text & review.ReasonReply(), review.reason_reply),
        (text & progress.TaskCardReply(), progress.reply_report),
        (filters.ChatType.PRIVATE & text, ask.private_message),
        (filters.ChatType.GROUPS & text, ask.group_message),
    ]


def _file_messages() -> list[tuple[filters.BaseFilter, _Callback]]:
    """Files and media, first match wins.

    A file whose caption is /capnhat is a report with evidence; a file replying to a
    report's confirmation is evidence of that report (private chats and groups). Any other
    document in a private chat is an upload (admins; others are refused), before the media
    hint; other media in private chats get a hint; the rest is ignored quietly.
    """
    private = filters.ChatType.PRIVATE
    files = filters.Document.ALL | filters.PHOTO
    caption = filters.CaptionRegex(progress.CAPTION_REPORT)
    media = (
        filters.Sticker.ALL | filters.PHOTO | filters.VIDEO | filters.VOICE | filters.Document.ALL
    )
    return [
        (files & caption & _NEW, progress.caption_report),
        (files & evidence.ConfirmationReply() & _NEW, evidence.reply_attach),
        (private & filters.Document.ALL & _NEW, upload.upload_document),
        (private & media & _NEW, other.media_hint),
    ]


def _edited_messages() -> list[tuple[filters.BaseFilter, _Callback]]:
    """An edited report amends it; other edits are ignored."""
    return [(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, progress.edited_report)]
