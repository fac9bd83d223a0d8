"""The error handler: log the failure (never the token) and tell the user once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

__all__ = ["on_error"]

log = logging.getLogger(__name__)
SORRY = "Xin lỗi, có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút."


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log errors raised by handlers; apologise to the user for unexpected ones."""
    error = context.error
    if isinstance(error, (NetworkError, Forbidden)):
        log.warning("Telegram request failed: %s", error)
        return
    log.error("update handling failed", exc_info=error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(SORRY)
        except TelegramError:
            log.warning("could not tell the user about the error")
