"""Fake Telegram Bot API for ctbot's tests: in-memory brain, HTTP server, update builders.

Typical use over HTTP::

    fake = FakeTelegram()
    with FakeBotApiServer(fake) as server:
        app = (
            Application.builder()
            .token(fake.token)
            .base_url(server.base_url)
            .base_file_url(server.base_file_url)
            .build()
        )
        ...
        fake.push_update(message("xin chào"))
        await fake.wait_for_async("sendMessage")

or in-process with ``.request(FakeRequest(fake)).get_updates_request(FakeRequest(fake))``.
"""

from .api import ApiError, Call, FakeRequest, FakeTelegram, UploadedFile
from .flood import FloodLimit
from .markup import MarkupError, parse_text
from .server import FakeBotApiServer, parse_multipart
from .updates import (
    BOT_USER,
    callback_query,
    channel,
    channel_post,
    chat_member,
    detect_entities,
    document_message,
    edited_message,
    group_chat,
    inline_query,
    message,
    migrate_from_message,
    migrate_to_message,
    my_chat_member,
    new_members_message,
    photo_message,
    private_chat,
    sticker_message,
    to_ptb_update,
    uploaded_document,
    user,
    utf16_len,
    utf16_offset,
)

__all__ = [
    "BOT_USER",
    "ApiError",
    "Call",
    "FakeBotApiServer",
    "FakeRequest",
    "FakeTelegram",
    "FloodLimit",
    "MarkupError",
    "UploadedFile",
    "callback_query",
    "channel",
    "channel_post",
    "chat_member",
    "detect_entities",
    "document_message",
    "edited_message",
    "group_chat",
    "inline_query",
    "message",
    "migrate_from_message",
    "migrate_to_message",
    "my_chat_member",
    "new_members_message",
    "parse_multipart",
    "parse_text",
    "photo_message",
    "private_chat",
    "sticker_message",
    "to_ptb_update",
    "uploaded_document",
    "user",
    "utf16_len",
    "utf16_offset",
]
