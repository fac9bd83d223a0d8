"""/quyen: admins grant and remove reporting rights in chat.

Usage (admins only):
  /quyen                                  list members
  /quyen <id> reporter <cơ quan>          (or reply to the person's message)
  /quyen <id> admin
  /quyen <id> xoa
  /quyen <id> chitieu <tên chỉ tiêu>     let a member check in on a target

Whatever the arguments, the answer is one quiet Vietnamese line, never the error apology.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Message, Update, User
from telegram.ext import ContextTypes

from handlers.context import engine, reporting
from handlers.markup import HTML
from handlers.menus import refresh_admin_menus
from handlers.replies import reply_pieces
from knowledge.errors import KnowledgeError
from knowledge.progress.keys import document_key, indicator_key
from knowledge.progress.log import ADMIN, REPORTER, ProgressStore
from knowledge.render import shorten
from knowledge.text import fold

__all__ = ["MAX_USER_ID", "parse_user_id", "roles_command"]

USAGE = (
    "Cú pháp (quản trị viên): <code>/quyen</code> xem danh sách; "
    "<code>/quyen 123456789 reporter Ban Tuyên giáo Tỉnh ủy</code>; "
    "<code>/quyen 123456789 admin</code>; <code>/quyen 123456789 xoa</code>; "
    "<code>/quyen 123456789 chitieu che phủ rừng</code> (giao chỉ tiêu). "
    "Có thể trả lời (reply) tin nhắn của người đó thay cho số id."
)
BAD_ID = "Số id phải là số nguyên dương (chỉ chữ số 0-9) của tài khoản Telegram."
NO_AGENCY = "Cần tên cơ quan cho quyền reporter."
NEED_TARGET = (
    "Cần người đã có quyền và tên chỉ tiêu, ví dụ: "
    "<code>/quyen 123456789 chitieu che phủ rừng</code>"
)
# Telegram user ids "have at most 52 significant bits" (Bot API, User.id).
MAX_USER_ID = 2**52 - 1
_DIGITS = re.compile(r"[0-9]{1,16}")  # ASCII digits only: str.isdigit() accepts "²"


def parse_user_id(arg: str) -> int | None:
    """The Telegram user id ``arg`` spells in ASCII digits, or None."""
    if not _DIGITS.fullmatch(arg):
        return None
    value = int(arg)
    return value if 0 < value <= MAX_USER_ID else None


@dataclass(frozen=True)
class _Request:
    """One /quyen change: who asked, for whom, and the words after the action."""

    message: Message
    context: ContextTypes.DEFAULT_TYPE
    store: ProgressStore
    added_by: int
    user_id: int
    name: str
    words: list[str]

    async def reply(self, text: str) -> None:
        await self.message.reply_text(text)


async def _remove(r: _Request) -> None:
    removed = r.store.remove_user(r.user_id)
    await refresh_admin_menus(r.context.application)
    await r.reply("Đã xóa quyền." if removed else "Người này chưa có quyền.")


async def _assign_indicator(r: _Request) -> None:
    found = engine(r.context)
    hits = found.suggest(" ".join(r.words), limit=1, kinds={"indicator"}) if r.words else []
    if not hits or hits[0].score < 0.5 or r.store.member(r.user_id) is None:
        await r.reply(NEED_TARGET)
        return
    target = indicator_key(found.indicators[hits[0].id], document_key(found.programme))
    r.store.assign_indicator(r.user_id, target)
    title = HTML.text(hits[0].title)
    await r.reply(f"✅ <code>{r.user_id}</code> được cập nhật chỉ tiêu: {title}")


async def _grant(r: _Request, role: str) -> None:
    agencies: list[str] = []
    if role == REPORTER:
        asked = " ".join(r.words)
        agency = engine(r.context).resolve_agency(asked) if asked else None
        if agency is None:
            why = f"Không rõ cơ quan “{HTML.text(shorten(asked, 80))}”." if asked else NO_AGENCY
            await r.reply(f"{why} {USAGE}")
            return
        agencies.append(agency)
    try:
        member = r.store.add_user(r.user_id, role, agencies, name=r.name, added_by=r.added_by)
    except KnowledgeError:
        await r.reply(USAGE)
        return
    await refresh_admin_menus(r.context.application)
    where = ", ".join(member.agencies) if member.agencies else "mọi nhiệm vụ"
    await r.reply(
        f"✅ <code>{r.user_id}</code> {HTML.text(r.name)} là {member.role}: {HTML.text(where)}."
    )


async def _grant_admin(r: _Request) -> None:
    await _grant(r, ADMIN)


async def _grant_reporter(r: _Request) -> None:
    await _grant(r, REPORTER)


# Folded action word → what it does.
_ACTIONS: dict[str, Callable[[_Request], Awaitable[None]]] = {
    "xoa": _remove,
    "remove": _remove,
    "bo": _remove,
    "chitieu": _assign_indicator,
    "ct": _assign_indicator,
    ADMIN: _grant_admin,
    REPORTER: _grant_reporter,
}


def _replied_user(message: Message) -> User | None:
    """The person whose message this one replies to (never a bot or a channel)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.sender_chat is not None:
        return None
    return None if replied.from_user.is_bot else replied.from_user


def _member_list(store: ProgressStore) -> str:
    lines = ["<b>Thành viên có quyền cập nhật:</b>"]
    for m in store.members():
        where = ", ".join(m.agencies) or ("mọi nhiệm vụ" if m.role == ADMIN else "—")
        origin = " (CTBOT_ADMIN_IDS)" if m.from_env else ""
        lines.append(
            f"• <code>{m.user_id}</code> {HTML.text(m.name)} — {m.role}{origin}: "
            f"{HTML.text(where)}"
        )
    return "\n".join(lines)


async def roles_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Grant, change or remove a member's rights (admins only)."""
    message = update.message
    if message is None or message.from_user is None:
        return
    store = reporting(context).store
    me = store.member(message.from_user.id)
    if me is None or me.role != ADMIN or message.sender_chat is not None:
        store.log_attempt(
            user_id=message.from_user.id,
            chat_id=message.chat_id,
            message_id=message.message_id,
            action="roles",
            allowed=False,
            reason="not an admin",
            text=message.text or "",
        )
        await message.reply_text("⛔ Chỉ quản trị viên được phân quyền.")
        return
    args = list(context.args or [])
    target = _replied_user(message)
    if not args and target is None:
        await reply_pieces(message, _member_list(store))
        return
    if target is None:
        user_id = parse_user_id(args.pop(0))
        if user_id is None:
            await message.reply_text(f"{BAD_ID} {USAGE}")
            return
        name = ""
    else:
        user_id, name = target.id, target.full_name
    action = _ACTIONS.get(fold(args.pop(0)).replace(" ", "") if args else "")
    if action is None:
        await message.reply_text(USAGE)
        return
    await action(_Request(message, context, store, message.from_user.id, user_id, name, args))
