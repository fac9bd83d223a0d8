"""Progress reports: /capnhat (also as a file's caption), replies to task cards, edits, /tiendo.

In a quiet chat (groups unless ``/imlang tat``) a saved report gets 👍 and a one-line
confirmation with its undo button instead of the full card.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes, filters

from handlers import board, evidence, review
from handlers.context import conversations, now, reporting
from handlers.markup import HTML
from handlers.replies import reply_pieces
from handlers.report_buttons import Pending, keyboard_for, quiet_here, react
from handlers.senders import sender_of
from knowledge.programme.model import Task
from knowledge.progress.evidence import Attachment
from knowledge.progress.log import ADMIN
from knowledge.progress.report_text import parse_report
from knowledge.progress.reporting import Outcome
from knowledge.qa.library import DocumentContext

__all__ = [
    "CAPTION_REPORT",
    "TaskCardReply",
    "caption_report",
    "edited_report",
    "progress_command",
    "reply_report",
    "report_command",
]

# The bot's task cards start with "📌 Nhiệm vụ <code>:".
_CARD = re.compile(r"📌 Nhiệm vụ (\S+?):")
# A document or photo whose caption is a report (CommandHandler does not read captions).
CAPTION_REPORT = r"^/capnhat(?:@(\w+))?(?:\s|$)"


async def _send(
    message: Message,
    outcome: Outcome,
    context: ContextTypes.DEFAULT_TYPE,
    code: str = "",
    attachment: Attachment | None = None,
    document: int | None = None,
) -> None:
    text = message.text or message.caption or ""
    pending = Pending(
        text, message.chat_id, message.message_id, code, attachment=attachment, document=document
    )
    markup = keyboard_for(outcome, context, pending)
    if outcome.kind == "saved" and quiet_here(context, message.chat_id, message.chat.type):
        await react(context, message.chat_id, message.message_id)
        await message.reply_text(outcome.short or outcome.text, do_quote=True, reply_markup=markup)
        return
    await reply_pieces(message, outcome.text, markup)


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take /capnhat <task> <percent|status> <note>."""
    message = update.message
    if message is None:
        return
    text = " ".join(context.args or [])
    outcome = reporting(context).submit(text, sender_of(message), now(context).date(), m=HTML)
    await _send(message, outcome, context)


async def caption_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a report sent as the caption of a document or photo; keep the file as evidence."""
    message = update.message
    file = evidence.attachment_of(message) if message else None
    if message is None or file is None:
        return
    caption = message.caption or ""
    addressed = re.match(CAPTION_REPORT, caption)
    named = addressed.group(1) if addressed else None
    if named and named.casefold() != (context.bot.username or "").casefold():
        return  # /capnhat@otherbot
    parts = caption.split(maxsplit=1)
    body = parts[1] if len(parts) > 1 else ""
    outcome = reporting(context).submit(
        body, sender_of(message), now(context).date(), m=HTML, attachment=file
    )
    await _send(message, outcome, context, attachment=file)


class TaskCardReply(filters.MessageFilter):
    """A reply to one of the bot's task cards that reads as a report ("70% đã trình")."""

    def filter(self, message: Message) -> bool:
        """Whether the message is such a reply."""
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        if not _CARD.search(replied.text or ""):
            return False
        parsed = parse_report(message.text or "")
        return (
            parsed.percent is not None
            or bool(parsed.status)
            or parsed.bad_percent
            or parsed.ambiguous_percent
        )


async def reply_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a report made by replying to a task card."""
    message = update.message
    if message is None or message.reply_to_message is None:
        return
    if message.reply_to_message.from_user is None or (
        message.reply_to_message.from_user.id != context.bot.id
    ):
        return
    card = _CARD.search(message.reply_to_message.text or "")
    if card is None:
        return
    document = _card_document(context, message.chat_id, message.reply_to_message.message_id)
    outcome = reporting(context).submit(
        message.text or "",
        sender_of(message),
        now(context).date(),
        task_code=card.group(1),
        m=HTML,
        document=document,
    )
    await _send(message, outcome, context, card.group(1), document=document)


def _card_document(context: ContextTypes.DEFAULT_TYPE, chat_id: int, card_id: int) -> int | None:
    """The document a task card was answered from (remembered with the card), if known."""
    remembered = conversations(context).get(chat_id, card_id, chat_wide=False)
    return remembered.document if isinstance(remembered, DocumentContext) else None


async def edited_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited report amends it (edits of other messages are ignored)."""
    message = update.edited_message
    if message is None or message.text is None:
        return
    outcome = reporting(context).amend(message.text, sender_of(message), datetime.now(UTC), HTML)
    if outcome is not None:
        await message.reply_text(outcome.text, do_quote=True)


async def progress_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show progress: overview, one task (/tiendo 5.3) or one body's tasks."""
    message = update.message
    if message is None:
        return
    arg = " ".join(context.args or []).strip()
    text, task = _progress_text(context, arg, message.chat_id)
    await reply_pieces(message, text, _task_keyboard(context, task, message))


def _progress_text(
    context: ContextTypes.DEFAULT_TYPE, arg: str, chat_id: int
) -> tuple[str, Task | None]:
    """What /tiendo shows for ``arg``, and the task it is about (None for lists)."""
    today = now(context).date()
    service = reporting(context)
    if not arg:
        return service.overview(today, HTML), None
    found = service.find_task(arg, chat_id)
    if isinstance(found, list):  # the code is in several documents: each one's card
        tasks = [t for d in found if (t := d.engine.task(arg)) is not None]
        return "\n\n".join(service.task_progress(t, today, HTML) for t in tasks), None
    if found is not None:
        return service.task_progress(found, today, HTML), found
    listed = service.agency_progress(arg, today, HTML)
    if listed is not None:
        return listed, None
    named = service.tasks_by_words(arg, chat_id)  # every document, the chat's pin first
    if not named:
        return HTML.text(f"Không tìm thấy nhiệm vụ hay cơ quan “{arg}”."), None
    cards = "\n\n".join(service.task_progress(t, today, HTML) for t in named)
    return cards, named[0] if len(named) == 1 else None


def _task_keyboard(
    context: ContextTypes.DEFAULT_TYPE, task: Task | None, message: Message
) -> InlineKeyboardMarkup | None:
    """The buttons under /tiendo: evidence and review for a task, the board for the overview.

    Review buttons are offered only when the one asking is an admin now (anyone may press a
    button they see; the press is checked again).
    """
    if task is None:  # the overview: the board's button, in a private chat when it is on
        return board.board_markup(context, message.chat.type)
    service = reporting(context)
    rows = evidence.rows(service.evidence.for_task(service.key_of(task)))
    user = message.from_user
    member = service.store.member(user.id) if user else None
    if member is not None and member.role == ADMIN and message.sender_chat is None:
        rows += review.rows(task, service.state_of(task))
    return InlineKeyboardMarkup(rows) if rows else None
