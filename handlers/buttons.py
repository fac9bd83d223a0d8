"""Disambiguation buttons: pressing one edits the message to that record."""

from __future__ import annotations

import re

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers.chunks import truncate
from handlers.context import engine
from handlers.markup import HTML
from handlers.replies import SHOW

__all__ = ["SHOW_PATTERN", "show_button"]

SHOW_PATTERN = rf"^{SHOW}\|"
# What keyboard() writes: "show|<kind>|<id>" (at most 64 bytes); anything else is stale or forged.
_DATA = re.compile(rf"{SHOW}\|([a-z]{{1,20}})\|([^|\s]{{1,60}})")
GONE = "Nội dung này không còn trong cơ sở dữ liệu."
NOT_MODIFIED = "message is not modified"


async def show_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replace the answer with the record the button names."""
    query = update.callback_query
    if query is None:
        return
    found = _DATA.fullmatch(query.data or "")
    card = engine(context).card(found[1], found[2], HTML) if found else None
    if card is None:
        await query.answer(GONE, show_alert=True)
        return
    await query.answer()
    card = truncate(card)
    message = query.message
    # Keep the buttons so the user can switch between the alternatives.
    markup = getattr(message, "reply_markup", None)
    try:
        await query.edit_message_text(card, reply_markup=markup)
    except BadRequest as exc:
        # Pressing the record already shown changes nothing; Telegram refuses that edit.
        if NOT_MODIFIED not in exc.message.lower():
            raise
