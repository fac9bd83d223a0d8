"""Builders for updates shaped as Telegram sends them (plain dicts, Bot API 7+ forms).

``update_id`` is left out: :meth:`FakeTelegram.push_update` assigns it.  Entity offsets and
lengths are in UTF-16 code units, like Telegram's.

>>> utf16_len("Chào 👋")
7
>>> message("/hoi@ctbot_test_bot xin chào", private_chat(user()), user())["message"]["entities"]
[{'offset': 0, 'length': 19, 'type': 'bot_command'}]
"""

from __future__ import annotations

import copy
import itertools
import re
import time
from typing import Any

__all__ = [
    "BOT_USER",
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
    "photo_message",
    "private_chat",
    "sticker_message",
    "to_ptb_update",
    "user",
    "utf16_len",
    "utf16_offset",
]

JsonDict = dict[str, Any]

GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
# The bot as FakeTelegram() presents it by default (getMe).
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "ctbot", "username": "ctbot_test_bot"}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}

# User messages get ids far from the ones FakeTelegram hands out to the bot (1, 2, ...).
_message_ids = itertools.count(10_001)
_query_ids = itertools.count(1)
_file_ids = itertools.count(1)
_update_ids = itertools.count(900_001)

_COMMAND_RE = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@])")
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{3,32}(?![\w@])")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Telegram's offsets count)."""
    return len(text.encode("utf-16-le")) // 2


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 offset of the Python string index ``index`` in ``text``."""
    return utf16_len(text[:index])


def detect_entities(text: str) -> list[JsonDict]:
    """``bot_command`` and ``mention`` entities Telegram's servers would attach to ``text``."""
    found = [
        {
            "offset": utf16_offset(text, m.start()),
            "length": utf16_len(m[0]),
            "type": "bot_command",
        }
        for m in _COMMAND_RE.finditer(text)
    ]
    found += [
        {"offset": utf16_offset(text, m.start()), "length": utf16_len(m[0]), "type": "mention"}
        for m in _MENTION_RE.finditer(text)
    ]
    return sorted(found, key=lambda e: e["offset"])


def _now() -> int:
    return int(time.time())


def _next_message_id() -> int:
    return next(_message_ids)


def user(
    user_id: int = 1001,
    first_name: str = "Lan",
    username: str | None = "lan_kh",
    is_bot: bool = False,
    *,
    last_name: str | None = None,
    language_code: str | None = "vi",
) -> JsonDict:
    result: JsonDict = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        result["last_name"] = last_name
    if username:
        result["username"] = username
    if language_code and not is_bot:
        result["language_code"] = language_code
    return result


def private_chat(of_user: JsonDict | None = None) -> JsonDict:
    of_user = of_user or user()
    chat: JsonDict = {"id": of_user["id"], "first_name": of_user["first_name"]}
    for key in ("last_name", "username"):
        if of_user.get(key):
            chat[key] = of_user[key]
    chat["type"] = "private"
    return chat


def group_chat(
    chat_id: int = -1001234567890,
    title: str = "Tổ công tác",
    type: str = "supergroup",
    *,
    username: str | None = None,
    is_forum: bool = False,
) -> JsonDict:
    chat: JsonDict = {"id": chat_id, "title": title, "type": type}
    if username:
        chat["username"] = username
    if is_forum:
        chat["is_forum"] = True
    if type == "group":
        chat["all_members_are_administrators"] = False
    return chat


def channel(
    chat_id: int = -1009876543210, title: str = "Kênh thông tin", username: str | None = None
) -> JsonDict:
    return group_chat(chat_id, title, "channel", username=username)


_default_channel = channel


def _base_message(
    chat: JsonDict,
    from_user: JsonDict | None,
    *,
    message_id: int | None,
    date: int | None,
    sender_chat: JsonDict | None,
) -> JsonDict:
    msg: JsonDict = {"message_id": message_id or _next_message_id()}
    if sender_chat is not None:
        if from_user is None and chat["type"] != "channel":
            same = sender_chat["id"] == chat["id"]
            from_user = GROUP_ANONYMOUS_BOT if same else CHANNEL_BOT
        msg["sender_chat"] = sender_chat
    if from_user is not None:
        msg["from"] = from_user
    msg["chat"] = chat
    msg["date"] = date if date is not None else _now()
    return msg


