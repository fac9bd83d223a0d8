"""An admin sends a document file in a private chat: a preview, then "Nạp" loads it live."""

from __future__ import annotations

import asyncio
import html
import logging
import re
import secrets
import tempfile
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from handlers.context import install_library, library, loader, reporting
from knowledge.errors import KnowledgeError
from knowledge.programme.model import Programme
from knowledge.programme.sources import FORMATS
from knowledge.progress.log import ADMIN

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "UPLOAD_PATTERN",
    "preview_text",
    "upload_button",
    "upload_document",
]

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024  # the Bot API's download limit for bots
UPLOAD_PATTERN = r"^tailen\|"
_DATA = re.compile(r"tailen\|(nap|huy)\|([0-9a-f]{12})")
_PENDING = "pending_upload"  # user_data: {"token", "text", "name"}

NOT_ADMIN = "Chỉ quản trị viên của bot được nạp văn bản mới."
TOO_BIG = "Tệp lớn hơn 20 MB: Telegram không cho bot tải về. Hãy gửi bản nhỏ hơn (ví dụ .docx)."
WRONG_FORMAT = "Chỉ nhận tệp .txt, .docx, .pdf hoặc ảnh chụp (.png, .jpg, .tif)."
SCANNED = (
    "🔎 Bản quét, đọc bằng OCR: hãy đối chiếu số văn bản, cơ quan và các con số với bản gốc "
    "trước khi nạp."
)
EXPIRED = "Tệp này không còn chờ nạp (đã nạp, đã hủy hoặc đã gửi tệp khác)."
CANCELLED = "Đã hủy: không nạp văn bản nào."


def _is_admin(context: ContextTypes.DEFAULT_TYPE, user: User) -> bool:
    member = reporting(context).store.member(user.id)
    return member is not None and member.role == ADMIN


def _unread(p: Programme) -> list[str]:
    """What the parser could not fill in."""
    missing = [
        label
        for label, value in (("số văn bản", p.number), ("ngày", p.issued), ("người ký", p.signer))
        if not value
    ]
    notes = [f"không thấy {', '.join(missing)}"] if missing else []
    counts = (
        (sum(1 for t in p.tasks if not t.lead), "nhiệm vụ không có cơ quan chủ trì"),
        (sum(1 for t in p.tasks if not (t.due or t.period)), "nhiệm vụ không có thời hạn"),
        (sum(1 for i in p.indicators if i.low is None), "chỉ tiêu không đọc được số"),
    )
    return notes + [f"{n} {label}" for n, label in counts if n]


def preview_text(p: Programme, name: str, replaces: bool, scanned: bool = False) -> str:
    """What the bot recognised in an uploaded document (Telegram HTML); ``scanned``: by OCR."""
    e = html.escape
    genre = "Kế hoạch" if p.kind == "plan" else "Chương trình hành động"
    lines = [
        f"📄 <b>{e(name)}</b>: đã đọc, <b>chưa nạp</b>.",
        f"<b>{genre} số {e(p.number or '?')}</b>, ngày {e(p.issued or '?')}",
        f"Cơ quan ban hành: {e(p.issuer or '?')}",
        f"Tên: {e(p.title)}",
    ]
    if p.implements:
        lines.append(f"Thực hiện: {e(p.implements)}")
    lines.append(
        f"Gồm {len(p.indicators)} chỉ tiêu, {len(p.tasks)} nhiệm vụ, "
        f"{len(p.responsibilities)} mục trách nhiệm, {len(p.passages)} đoạn nội dung."
    )
    if p.tasks:
        lines.append("<b>Nhiệm vụ đầu tiên:</b>")
        lines += [f"• {e(t.code)} — {e(t.content[:90])} ({e(t.lead or '?')})" for t in p.tasks[:3]]
    if p.indicators:
        lines.append("<b>Chỉ tiêu đầu tiên:</b>")
        lines += [f"• {e(i.name[:80])}: {e(i.value)}" for i in p.indicators[:3]]
    unread = _unread(p)
    if unread:
        lines.append("<b>Chưa đọc được:</b> " + e("; ".join(unread)) + ".")
    if scanned:
        lines.append(SCANNED)
    if replaces:
        lines.append("⚠️ Văn bản cùng số, ngày, cơ quan đã có: nạp sẽ <b>thay</b> bản cũ.")
    lines.append("Bấm <b>Nạp</b> để bot trả lời từ văn bản này ngay, hoặc <b>Hủy</b>.")
    return "\n".join(lines)


