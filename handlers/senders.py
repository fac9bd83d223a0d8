"""Who sent a message and how, as the write path's ``Sender`` (knowledge.progress.reporting)."""

from __future__ import annotations

from telegram import Message

from knowledge.progress.reporting import Sender

__all__ = ["sender_of"]


def sender_of(message: Message) -> Sender:
    """The sender of ``message``: identity is the numeric user id only."""
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