def _build_message(
    text: str,
    chat: JsonDict,
    from_user: JsonDict | None,
    *,
    message_id: int | None = None,
    reply_to: JsonDict | None = None,
    forward_from: JsonDict | None = None,
    sender_chat: JsonDict | None = None,
    entities: list[JsonDict] | None = None,
    date: int | None = None,
) -> JsonDict:
    msg = _base_message(chat, from_user, message_id=message_id, date=date, sender_chat=sender_chat)
    if forward_from is not None:
        msg["forward_origin"] = {
            "type": "user",
            "date": msg["date"] - 60,
            "sender_user": forward_from,
        }
    if reply_to is not None:
        replied = copy.deepcopy(reply_to)
        replied.pop("reply_to_message", None)  # Telegram nests only one level
        msg["reply_to_message"] = replied
    msg["text"] = text
    found = detect_entities(text) if entities is None else entities
    if found:
        msg["entities"] = found
    return msg


def message(
    text: str,
    chat: JsonDict | None = None,
    from_user: JsonDict | None = None,
    *,
    message_id: int | None = None,
    reply_to: JsonDict | None = None,
    forward_from: JsonDict | None = None,
    sender_chat: JsonDict | None = None,
    entities: list[JsonDict] | None = None,
    date: int | None = None,
) -> JsonDict:
    """``{"message": {...}}``; entities are detected when ``entities`` is None.

    Without ``chat``/``from_user`` a private message from :func:`user` is built.  With
    ``sender_chat`` and no ``from_user``, ``from`` is GroupAnonymousBot (anonymous admin,
    sender_chat is the group itself) or Channel_Bot (posting as a channel).
    """
    if from_user is None and chat is None:
        from_user = user()
    if chat is None:
        chat = private_chat(from_user)
    return {
        "message": _build_message(
            text,
            chat,
            from_user,
            message_id=message_id,
            reply_to=reply_to,
            forward_from=forward_from,
            sender_chat=sender_chat,
            entities=entities,
            date=date,
        )
    }


def edited_message(
    text: str,
    chat: JsonDict | None = None,
    from_user: JsonDict | None = None,
    *,
    message_id: int | None = None,
    reply_to: JsonDict | None = None,
    forward_from: JsonDict | None = None,
    sender_chat: JsonDict | None = None,
    entities: list[JsonDict] | None = None,
    date: int | None = None,
    edit_date: int | None = None,
) -> JsonDict:
    """``{"edited_message": {...}}`` (pass the original ``message_id``)."""
    msg = message(
        text,
        chat,
        from_user,
        message_id=message_id,
        reply_to=reply_to,
        forward_from=forward_from,
        sender_chat=sender_chat,
        entities=entities,
        date=date if date is not None else _now() - 30,
    )["message"]
    msg["edit_date"] = edit_date if edit_date is not None else _now()
    return {"edited_message": msg}


def channel_post(
    text: str,
    channel: JsonDict | None = None,
    *,
    message_id: int | None = None,
    author_signature: str | None = None,
    entities: list[JsonDict] | None = None,
    date: int | None = None,
) -> JsonDict:
    """``{"channel_post": {...}}``: no ``from``, ``sender_chat`` is the channel."""
    chat = channel if channel is not None else _default_channel()
    msg = _build_message(
        text, chat, None, message_id=message_id, sender_chat=chat, entities=entities, date=date
    )
    if author_signature:
        msg["author_signature"] = author_signature
    return {"channel_post": msg}


def _file_ids_pair(prefix: str) -> tuple[str, str]:
    number = next(_file_ids)
    return f"{prefix}{number:08d}userfile", f"AQAD{number:08d}u"


