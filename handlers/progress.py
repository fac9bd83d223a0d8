"""Progress reports: /capnhat, replies to task cards, edited reports, /tiendo."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from telegram import Message, Update
from telegram.ext import ContextTypes, filters

from handlers.context import engine, now, reporting
from handlers.markup import HTML
from handlers.replies import reply_pieces
from handlers.report_buttons import Pending, keyboard_for
from knowledge.report_text import parse_report
from knowledge.reporting import Outcome, Sender

__all__ = [
    "TaskCardReply",
    "edited_report",
    "progress_command",
    "reply_report",
    "report_command",
]

# The bot's task cards start with "📌 Nhiệm vụ <code>:".
_CARD = re.compile(r"📌 Nhiệm vụ (\S+?):")


def _sender(message: Message) -> Sender:
    user = message.from_user
    return Sender(
        user_id=user.id if user else 0,
        name=user.full_name if user else "",
        chat_id=message.chat_id,
        message_id=message.message_id,
        is_bot=bool(user and user.is_bot),
        forwarded=message.forward_origin is not None,
        on_behalf_of_chat=message.sender_chat is not None,
    )


async def _send(
    message: Message, outcome: Outcome, context: ContextTypes.DEFAULT_TYPE, code: str = ""
) -> None:
    pending = Pending(message.text or "", message.chat_id, message.message_id, code)
    await reply_pieces(message, outcome.text, keyboard_for(outcome, context, pending))


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take /capnhat <task> <percent|status> <note>."""
    message = update.message
    if message is None:
        return
    text = " ".join(context.args or [])
    outcome = reporting(context).submit(text, _sender(message), now(context).date(), m=HTML)
    await _send(message, outcome, context)


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
    outcome = reporting(context).submit(
        message.text or "",
        _sender(message),
        now(context).date(),
        task_code=card.group(1),
        m=HTML,
    )
    await _send(message, outcome, context, card.group(1))


async def edited_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited report amends it (edits of other messages are ignored)."""
    message = update.edited_message
    if message is None or message.text is None:
        return
    outcome = reporting(context).amend(message.text, _sender(message), datetime.now(UTC), HTML)
    if outcome is not None:
        await message.reply_text(outcome.text, do_quote=True)


async def progress_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show progress: overview, one task (/tiendo 5.3) or one body's tasks."""
    message = update.message
    if message is None:
        return
    arg = " ".join(context.args or []).strip()
    today = now(context).date()
    service = reporting(context)
    if not arg:
        text = service.overview(today, HTML)
    elif (task := engine(context).task(arg)) is not None:
        text = service.task_progress(task, today, HTML)
    else:
        found = service.agency_progress(arg, today, HTML)
        if found is None:
            hits = engine(context).suggest(arg, limit=1, kinds={"task"})
            task = engine(context).tasks.get(hits[0].id) if hits and hits[0].score >= 0.5 else None
            found = (
                service.task_progress(task, today, HTML)
                if task
                else HTML.text(f"Không tìm thấy nhiệm vụ hay cơ quan “{arg}”.")
            )
        text = found
    await reply_pieces(message, text, None)
