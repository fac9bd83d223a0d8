"""/start and /help: what the bot does, with examples."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.commands import COMMANDS
from handlers.context import engine, now, subscriptions
from handlers.invites import open_invite
from handlers.markup import HTML
from knowledge.progress.invites import is_invite_payload

__all__ = ["help_command", "help_text", "start"]

EXAMPLES = (
    "ai chủ trì đề án chuyển đổi số?",
    "chỉ tiêu che phủ rừng 2025",
    "han trinh de an nong nghiep huu co",
    "Ban Tuyên giáo Tỉnh ủy chủ trì những nhiệm vụ nào",
    "nhiệm vụ trình trong quý III năm 2021",
    "HĐND tỉnh có trách nhiệm gì",
)


def help_text(title: str, username: str) -> str:
    """The Vietnamese guide, in Telegram HTML."""
    lines = [
        f"<b>ctbot</b> — hỏi đáp {HTML.text(title)}.",
        "",
        "Gõ câu hỏi ngắn, có dấu hoặc không dấu, viết tắt quen dùng đều được "
        "(UBND, HĐND, NTM, BHYT…). Ví dụ:",
        *(f"• <code>{HTML.text(e)}</code>" for e in EXAMPLES),
        "",
        "<b>Lệnh</b>",
        *(
            f"/{c.name} — {HTML.text(c.description)} (vd: <code>{HTML.text(c.example)}</code>)"
            for c in COMMANDS
        ),
        "",
        "<b>Trong nhóm</b>: dùng /hoi, nhắc tên "
        f"@{HTML.text(username)} hoặc trả lời (reply) tin nhắn của bot.",
        f"<b>Ở bất kỳ đâu</b>: gõ <code>@{HTML.text(username)} che phu rung</code> "
        "để chèn kết quả.",
        "",
        "Mỗi câu trả lời ghi <i>Nguồn</i> (mục trong văn bản) để đối chiếu.",
    ]
    return "\n".join(lines)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user and show the guide (and remember they may get private reminders)."""
    if update.effective_message is None:
        return
    if context.args and is_invite_payload(context.args[0]):
        await open_invite(update, context, context.args[0])
        return
    if (
        update.effective_user is not None
        and update.effective_chat is not None
        and (update.effective_chat.type == "private")
    ):
        subscriptions(context).started(update.effective_user.id, now(context))
    name = update.effective_user.first_name if update.effective_user else ""
    greeting = f"Chào {HTML.text(name)}! " if name else "Xin chào! "
    text = greeting + help_text(engine(context).programme.title, context.bot.username)
    await update.effective_message.reply_text(text)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the guide."""
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(
        help_text(engine(context).programme.title, context.bot.username)
    )
