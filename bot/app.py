"""Build the Telegram application: engine once in post_init, handlers in a fixed order."""

from __future__ import annotations

import dataclasses
import gc
import logging

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode, UpdateType
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
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


def register_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Register every handler, in the order that matters."""
    new = filters.UpdateType.MESSAGE  # edits of old messages are not new questions
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS

    # 0. Before anything: a group upgraded to a supergroup (Telegram's service message, from
    #    the old or the new id) moves its subscription and allow-list entry; then the gate
    #    drops other bots, channels, anonymous senders, chats not allowed.
    migrate = filters.StatusUpdate.MIGRATE
    application.add_handler(MessageHandler(migrate, membership.migrated), group=-2)
    application.add_handler(TypeHandler(Update, gate.gate), group=-1)
    # 1. Commands (in groups also /cmd@botname; PTB ignores /cmd@otherbot).
    application.add_handler(CommandHandler("start", start.start, filters=new))
    application.add_handler(CommandHandler("help", start.help_command, filters=new))
    application.add_handler(CommandHandler("hoi", ask.ask_command, filters=new))
    application.add_handler(CommandHandler("chitieu", browse.indicators_command, filters=new))
    application.add_handler(CommandHandler("nhiemvu", browse.tasks_command, filters=new))
    application.add_handler(CommandHandler("coquan", browse.agency_command, filters=new))
    application.add_handler(CommandHandler("capnhat", progress.report_command, filters=new))
    application.add_handler(CommandHandler("tiendo", progress.progress_command, filters=new))
    application.add_handler(CommandHandler("quyen", roles.roles_command, filters=new))
    application.add_handler(CommandHandler("moi", invites.invite_command, filters=new))
    application.add_handler(CommandHandler("ngaylam", deadlines.calendar_command, filters=new))
    application.add_handler(CommandHandler("baocao", reports.report_command, filters=new))
    subscribe, unsubscribe = new & reports.REPORT_SUBSCRIBE, new & reports.REPORT_UNSUBSCRIBE
    application.add_handler(CommandHandler("dangky", reports.subscribe_command, subscribe))
    application.add_handler(CommandHandler("huydangky", reports.unsubscribe_command, unsubscribe))
    application.add_handler(CommandHandler("dangky", digest.subscribe_command, filters=new))
    application.add_handler(CommandHandler("huydangky", digest.unsubscribe_command, filters=new))
    application.add_handler(CommandHandler("tomtat", digest.summary_command, filters=new))
    application.add_handler(CommandHandler("bieudo", digest.chart_command, filters=new))
    application.add_handler(CommandHandler("xacnhan", review.confirm_command, filters=new))
    application.add_handler(CommandHandler("tralai", review.return_command, filters=new))
    application.add_handler(CommandHandler("imlang", quiet.quiet_command, filters=new))
    application.add_handler(CommandHandler("vanban", documents.documents_command, filters=new))
    # 2. Buttons and inline mode.
    application.add_handler(
        CallbackQueryHandler(buttons.show_button, pattern=buttons.SHOW_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(report_buttons.undo_button, pattern=report_buttons.UNDO_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(report_buttons.pick_button, pattern=report_buttons.PICK_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(
            report_buttons.document_button, pattern=report_buttons.DOCUMENT_PATTERN
        )
    )
    application.add_handler(
        CallbackQueryHandler(report_buttons.percent_button, pattern=report_buttons.PERCENT_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(evidence.evidence_button, pattern=evidence.EVIDENCE_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(review.review_button, pattern=review.REVIEW_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(documents.pin_button, pattern=documents.PIN_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(documents.which_button, pattern=documents.WHICH_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(upload.upload_button, pattern=upload.UPLOAD_PATTERN)
    )
    application.add_handler(InlineQueryHandler(inline.inline_query))
    # 3. Plain text: every message in private chats; in groups only when addressed.
    text = filters.TEXT & ~filters.COMMAND & new
    #    A reply to a task card that reads as a report is a report, not a question.
    application.add_handler(MessageHandler(text & review.ReasonReply(), review.reason_reply))
    application.add_handler(MessageHandler(text & progress.TaskCardReply(), progress.reply_report))
    application.add_handler(MessageHandler(private & text, ask.private_message))
    application.add_handler(MessageHandler(groups & text, ask.group_message))
    # 4. Files. A file whose caption is /capnhat is a report with evidence; a file replying to
    #    a report's confirmation is evidence of that report (private chats and groups). Any
    #    other document in a private chat is an upload (admins; others are refused), before
    #    the media hint; other media in private chats get a hint; the rest is ignored quietly.
    files = filters.Document.ALL | filters.PHOTO
    caption = filters.CaptionRegex(progress.CAPTION_REPORT)
    application.add_handler(MessageHandler(files & caption & new, progress.caption_report))
    application.add_handler(
        MessageHandler(files & evidence.ConfirmationReply() & new, evidence.reply_attach)
    )
    uploads = private & filters.Document.ALL & new
    application.add_handler(MessageHandler(uploads, upload.upload_document))
    media = (
        filters.Sticker.ALL | filters.PHOTO | filters.VIDEO | filters.VOICE | filters.Document.ALL
    )
    application.add_handler(MessageHandler(private & media & new, other.media_hint))
    # 5. An edited report amends it; other edits are ignored.
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, progress.edited_report)
    )
    # 6. The bot added to, removed from or blocked in a chat.
    application.add_handler(
        ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    # 7. Errors.
    application.add_error_handler(errors.on_error)
