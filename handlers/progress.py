"""Progress reports: /capnhat, replies to task cards, edits, undo and pick buttons, /tiendo."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes, filters

from handlers.chunks import split_message
from handlers.context import engine, now, reporting
from handlers.markup import HTML
from handlers.replies import reply_pieces
from knowledge.report_text import command_body, parse_report
from knowledge.reporting import Outcome, Sender

__all__ = [
    "PICK_PATTERN",
    "UNDO_PATTERN",
    "TaskCardReply",
    "edited_report",
    "pick_button",
    "progress_command",
    "reply_report",
    "report_command",
    "undo_button",
]

UNDO = "undo"
PICK = "pick"
UNDO_PATTERN = rf"^{UNDO}\|"
PICK_PATTERN = rf"^{PICK}\|"
# The bot's task cards start with "📌 Nhiệm vụ <code>:".
_CARD = re.compile(r"📌 Nhiệm vụ (\S+?):")
# Pending reports awaiting a pick, per user: token → (text, chat id, message id).
PENDING = "pending_reports"


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


def _undo_keyboard(outcome: Outcome) -> InlineKeyboardMarkup | None:
    """The "Hoàn tác" button under a saved report's confirmation."""
    if outcome.kind != "saved" or outcome.report is None:
        return None
    data = f"{UNDO}|{outcome.report.id}"
    return InlineKeyboardMarkup([[InlineKeyboardButton("↩️ Hoàn tác", callback_data=data)]])


async def _send(message: Message, outcome: Outcome, context: ContextTypes.DEFAULT_TYPE) -> None:
    markup = _undo_keyboard(outcome)
    if outcome.kind == "choose":
        token = secrets.token_hex(4)
        pending = (
            context.user_data.setdefault(PENDING, {}) if context.user_data is not None else {}
        )
        pending[token] = (message.text or "", message.chat_id, message.message_id)
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(f"{c.title}"[:60], callback_data=f"{PICK}|{token}|{c.id}")]
                for c in outcome.choices
            ]
        )
    await reply_pieces(message, outcome.text, markup)


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
        return parsed.percent is not None or bool(parsed.status) or parsed.bad_percent


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
    await _send(message, outcome, context)


async def edited_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited report amends it (edits of other messages are ignored)."""
    message = update.edited_message
    if message is None or message.text is None:
        return
    outcome = reporting(context).amend(message.text, _sender(message), now(context).date(), m=HTML)
    if outcome is not None:
        await message.reply_text(outcome.text, do_quote=True)


async def undo_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Undo a report from its confirmation's button."""
    query = update.callback_query
    if query is None or query.data is None or query.from_user is None:
        return
    report_id = int(query.data.split("|", 1)[1]) if query.data.split("|", 1)[1].isdigit() else 0
    sender = Sender(user_id=query.from_user.id, name=query.from_user.full_name)
    if query.message is not None:
        sender = Sender(
            user_id=query.from_user.id,
            name=query.from_user.full_name,
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
        )
    outcome = reporting(context).undo(report_id, sender, datetime.now(UTC), m=HTML)
    if outcome.kind != "saved":
        await query.answer(re.sub(r"<[^>]+>", "", outcome.text)[:200], show_alert=True)
        return
    await query.answer("Đã hoàn tác.")
    await query.edit_message_reply_markup(None)
    if query.message is not None and isinstance(query.message, Message):
        await query.message.reply_text(outcome.text)


async def pick_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write a pending report to the task the user picked."""
    query = update.callback_query
    if query is None or query.data is None or query.from_user is None:
        return
    _, token, code = [*query.data.split("|", 2), "", ""][:3]
    pending = (context.user_data or {}).get(PENDING, {})
    task = engine(context).task(code)
    if token not in pending or task is None:
        await query.answer("Yêu cầu đã hết hạn, hãy gửi lại /capnhat.", show_alert=True)
        return
    text, chat_id, message_id = pending.pop(token)
    sender = Sender(
        user_id=query.from_user.id,
        name=query.from_user.full_name,
        chat_id=chat_id,
        message_id=message_id,
    )
    outcome = reporting(context).write_task(
        task, parse_report(command_body(text)), sender, now(context).date(), HTML
    )
    await query.answer()
    await query.edit_message_text(outcome.text, reply_markup=_undo_keyboard(outcome))


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
    for piece in split_message(text):
        await message.reply_text(piece)
