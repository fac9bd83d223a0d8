"""/imlang bat|tat: short report confirmations (👍 and one line) in this group, or full cards."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from handlers.context import reporting
from knowledge.progress.log import ADMIN

__all__ = ["quiet_command"]

ON = ("bat", "bật", "on")
OFF = ("tat", "tắt", "off")
USAGE = "Cú pháp: /imlang bat (xác nhận ngắn, mặc định trong nhóm) hoặc /imlang tat (thẻ đầy đủ)."


async def _may_set(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A bot admin, or an admin or owner of this group (an anonymous one included)."""
    if message.sender_chat is not None:
        return message.sender_chat.id == message.chat_id
    user = message.from_user
    if user is None or user.is_bot:
        return False
    member = reporting(context).store.member(user.id)
    if member is not None and member.role == ADMIN:
        return True
    status = (await context.bot.get_chat_member(message.chat_id, user.id)).status
    return status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def quiet_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show or set whether saved reports in this group get the short confirmation."""
    message = update.message
    if message is None:
        return
    if message.chat.type == ChatType.PRIVATE:
        await message.reply_text("Trong trò chuyện riêng, báo cáo luôn được xác nhận đầy đủ.")
        return
    settings = reporting(context).chats
    arg = (context.args or [""])[0].casefold()
    if arg not in ON + OFF:
        state = "bật" if settings.quiet(message.chat_id, group=True) else "tắt"
        await message.reply_text(f"Chế độ im lặng đang {state}. {USAGE}")
        return
    if not await _may_set(message, context):
        await message.reply_text("⛔ Chỉ quản trị viên nhóm hoặc quản trị viên bot được đổi.")
        return
    quiet = arg in ON
    by = message.from_user.id if message.from_user else 0
    settings.set_quiet(message.chat_id, quiet, by=by)
    await message.reply_text(
        "✅ Đã bật chế độ im lặng: báo cáo được đánh dấu 👍 và xác nhận một dòng."
        if quiet
        else "✅ Đã tắt chế độ im lặng: mỗi báo cáo được xác nhận bằng thẻ đầy đủ."
    )
