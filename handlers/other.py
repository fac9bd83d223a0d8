"""Messages the bot cannot answer: stickers, photos and other media in private chats."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

__all__ = ["media_hint"]

HINT = "Mình chỉ đọc được chữ. Gõ câu hỏi, ví dụ: <code>chỉ tiêu che phủ rừng</code> hoặc /help."


async def media_hint(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with a one-line hint."""
    if update.message is not None:
        await update.message.reply_text(HINT)
