"""/vanban: the stored documents, a button per document to pin it; "which document?" buttons."""

from __future__ import annotations

import html
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from handlers.context import conversations, library, pins, reporting
from handlers.markup import HTML
from handlers.replies import send_answer
from knowledge.progress.log import ADMIN
from knowledge.qa.library import Document, LibraryAnswer

__all__ = [
    "PIN_PATTERN",
    "WHICH_PATTERN",
    "choice_keyboard",
    "documents_command",
    "pin_button",
    "remember_question",
    "which_button",
]

PIN_PATTERN = r"^vanban\|"
WHICH_PATTERN = r"^vbhoi\|"
_PIN = re.compile(r"vanban\|(pin|bo)\|(\d{1,9})")
_WHICH = re.compile(r"vbhoi\|(\d{1,9})")
_PENDING = "which_questions"  # chat_data: bot message id → the question it asks about
_KEEP = 20

NOT_ALLOWED = "Trong nhóm, chỉ quản trị viên của nhóm hoặc của bot được chọn văn bản mặc định."
GONE = "Văn bản này không còn trong cơ sở dữ liệu."
EXPIRED = "Câu hỏi này đã cũ, bạn hỏi lại giúp nhé."
UNPINNED = "Đã bỏ văn bản mặc định: câu hỏi được tra trong mọi văn bản."
NOTHING_PINNED = "Nhóm/cuộc trò chuyện này chưa chọn văn bản mặc định."


def _line(doc: Document, pinned: int | None, links: list[Document]) -> str:
    mark = "📌 " if doc.id == pinned else "• "
    line = f"{mark}<b>{html.escape(doc.genre)} số {html.escape(doc.number)}</b>"
    details = ", ".join(x for x in (doc.date and f"ngày {doc.date}", doc.issuer) if x)
    if details:
        line += f" ({html.escape(details)})"
    line += f"\n  {html.escape(doc.title)}"
    if doc.implements:
        line += f"\n  Thực hiện: {html.escape(doc.implements)}"
    if links:
        line += "\n  Kế hoạch thực hiện: " + ", ".join(html.escape(d.number) for d in links)
    return line


def _listing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> tuple[str, InlineKeyboardMarkup]:
    lib = library(context)
    pinned = pins(context).get(chat_id)
    lines = [f"<b>Văn bản đang tra cứu ({len(lib.documents)}):</b>"]
    lines += [_line(d, pinned, lib.implementers(d)) for d in lib.documents]
    if pinned is None:
        lines.append("\nCâu hỏi được tra trong mọi văn bản. Bấm để chọn văn bản mặc định:")
    else:
        lines.append("\nCâu hỏi được tra trong văn bản 📌 (trừ khi câu hỏi nêu văn bản khác).")
        lines.append("Gõ <code>/vanban bo</code> để tra trong mọi văn bản.")
    rows = [
        [InlineKeyboardButton(f"📌 {d.genre} {d.number}"[:60], callback_data=f"vanban|pin|{d.id}")]
        for d in lib.documents
        if d.id != pinned
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def _may_pin(context: ContextTypes.DEFAULT_TYPE, message: Message, user: User) -> bool:
    """Anyone in a private chat; in a group, its administrators and the bot's admins."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    member = reporting(context).store.member(user.id)
    if member is not None and member.role == ADMIN:
        return True
    status = (await context.bot.get_chat_member(message.chat_id, user.id)).status
    return status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def documents_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the documents with a pin button each; ``/vanban bo`` unpins."""
    message, user = update.message, update.effective_user
    if message is None or user is None:
        return
    if [a.casefold() for a in context.args or []] in (["bo"], ["bỏ"]):
        if not await _may_pin(context, message, user):
            await message.reply_text(NOT_ALLOWED)
            return
        had = pins(context).unpin(message.chat_id)
        await message.reply_text(UNPINNED if had else NOTHING_PINNED)
        return
    text, markup = _listing(context, message.chat_id)
    await message.reply_text(text, reply_markup=markup)


async def pin_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pin the document the button names, after checking who pressed it."""
    query = update.callback_query
    found = _PIN.fullmatch(query.data or "") if query else None
    if query is None or not isinstance(query.message, Message):
        return
    if found is None or library(context).document(int(found[2])) is None:
        await query.answer(GONE, show_alert=True)
        return
    if not await _may_pin(context, query.message, query.from_user):
        await query.answer(NOT_ALLOWED, show_alert=True)
        return
    doc = library(context).document(int(found[2]))
    assert doc is not None
    pins(context).pin(query.message.chat_id, doc.id, query.from_user.id)
    await query.answer(f"Đã chọn {doc.genre} {doc.number}")
    text, markup = _listing(context, query.message.chat_id)
    await query.edit_message_text(text, reply_markup=markup)


def choice_keyboard(answer: LibraryAnswer) -> InlineKeyboardMarkup:
    """One button per document the question may be about."""
    rows = [
        [InlineKeyboardButton(f"📄 {c.label}"[:60], callback_data=f"vbhoi|{c.document}")]
        for c in answer.choices
    ]
    return InlineKeyboardMarkup(rows)


def remember_question(context: ContextTypes.DEFAULT_TYPE, message_id: int, question: str) -> None:
    """Keep the question a "which document?" message asks about (the last few per chat)."""
    if context.chat_data is None:
        return
    pending: dict[int, str] = context.chat_data.setdefault(_PENDING, {})
    pending[message_id] = question
    for old in sorted(pending)[:-_KEEP]:
        del pending[old]


async def which_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the pending question from the document the button names."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    found = _WHICH.fullmatch(query.data or "")
    pending = (context.chat_data or {}).get(_PENDING, {})
    question = pending.get(query.message.message_id)
    doc = library(context).document(int(found[1])) if found else None
    if doc is None:
        await query.answer(GONE, show_alert=True)
        return
    if question is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    await query.answer()
    answer = library(context).ask(question, HTML, document=doc.id)
    sent = await send_answer(query.message, answer)
    conversations(context).remember(
        query.message.chat_id, answer.context, tuple(m.message_id for m in sent)
    )