def _read(data: bytes, name: str) -> tuple[str, Programme, bool]:
    """Read and parse the file without storing anything (runs in a worker thread).

    Returns:
        The text, the document parsed from it, and whether OCR read it (a scan).

    """
    from knowledge.programme.parser import parse_programme
    from knowledge.programme.sources import read_document

    with tempfile.TemporaryDirectory(prefix="ctbot-upload-") as folder:
        path = Path(folder) / f"upload{Path(name).suffix.lower()}"
        path.write_bytes(data)
        text, scanned = read_document(path)
    return text, parse_programme(text), scanned


async def upload_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Read a document an admin sent; reply with what was recognised and Nạp/Hủy buttons."""
    message, user = update.message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    if not _is_admin(context, user):
        await message.reply_text(NOT_ADMIN)
        return
    doc = message.document
    name = doc.file_name or "tệp"
    if Path(name).suffix.lower() not in FORMATS:
        await message.reply_text(WRONG_FORMAT)
        return
    if doc.file_size is not None and doc.file_size > MAX_BYTES:
        await message.reply_text(TOO_BIG)
        return
    file = await doc.get_file()
    data = bytes(await file.download_as_bytearray())
    await message.chat.send_action(ChatAction.TYPING)  # a scan takes seconds a page
    try:
        text, programme, scanned = await asyncio.to_thread(_read, data, name)
    except KnowledgeError as exc:
        await message.reply_text(f"Không nạp được {html.escape(name)}: {html.escape(exc.vi)}")
        return
    token = secrets.token_hex(6)
    assert context.user_data is not None
    context.user_data[_PENDING] = {"token": token, "text": text, "name": name}
    replaces = any(
        (d.issuer, d.number, d.date) == (programme.issuer, programme.number, programme.issued)
        for d in library(context).documents
    )
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Nạp", callback_data=f"tailen|nap|{token}"),
                InlineKeyboardButton("✖️ Hủy", callback_data=f"tailen|huy|{token}"),
            ]
        ]
    )
    await message.reply_text(
        preview_text(programme, name, replaces, scanned), reply_markup=buttons
    )


async def upload_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Nạp (load, rebuild the library, swap it in) or Hủy; rights are checked at the press."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    found = _DATA.fullmatch(query.data or "")
    pending = (context.user_data or {}).get(_PENDING)
    if found is None or pending is None or pending["token"] != found[2]:
        await query.answer(EXPIRED, show_alert=True)
        return
    if not _is_admin(context, query.from_user):
        await query.answer(NOT_ADMIN, show_alert=True)
        return
    assert context.user_data is not None
    del context.user_data[_PENDING]
    if found[1] == "huy":
        await query.answer()
        await query.edit_message_text(CANCELLED)
        return
    await query.answer("Đang nạp…")
    try:
        # In the loop's thread: the database connection belongs to it (one short transaction).
        new = loader(context).load(pending["text"], f"telegram:{pending['name']}")
    except KnowledgeError as exc:
        await query.edit_message_text(f"Không nạp được: {html.escape(exc.vi)}")
        return
    install_library(context.bot_data, new)
    doc = new.primary_document
    log.info("document %s loaded from Telegram by %s", doc.number, query.from_user.id)
    await query.edit_message_text(
        f"✅ Đã nạp {html.escape(doc.genre)} số {html.escape(doc.number)}. "
        f"Bot đang tra cứu {len(new.documents)} văn bản; câu hỏi tiếp theo được trả lời "
        "từ cả văn bản này. Xem /vanban."
    )
