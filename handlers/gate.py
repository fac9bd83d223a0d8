"""First look at every update: drop what the bot must not answer, before any handler runs."""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from handlers.context import REPORTING

__all__ = ["ALLOWED_CHATS", "follow_migration", "gate"]

log = logging.getLogger(__name__)

# bot_data key: frozenset of chat ids served (empty = every chat). At start it holds
# CTBOT_ALLOWED_CHATS and the ids those chats migrated to (knowledge.digest.chats).
ALLOWED_CHATS = "allowed_chats"
# Commands that write; other bots' attempts at them are audited, then dropped.
WRITE_COMMANDS = ("/capnhat", "/quyen", "/dangky", "/huydangky", "/xacnhan", "/tralai", "/imlang")


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates from other bots, channels, anonymous senders and chats not allowed."""
    user = update.effective_user
    chat = update.effective_chat
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        # Channel posts and messages sent on behalf of a chat (anonymous admins,
        # whose sender is the GroupAnonymousBot); their commands go on, so that
        # a write can be refused with a reason.
        if not (message.text or "").startswith("/"):
            raise ApplicationHandlerStop
    elif user is not None and user.is_bot and update.my_chat_member is None:
        # (Another bot, e.g. a group's moderation bot, may remove this one: that goes on.)
        if message is not None and (message.text or "").startswith(WRITE_COMMANDS):
            service = context.bot_data.get(REPORTING)
            if service is not None:
                service.store.log_attempt(
                    user_id=user.id,
                    chat_id=message.chat_id,
                    message_id=message.message_id,
                    action="report",
                    allowed=False,
                    reason="sent by a bot",
                    text=message.text or "",
                )
        raise ApplicationHandlerStop
    allowed = context.bot_data.get(ALLOWED_CHATS) or frozenset()
    if allowed and chat is not None and chat.id not in allowed:
        log.info("ignored update from chat %s (not in CTBOT_ALLOWED_CHATS)", chat.id)
        raise ApplicationHandlerStop


def follow_migration(bot_data: MutableMapping[Any, Any], old: int, new: int) -> None:
    """A served chat that got a new id (group → supergroup) is served under it too."""
    allowed = bot_data.get(ALLOWED_CHATS) or frozenset()
    if old in allowed and new not in allowed:
        bot_data[ALLOWED_CHATS] = frozenset(allowed | {new})
        log.info("allowed chat %s is now %s", old, new)
