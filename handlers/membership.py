"""Chats changing under the bot: a group upgraded to a supergroup, the bot added or removed."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from handlers.digest import deliver, follow_migration, pause_chat, resume_chat
from handlers.markup import HTML
from knowledge.digest.daily import Subscription

__all__ = ["GREETING", "greeting", "migrated", "my_chat_member"]

log = logging.getLogger(__name__)

GREETING = (
    "👋 Chào cả nhóm! Tôi trả lời câu hỏi về chương trình và nhận báo cáo tiến độ. "
    "Cách hỏi: gõ <code>/hoi câu hỏi</code>, nhắc tên @{username} kèm câu hỏi, "
    "hoặc trả lời (reply) một tin nhắn của tôi. Hướng dẫn: /help"
)
GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Service message: a group became a supergroup; its subscription and allow-list follow."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        follow_migration(context.application, message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        follow_migration(context.application, message.migrate_from_chat_id, message.chat_id)


def _present(member: ChatMember) -> bool:
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status not in GONE


def greeting(username: str, sub: Subscription | None) -> str:
    """What the bot says when it is added to a group (HTML)."""
    text = GREETING.format(username=HTML.text(username))
    if sub is not None:
        text += (
            f"\nTóm tắt tiến độ của nhóm được gửi lại ({HTML.text(sub.describe())}). "
            "Hủy: /huydangky"
        )
    return text


async def my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was added to, removed from, blocked or unblocked in a chat."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    was, now_in = _present(change.old_chat_member), _present(change.new_chat_member)
    if was and not now_in:
        private = chat.type == ChatType.PRIVATE
        reason = "blocked by the user" if private else f"removed: {change.new_chat_member.status}"
        log.info("the bot was removed from chat %s (%s)", chat.id, reason)
        pause_chat(context.application, chat.id, reason)
        return
    if now_in and not was:
        # Back in the chat: the digest an admin set up before the removal resumes.
        sub = resume_chat(context.application, chat.id)
        if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            text = greeting(context.bot.username, sub)
            await deliver(
                context.application, chat.id, lambda to: context.bot.send_message(to, text)
            )
