"""Command menus per scope, and the bot's description: admins see the admin commands.

Everyone gets the public commands (private chats, groups); each admin (from
``CTBOT_ADMIN_IDS`` or the database) gets every command in their private chat, and a
group's administrators get the group commands plus the admin ones. Call
:func:`refresh_admin_menus` whenever roles change (``/quyen``, an admin invite).
"""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application

from handlers.commands import COMMANDS
from handlers.context import REPORTING
from knowledge.progress.log import ADMIN
from knowledge.progress.office import OfficeSettings
from knowledge.progress.reporting import Reporting

__all__ = ["admin_menu", "publish_menus", "refresh_admin_menus", "set_description"]

log = logging.getLogger(__name__)
MENU_ADMINS = "menu_admins"  # office_settings key: who has the admin menu now


def _menu(*, private: bool, admin: bool) -> list[BotCommand]:
    return [
        BotCommand(c.name, c.description)
        for c in COMMANDS
        if (private or c.groups) and (admin or not c.admin)
    ]


def admin_menu() -> list[BotCommand]:
    """The menu of an admin's private chat: every command."""
    return _menu(private=True, admin=True)


async def publish_menus(application: Application) -> None:  # type: ignore[type-arg]
    """At start: the public menus, the group administrators' menu and each admin's menu."""
    bot = application.bot
    await bot.set_my_commands(
        _menu(private=True, admin=False), scope=BotCommandScopeAllPrivateChats()
    )
    await bot.set_my_commands(
        _menu(private=False, admin=False), scope=BotCommandScopeAllGroupChats()
    )
    await bot.set_my_commands(
        _menu(private=False, admin=True), scope=BotCommandScopeAllChatAdministrators()
    )
    await refresh_admin_menus(application)


async def refresh_admin_menus(application: Application) -> None:  # type: ignore[type-arg]
    """Give every current admin the admin menu; take it from those no longer admins."""
    service = application.bot_data[REPORTING]
    assert isinstance(service, Reporting)
    settings = OfficeSettings(service.store.db)
    admins = {m.user_id for m in service.store.members() if m.role == ADMIN}
    before = set(settings.int_list(MENU_ADMINS, []))
    for user_id in sorted(admins):
        await _set_chat_menu(application, user_id, admin_menu())
    for user_id in sorted(before - admins):
        await _set_chat_menu(application, user_id, None)
    settings.put(MENU_ADMINS, sorted(admins))


async def _set_chat_menu(
    application: Application,  # type: ignore[type-arg]
    user_id: int,
    commands: list[BotCommand] | None,
) -> None:
    scope = BotCommandScopeChat(chat_id=user_id)
    try:
        if commands is None:
            await application.bot.delete_my_commands(scope=scope)
        else:
            await application.bot.set_my_commands(commands, scope=scope)
    except (BadRequest, Forbidden) as error:
        # An admin who never opened the bot has no chat yet; /start fixes it next time.
        log.info("no admin menu for %s yet: %s", user_id, error.message)


async def set_description(application: Application, title: str) -> None:  # type: ignore[type-arg]
    """The bot's description (before /start) and short description, naming the document."""
    doc = title or "Chương trình hành động"
    description = (
        f"Hỏi đáp và theo dõi tiến độ {doc}: chỉ tiêu, nhiệm vụ, cơ quan chủ trì, thời hạn. "
        "Cán bộ hỏi bằng tiếng Việt có dấu hoặc không dấu; người được phân công cập nhật "
        "tiến độ; nhóm nhận tóm tắt và báo cáo định kỳ. Bấm Bắt đầu (/start) để xem hướng dẫn."
    )
    short = f"Hỏi đáp, tiến độ {doc}"
    await application.bot.set_my_description(description[:512])
    await application.bot.set_my_short_description(short[:120])
