"""Questions: /hoi, any text in a private chat, and group messages addressed to the bot."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers.context import conversations, library, pins
from handlers.documents import choice_keyboard, remember_question
from handlers.markup import HTML
from handlers.replies import reply_pieces, send_answer
from knowledge.qa.library import LibraryAnswer

__all__ = ["addressed_text", "ask_command", "group_message", "private_message"]

USAGE = "Gõ câu hỏi sau lệnh, ví dụ: <code>/hoi ai chủ trì đề án chuyển đổi số</code>"


def addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """The question in a group message addressed to the bot, or None if not addressed.

    A message is addressed when it mentions ``@username`` or replies to one of
    the bot's own messages.

    Args:
        message: A group message.
        username: The bot's username.
        bot_id: The bot's user id.

    Returns:
        The text without the mention, or None.

    """
    text = message.text or ""
    handle = f"@{username}".casefold()
    for value in message.parse_entities([MessageEntity.MENTION]).values():
        if value.casefold() == handle:
            return text.replace(value, " ", 1).strip(" ,:;")
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None


def _replied_to_bot(message: Message, bot_id: int) -> int | None:
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return None
    return replied.message_id


async def _answer(message: Message, question: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not question.strip():
        await message.reply_text(USAGE)
        return
    memory = conversations(context)
    private = message.chat.type == ChatType.PRIVATE
    reply_to = _replied_to_bot(message, context.bot.id)
    last = memory.get(message.chat_id, reply_to, chat_wide=private)
    pinned = pins(context).get(message.chat_id)
    answer = library(context).ask(question, HTML, context=last, document=pinned)
    if isinstance(answer, LibraryAnswer) and answer.choices:
        sent = await reply_pieces(message, answer.text, choice_keyboard(answer))
        remember_question(context, sent[-1].message_id, question)
        return
    sent = await send_answer(message, answer)
    memory.remember(message.chat_id, answer.context, tuple(m.message_id for m in sent))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /hoi <câu hỏi> (also /hoi@botname in groups)."""
    if update.message is None:
        return
    await _answer(update.message, " ".join(context.args or []), context)


async def private_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer any text in a private chat."""
    if update.message is None or update.message.text is None:
        return
    await _answer(update.message, update.message.text, context)


async def group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a group message only when it mentions the bot or replies to it."""
    message = update.message
    if message is None or message.text is None:
        return
    question = addressed_text(message, context.bot.username, context.bot.id)
    if question is None:
        return
    await _answer(message, question, context)
