"""Disambiguation buttons: pressing one edits the message to that record."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.chunks import LIMIT
from handlers.context import engine
from handlers.markup import HTML
from handlers.replies import SHOW

__all__ = ["SHOW_PATTERN", "show_button"]


async def show_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replace the answer with the record the button names."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    _, kind, key = [*query.data.split("|", 2), "", ""][:3]
    card = engine(context).card(kind, key, HTML)
    if card is None:
        await query.answer("Nội dung này không còn trong cơ sở dữ liệu.", show_alert=True)
        return
    await query.answer()
    if len(card) > LIMIT:
        card = card[: LIMIT - 1].rsplit("\n", 1)[0] + "\n…"
    message = query.message
    # Keep the buttons so the user can switch between the alternatives.
    markup = getattr(message, "reply_markup", None)
    await query.edit_message_text(card, reply_markup=markup)


SHOW_PATTERN = rf"^{SHOW}\|"