def sticker_message(
    chat: JsonDict | None = None,
    from_user: JsonDict | None = None,
    *,
    emoji: str = "👍",
    set_name: str = "HotCherry",
    message_id: int | None = None,
) -> JsonDict:
    if from_user is None and chat is None:
        from_user = user()
    chat = chat or private_chat(from_user)
    file_id, unique = _file_ids_pair("CAACAgIAAxkBAAE")
    thumb_id, thumb_unique = _file_ids_pair("AAMCAgADGQEAAQ")
    msg = _base_message(chat, from_user, message_id=message_id, date=None, sender_chat=None)
    msg["sticker"] = {
        "width": 512,
        "height": 512,
        "emoji": emoji,
        "set_name": set_name,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
        "thumbnail": {
            "file_id": thumb_id,
            "file_unique_id": thumb_unique,
            "file_size": 5416,
            "width": 128,
            "height": 128,
        },
        "thumb": {
            "file_id": thumb_id,
            "file_unique_id": thumb_unique,
            "file_size": 5416,
            "width": 128,
            "height": 128,
        },
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": 21250,
    }
    return {"message": msg}


def photo_message(
    chat: JsonDict | None = None,
    from_user: JsonDict | None = None,
    *,
    caption: str | None = None,
    message_id: int | None = None,
) -> JsonDict:
    if from_user is None and chat is None:
        from_user = user()
    chat = chat or private_chat(from_user)
    file_id, unique = _file_ids_pair("AgACAgUAAxkBAAI")
    msg = _base_message(chat, from_user, message_id=message_id, date=None, sender_chat=None)
    msg["photo"] = [
        {
            "file_id": f"{file_id}{suffix}",
            "file_unique_id": f"{unique}{suffix}",
            "file_size": size,
            "width": width,
            "height": height,
        }
        for suffix, size, width, height in (
            ("s", 1310, 90, 67),
            ("m", 17843, 320, 240),
            ("x", 79821, 800, 600),
            ("y", 158233, 1280, 960),
        )
    ]
    if caption:
        msg["caption"] = caption
        found = detect_entities(caption)
        if found:
            msg["caption_entities"] = found
    return {"message": msg}


def document_message(
    chat: JsonDict | None = None,
    from_user: JsonDict | None = None,
    *,
    file_name: str = "quyet-dinh.pdf",
    mime_type: str = "application/pdf",
    file_size: int = 48213,
    caption: str | None = None,
    message_id: int | None = None,
    reply_to: JsonDict | None = None,
    forward_from: JsonDict | None = None,
    file_ids: tuple[str, str] | None = None,
) -> JsonDict:
    """A document, optionally with a caption (entities detected), a reply or a forward."""
    if from_user is None and chat is None:
        from_user = user()
    chat = chat or private_chat(from_user)
    msg = _build_message(
        "", chat, from_user, message_id=message_id, reply_to=reply_to, forward_from=forward_from
    )
    del msg["text"]
    file_id, unique = file_ids or _file_ids_pair("BQACAgIAAxkBAAI")
    msg["document"] = {
        "file_name": file_name,
        "mime_type": mime_type,
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": file_size,
    }
    if caption:
        msg["caption"] = caption
        found = detect_entities(caption)
        if found:
            msg["caption_entities"] = found
    return {"message": msg}


def new_members_message(
    chat: JsonDict,
    members: list[JsonDict],
    *,
    from_user: JsonDict | None = None,
    message_id: int | None = None,
) -> JsonDict:
    """Service message for members joining (``from`` = the inviter, default first member)."""
    inviter = from_user or members[0]
    msg = _base_message(chat, inviter, message_id=message_id, date=None, sender_chat=None)
    # Telegram still sends the legacy singular fields next to new_chat_members.
    msg["new_chat_participant"] = members[0]
    msg["new_chat_member"] = members[0]
    msg["new_chat_members"] = members
    return {"message": msg}


def migrate_to_message(
    group: JsonDict, new_chat_id: int, from_user: JsonDict | None = None
) -> JsonDict:
    """Service message in the old group: it "was upgraded to a supergroup" ``new_chat_id``."""
    msg = _base_message(group, from_user or user(), message_id=None, date=None, sender_chat=None)
    msg["migrate_to_chat_id"] = new_chat_id
    return {"message": msg}


def migrate_from_message(
    supergroup: JsonDict, old_chat_id: int, from_user: JsonDict | None = None
) -> JsonDict:
    """Service message in the new supergroup: it was made from the group ``old_chat_id``."""
    msg = _base_message(
        supergroup, from_user or user(), message_id=None, date=None, sender_chat=None
    )
    msg["migrate_from_chat_id"] = old_chat_id
    return {"message": msg}


