"""/quyen: admins grant and remove reporting rights in chat.

Usage (admins only):
  /quyen                                  list members
  /quyen <id> reporter <cơ quan>          (or reply to the person's message)
  /quyen <id> admin
  /quyen <id> xoa
  /quyen <id> chitieu <tên chỉ tiêu>     let a member check in on a target
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.context import engine, reporting
from handlers.markup import HTML
from handlers.menus import refresh_admin_menus
from knowledge.errors import KnowledgeError
from knowledge.progress import ADMIN, REPORTER, indicator_key

__all__ = ["roles_command"]

USAGE = (
    "Cú pháp (quản trị viên): <code>/quyen</code> xem danh sách; "
    "<code>/quyen 123456789 reporter Ban Tuyên giáo Tỉnh ủy</code>; "
    "<code>/quyen 123456789 admin</code>; <code>/quyen 123456789 xoa</code>; "
    "<code>/quyen 123456789 chitieu che phủ rừng</code> (giao chỉ tiêu). "
    "Có thể trả lời (reply) tin nhắn của người đó thay cho số id."
)


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
    target = None
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and not replied.from_user.is_bot:
        target = replied.from_user
    if not args and target is None:
        lines = ["<b>Thành viên có quyền cập nhật:</b>"]
        for m in store.members():
            where = ", ".join(m.agencies) or ("mọi nhiệm vụ" if m.role == ADMIN else "—")
            origin = " (CTBOT_ADMIN_IDS)" if m.from_env else ""
            lines.append(
                f"• <code>{m.user_id}</code> {HTML.text(m.name)} — {m.role}{origin}: "
                f"{HTML.text(where)}"
            )
        await message.reply_text("\n".join(lines))
        return
    if target is None:
        if not args or not args[0].lstrip("-").isdigit():
            await message.reply_text(USAGE)
            return
        user_id, name = int(args.pop(0)), ""
    else:
        user_id, name = target.id, target.full_name
    action = (args.pop(0).lower() if args else "").replace("xóa", "xoa")
    if action in {"xoa", "remove", "bo"}:
        removed = store.remove_user(user_id)
        await refresh_admin_menus(context.application)
        text = "Đã xóa quyền." if removed else "Người này chưa có quyền."
        await message.reply_text(text)
        return
    if action in {"chitieu", "chỉtiêu", "ct"}:
        hits = engine(context).suggest(" ".join(args), limit=1, kinds={"indicator"})
        if not args or not hits or hits[0].score < 0.5 or store.member(user_id) is None:
            await message.reply_text(
                "Cần người đã có quyền và tên chỉ tiêu, ví dụ: "
                "<code>/quyen 123456789 chitieu che phủ rừng</code>"
            )
            return
        store.assign_indicator(user_id, indicator_key(engine(context).indicators[hits[0].id]))
        await message.reply_text(
            f"✅ <code>{user_id}</code> được cập nhật chỉ tiêu: {HTML.text(hits[0].title)}"
        )
        return
    if action not in {ADMIN, REPORTER}:
        await message.reply_text(USAGE)
        return
    agencies: list[str] = []
    if action == REPORTER:
        agency = engine(context).resolve_agency(" ".join(args))
        if agency is None:
            await message.reply_text(f"Không rõ cơ quan “{HTML.text(' '.join(args))}”. {USAGE}")
            return
        agencies.append(agency)
    try:
        member = store.add_user(
            user_id, action, agencies, name=name, added_by=message.from_user.id
        )
    except KnowledgeError as exc:
        await message.reply_text(HTML.text(str(exc)))
        return
    await refresh_admin_menus(context.application)
    where = ", ".join(member.agencies) if member.agencies else "mọi nhiệm vụ"
    await message.reply_text(
        f"✅ <code>{user_id}</code> {HTML.text(name)} là {member.role}: {HTML.text(where)}."
    )
