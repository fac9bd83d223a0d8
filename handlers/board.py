"""/bang: open the progress board (a Telegram Mini App) in a private chat; menu buttons."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.context import reporting

__all__ = ["BOARD_URL", "board_button", "board_command", "board_markup", "set_menu_buttons"]

log = logging.getLogger(__name__)

# bot_data key of the board's public https address (None: no board).
BOARD_URL = "board_url"
LABEL = "Bảng tiến độ"
OFF = "Bảng tiến độ chưa được bật trên máy chủ này."
NOT_ALLOWED = (
    "Bảng tiến độ dành cho quản trị viên và cán bộ được giao cập nhật "
    "(nhờ quản trị viên dùng /quyen)."
)


def board_button(url: str) -> InlineKeyboardMarkup:
    """An inline button that opens the board (Mini App buttons work in private chats only)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"📊 {LABEL}", web_app=WebAppInfo(url))]])


def board_markup(
    context: ContextTypes.DEFAULT_TYPE, chat_type: str
) -> InlineKeyboardMarkup | None:
    """The board's button for a message to a private chat, when the board is on; else None.

    For ``/tiendo`` and the digest: ``reply_markup=board_markup(context, message.chat.type)``.
    Telegram allows Mini App buttons in private chats only.
    """
    url: str | None = context.bot_data.get(BOARD_URL)
    return board_button(url) if url and chat_type == ChatType.PRIVATE else None


async def board_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the board's button to an admin or reporter in a private chat."""
    message = update.message
    if message is None or message.from_user is None:
        return
    url: str | None = context.bot_data.get(BOARD_URL)
    if not url:
        await message.reply_text(OFF)
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(
            f"Bảng tiến độ mở trong tin nhắn riêng: gửi /bang cho @{context.bot.username}."
        )
        return
    if reporting(context).store.member(message.from_user.id) is None:
        await message.reply_text(NOT_ALLOWED)
        return
    await _set_menu_button(context.bot, message.chat_id, url)
    await message.reply_text(
        "📊 Bảng tiến độ: tổng quan, theo cơ quan, từng nhiệm vụ và chỉ tiêu. "
        "Chỉ xem, không ghi. Nút “Bảng tiến độ” cũng nằm ở menu cạnh ô soạn tin.",
        reply_markup=board_button(url),
    )


async def set_menu_buttons(bot: Bot, url: str, user_ids: Iterable[int]) -> None:
    """At start: the board as the menu button of each member's private chat with the bot."""
    for user_id in user_ids:
        await _set_menu_button(bot, user_id, url)


async def _set_menu_button(bot: Bot, chat_id: int, url: str) -> None:
    try:
        await bot.set_chat_menu_button(
            chat_id=chat_id, menu_button=MenuButtonWebApp(LABEL, WebAppInfo(url))
        )
    except TelegramError as error:
        # A member who never started the bot has no private chat yet.
        log.info("no board menu button for chat %s: %s", chat_id, error)