_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def chat_member(member: JsonDict, status: str) -> JsonDict:
    """A ChatMember object: creator, administrator, member, left or kicked."""
    if status == "administrator":
        rights = dict.fromkeys(_ADMIN_RIGHTS, False) | {"can_manage_chat": True}
        return (
            {"status": status, "user": member, "can_be_edited": False}
            | rights
            | {"is_anonymous": False}
        )
    if status == "creator":
        return {"status": status, "user": member, "is_anonymous": False}
    if status == "kicked":
        return {"status": status, "user": member, "until_date": 0}
    if status in ("member", "left"):
        return {"status": status, "user": member}
    raise ValueError(f"unsupported status {status!r}")


def my_chat_member(
    chat: JsonDict,
    old: str,
    new: str,
    from_user: JsonDict | None = None,
    *,
    bot: JsonDict | None = None,
) -> JsonDict:
    """``{"my_chat_member": ...}``: the bot's status in ``chat`` went from ``old`` to ``new``.

    In a private chat ``from`` is the user (``kicked`` = blocked the bot); in a group it is
    whoever added or removed the bot.
    """
    me = bot or BOT_USER
    change: JsonDict = {
        "chat": chat,
        "from": from_user or user(),
        "date": _now(),
        "old_chat_member": chat_member(me, old),
        "new_chat_member": chat_member(me, new),
    }
    return {"my_chat_member": change}


def _chat_instance(msg: JsonDict | None) -> str:
    chat_id = msg["chat"]["id"] if msg and "chat" in msg else 0
    return str((abs(int(chat_id)) * 2654435761 + 1234567) % 10**19)


def uploaded_document(
    file: JsonDict,
    chat: JsonDict | None = None,
    from_user: JsonDict | None = None,
    *,
    file_name: str = "document.docx",
    mime_type: str | None = None,
    file_size: int | None = None,
    caption: str | None = None,
) -> JsonDict:
    """A document message carrying ``file`` from :meth:`FakeTelegram.upload_file`.

    ``file_size`` overrides the stored size (a file Telegram reports as too big to fetch).
    """
    update = document_message(
        chat,
        from_user,
        file_name=file_name,
        mime_type=mime_type or "",
        file_size=file["file_size"] if file_size is None else file_size,
        caption=caption,
        file_ids=(file["file_id"], file["file_unique_id"]),
    )
    if not mime_type:
        del update["message"]["document"]["mime_type"]
    return update


def callback_query(
    data: str,
    message: JsonDict | None,
    from_user: JsonDict | None = None,
    *,
    query_id: str | None = None,
    inline_message_id: str | None = None,
) -> JsonDict:
    """``{"callback_query": {...}}`` for a press on a button of ``message``."""
    query: JsonDict = {
        "id": query_id or str(4382719876543210000 + next(_query_ids)),
        "from": from_user or user(),
    }
    if message is not None:
        query["message"] = message
    if inline_message_id:
        query["inline_message_id"] = inline_message_id
    query["chat_instance"] = _chat_instance(message)
    query["data"] = data
    return {"callback_query": query}


def inline_query(
    query: str,
    from_user: JsonDict | None = None,
    *,
    query_id: str | None = None,
    offset: str = "",
    chat_type: str | None = "sender",
) -> JsonDict:
    inline: JsonDict = {
        "id": query_id or str(4382719876543220000 + next(_query_ids)),
        "from": from_user or user(),
    }
    if chat_type:
        inline["chat_type"] = chat_type
    inline["query"] = query
    inline["offset"] = offset
    return {"inline_query": inline}


def to_ptb_update(update: JsonDict, bot: Any = None, update_id: int | None = None) -> Any:
    """``telegram.Update`` for a builder's dict (for ``app.process_update`` without polling).

    Keeps an existing ``update_id``; otherwise uses ``update_id`` or a module counter.
    """
    from telegram import Update

    data = dict(update)
    if data.get("update_id") is None:
        data["update_id"] = update_id if update_id is not None else next(_update_ids)
    return Update.de_json(data, bot)
