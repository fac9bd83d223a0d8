"""Evidence files: attached by replying to a report's confirmation, sent again by a button.

A document or photo sent as a reply to the bot's confirmation of a report ("Báo cáo #N")
is kept as evidence of report N, if its author sends it, with rights now, within the
edit window (:meth:`Reporting.attach`). ``/tiendo 5.3`` lists a task's files with a
button each; a press sends the file into the chat where the button is (anyone there may
see it, as they may see the task's notes). Button data is never trusted.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes, filters

from handlers.context import reporting
from handlers.markup import HTML
from handlers.senders import sender_of
from knowledge.progress.evidence import DOCUMENT, PHOTO, Attachment, Evidence

__all__ = [
    "EVIDENCE_PATTERN",
    "ConfirmationReply",
    "attachment_of",
    "evidence_button",
    "reply_attach",
    "rows",
]

EVIDENCE = "ev"
EVIDENCE_PATTERN = rf"^{EVIDENCE}\|"
_DATA = re.compile(rf"{EVIDENCE}\|([0-9]{{1,18}})")
# The bot's confirmations of a report (full card and one-liner) name it "Báo cáo #N".
_CONFIRMATION = re.compile(r"Báo cáo #([0-9]{1,18})")
GONE = "Tệp này không còn trong hồ sơ nhiệm vụ."


def attachment_of(message: Message) -> Attachment | None:
    """The document or (largest) photo a message carries, or None."""
    caption = message.caption or ""
    if message.document is not None:
        doc = message.document
        return Attachment(
            DOCUMENT,
            doc.file_id,
            doc.file_unique_id,
            doc.file_name or "",
            doc.mime_type or "",
            doc.file_size or 0,
            caption,
        )
    if message.photo:
        photo = max(message.photo, key=lambda p: p.width * p.height)
        size = photo.file_size or 0
        return Attachment(
            PHOTO, photo.file_id, photo.file_unique_id, "", "image/jpeg", size, caption
        )
    return None


def rows(files: list[Evidence]) -> list[list[InlineKeyboardButton]]:
    """One button per file (newest first, at most 10)."""
    return [
        [InlineKeyboardButton(f"{e.label}"[:60], callback_data=f"{EVIDENCE}|{e.id}")]
        for e in files[:10]
    ]


class ConfirmationReply(filters.MessageFilter):
    """A document or photo replying to a bot message that names a report ("Báo cáo #N")."""

    def filter(self, message: Message) -> bool:
        """Whether the message is such a reply."""
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        return bool(_CONFIRMATION.search(replied.text or "")) and (
            message.document is not None or bool(message.photo)
        )


async def reply_attach(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep a file replying to a report's confirmation as evidence of that report."""
    message = update.message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or replied.from_user is None:
        return
    if replied.from_user.id != context.bot.id:
        return  # another bot's message that happens to say "Báo cáo #N"
    found = _CONFIRMATION.search(replied.text or "")
    file = attachment_of(message)
    if found is None or file is None:
        return
    outcome = reporting(context).attach(
        int(found.group(1)), file, sender_of(message), datetime.now(UTC), HTML
    )
    await message.reply_text(outcome.text, do_quote=True)


async def evidence_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send one evidence file into the chat where its button was pressed."""
    query = update.callback_query
    if query is None:
        return
    valid = _DATA.fullmatch(query.data or "")
    service = reporting(context)
    found = service.evidence.get(int(valid.group(1))) if valid else None
    report = service.store.report(found.report_id) if found else None
    if found is None or report is None or service.store.undone(report):
        await query.answer(GONE, show_alert=True)
        return
    if not isinstance(query.message, Message):
        await query.answer(GONE, show_alert=True)
        return
    chat_id = query.message.chat.id
    caption = HTML.text(f"{found.label} — nhiệm vụ {found.task_code}, báo cáo #{found.report_id}")
    try:
        if found.kind == PHOTO:
            await context.bot.send_photo(chat_id, found.file_id, caption=caption)
        else:
            await context.bot.send_document(chat_id, found.file_id, caption=caption)
    except BadRequest as error:
        await query.answer(f"Không gửi được tệp: {error.message}"[:200], show_alert=True)
        return
    await query.answer()
