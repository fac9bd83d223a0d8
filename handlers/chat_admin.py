"""Who may change a chat's settings (digest and report subscriptions)."""

from __future__ import annotations

from telegram import Message
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from handlers.context import reporting
from knowledge.progress.log import ADMIN

__all__ = ["manager_or_refuse", "may_manage"]


async def may_manage(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a private chat anyone; in a group its administrators and the bot's admins."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
        return True  # an anonymous admin of this group
    user = message.from_user
    if user is None:
        return False
    member = reporting(context).store.member(user.id)
    if member is not None and member.role == ADMIN:
        return True
    status = (await context.bot.get_chat_member(message.chat_id, user.id)).status
    return status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def manager_or_refuse(
    message: Message, context: ContextTypes.DEFAULT_TYPE, action: str
) -> bool:
    """Whether the sender may manage this chat; if not, say so ("… được ``action``.")."""
    if await may_manage(message, context):
        return True
    await message.reply_text(f"⛔ Chỉ quản trị viên nhóm hoặc quản trị viên bot được {action}.")
    return False
