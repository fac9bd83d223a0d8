"""/moi: admins create, list and revoke one-time invite links; opening one binds the person.

Usage (admins, in a private chat with the bot):
  /moi <cơ quan> [reporter|admin]   a link for a reporter of that body (or an admin)
  /moi admin                        a link for a new admin
  /moi                              the links that still work
  /moi huy <mã>                     revoke a link
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes
from telegram.helpers import create_deep_linked_url

from handlers import menus
from handlers.context import engine, now, reporting, subscriptions
from handlers.digest import deliver
from handlers.markup import HTML
from knowledge.formatting import day
from knowledge.progress.invites import ACTIVE, EXPIRED, REVOKED, USED, Invite, InviteStore
from knowledge.progress.log import ADMIN, REPORTER

__all__ = ["invite_command", "open_invite"]

log = logging.getLogger(__name__)

USAGE = (
    "Cú pháp (quản trị viên, trong tin nhắn riêng với bot): "
    "<code>/moi Ban Tuyên giáo Tỉnh ủy</code> (người báo cáo của cơ quan); "
    "<code>/moi admin</code> (quản trị viên); <code>/moi</code> xem liên kết còn hiệu lực; "
    "<code>/moi huy ab12cd34</code> thu hồi."
)
REFUSALS = {
    USED: "⛔ Liên kết mời này đã được dùng. Mỗi liên kết chỉ dùng được một lần; "
    "nhờ quản trị viên tạo liên kết mới (/moi).",
    EXPIRED: "⛔ Liên kết mời đã hết hạn (hiệu lực 7 ngày). Nhờ quản trị viên tạo liên kết mới.",
    REVOKED: "⛔ Liên kết mời đã bị thu hồi. Nhờ quản trị viên tạo liên kết mới.",
}
UNKNOWN_LINK = "⛔ Liên kết mời không hợp lệ. Hãy mở đúng liên kết quản trị viên gửi."
ROLE_WORDS = {"reporter": REPORTER, "baocao": REPORTER, "admin": ADMIN, "quantri": ADMIN}


def _local(moment_iso: str, reference: datetime) -> str:
    return day(datetime.fromisoformat(moment_iso).astimezone(reference.tzinfo).date())


def describe(invite: Invite) -> str:
    """One Vietnamese line: who the link is for."""
    if invite.role == ADMIN:
        return "quản trị viên" + (f" ({invite.agency})" if invite.agency else "")
    return f"người báo cáo của {invite.agency}"


async def _refuse_unless_admin(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    store = reporting(context).store
    user = message.from_user
    member = store.member(user.id) if user is not None else None
    if member is None or member.role != ADMIN or message.sender_chat is not None:
        store.log_attempt(
            user_id=user.id if user else 0,
            chat_id=message.chat_id,
            message_id=message.message_id,
            action="invite",
            allowed=False,
            reason="not an admin",
            text=message.text or "",
        )
        await message.reply_text("⛔ Chỉ quản trị viên được tạo liên kết mời.")
        return True
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(
            "Hãy dùng /moi trong tin nhắn riêng với bot: liên kết mời không nên lộ trong nhóm."
        )
        return True
    return False


async def invite_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Create, list or revoke invite links (admins, in private)."""
    message = update.message
    if message is None or message.from_user is None:
        return
    if await _refuse_unless_admin(message, context):
        return
    invites = InviteStore(reporting(context).store.db)
    args = list(context.args or [])
    moment = now(context)
    if not args:
        await message.reply_text(_listing(invites, moment))
        return
    if args[0].lower() in {"huy", "hủy", "thuhoi", "thu-hoi"}:
        code = args[1] if len(args) > 1 else ""
        done = bool(code) and invites.revoke(code, moment)
        text = (
            f"Đã thu hồi liên kết <code>{HTML.text(code)}</code>."
            if done
            else ("Không có liên kết còn hiệu lực với mã đó. Xem danh sách: /moi")
        )
        await message.reply_text(text)
        return
    role = ROLE_WORDS.get(args[-1].lower(), "")
    if role:
        args.pop()
    role = role or REPORTER
    agency = engine(context).resolve_agency(" ".join(args)) if args else None
    if args and agency is None:
        await message.reply_text(f"Không rõ cơ quan “{HTML.text(' '.join(args))}”. {USAGE}")
        return
    if role == REPORTER and agency is None:
        await message.reply_text(USAGE)
        return
    payload, invite = invites.create(
        agency or "", role, created_by=message.from_user.id, now=moment
    )
    url = create_deep_linked_url(context.bot.username, payload)
    await message.reply_text(
        f"🔗 Liên kết mời {HTML.text(describe(invite))} — dùng một lần, hết hạn "
        f"{_local(invite.expires_at, moment)}:\n{HTML.text(url)}\n"
        f"Mã: <code>{invite.code}</code> · thu hồi: <code>/moi huy {invite.code}</code>"
    )


def _listing(invites: InviteStore, moment: datetime) -> str:
    found = invites.all(moment)
    if not found:
        return "Không có liên kết mời nào còn hiệu lực. " + USAGE
    lines = ["<b>Liên kết mời còn hiệu lực:</b>"]
    lines.extend(
        f"• <code>{i.code}</code> {HTML.text(describe(i))} — hết hạn "
        f"{_local(i.expires_at, moment)}"
        for i in found
    )
    return "\n".join(lines)


async def open_invite(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
    """``/start inv-…``: bind the person to the link's body and tell the admin who made it."""
    message, user = update.message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text("Hãy mở liên kết mời trong tin nhắn riêng với bot.")
        return
    moment = now(context)
    subscriptions(context).started(user.id, moment)
    store = reporting(context).store
    outcome = InviteStore(store.db).redeem(
        payload, user_id=user.id, name=user.full_name, now=moment, members=store
    )
    if outcome.state != ACTIVE or outcome.invite is None or outcome.member is None:
        store.log_attempt(
            user_id=user.id,
            chat_id=message.chat_id,
            message_id=message.message_id,
            action="invite",
            allowed=False,
            reason=f"invite {outcome.state}",
            text=outcome.invite.code if outcome.invite else "",
        )
        await message.reply_text(REFUSALS.get(outcome.state, UNKNOWN_LINK))
        return
    invite, member = outcome.invite, outcome.member
    where = ", ".join(member.agencies) or "mọi nhiệm vụ"
    await message.reply_text(
        f"✅ Chào {HTML.text(user.full_name)}! Bạn được cấp quyền {member.role} "
        f"({HTML.text(where)}). Cập nhật tiến độ: <code>/capnhat 5.3 60% ghi chú</code>; "
        "xem hướng dẫn: /help"
    )
    if member.role == ADMIN:
        await menus.refresh_admin_menus(context.application)
    if invite.created_by:
        await _tell_creator(context, invite, user.id, user.full_name)


async def _tell_creator(
    context: ContextTypes.DEFAULT_TYPE, invite: Invite, user_id: int, name: str
) -> None:
    text = (
        f"🔔 {HTML.text(name)} (<code>{user_id}</code>) đã dùng liên kết mời "
        f"<code>{invite.code}</code>: {HTML.text(describe(invite))}."
    )

    async def send(to: int) -> None:
        await context.bot.send_message(to, text)

    try:
        await deliver(context.application, invite.created_by, send)
    except TelegramError as error:
        log.warning(
            "could not tell %s that invite %s was used: %s", invite.created_by, invite.code, error
        )
