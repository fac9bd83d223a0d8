"""Send an engine answer: split to Telegram's size, quote in groups, buttons for alternatives."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ChatType, InlineKeyboardButtonLimit
from telegram.error import BadRequest

from handlers.chunks import plain_text, split_message
from knowledge.engine import Answer, Result

__all__ = ["SHOW", "keyboard", "reply_pieces", "send_answer"]

log = logging.getLogger(__name__)
_CANT_PARSE = "can't parse entities"

# Callback data of "show this record" buttons: "show|<kind>|<id>".
SHOW = "show"
_MAX_DATA = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA


def keyboard(results: list[Result]) -> InlineKeyboardMarkup | None:
    """One button per alternative record, for disambiguation.

    Args:
        results: Alternatives, best first; at most 3 become buttons.

    Returns:
        The keyboard, or None when there is nothing to offer.

    """
    rows = []
    for r in results[:3]:
        data = f"{SHOW}|{r.kind}|{r.id}"
        if len(data.encode()) > _MAX_DATA:
            continue
        label = r.title if len(r.title) <= 60 else r.title[:59] + "…"
        rows.append([InlineKeyboardButton(f"🔎 {label}", callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


async def send_answer(message: Message, answer: Answer) -> list[Message]:
    """Reply to ``message`` with ``answer`` (HTML), in as many messages as needed.

    In groups the first piece quotes the question so the thread stays readable.

    Args:
        message: The user's message.
        answer: The engine's answer, rendered with HTML markup.

    Returns:
        The messages sent.

    """
    markup = keyboard(answer.alternatives) if answer.found else None
    return await reply_pieces(message, answer.text, markup)


async def reply_pieces(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> list[Message]:
    """Reply with ``text`` split to Telegram's size; quote in groups, buttons on the last piece.

    A piece Telegram cannot parse is sent again as plain text, so the rest (and the piece
    with the buttons) still arrives.

    Args:
        message: The message to reply to.
        text: Telegram HTML.
        markup: Buttons for the last piece.

    Returns:
        The messages sent.

    """
    pieces = split_message(text)
    quote = message.chat.type != ChatType.PRIVATE
    sent = []
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        sent.append(
            await _reply(
                message, piece, do_quote=quote and i == 0, markup=markup if last else None
            )
        )
    return sent


async def _reply(
    message: Message, piece: str, *, do_quote: bool, markup: InlineKeyboardMarkup | None
) -> Message:
    """Send one piece as HTML, or as plain text when Telegram cannot parse it."""
    try:
        return await message.reply_text(piece, do_quote=do_quote, reply_markup=markup)
    except BadRequest as exc:
        if _CANT_PARSE not in exc.message.lower():
            raise
        log.warning("sending a piece as plain text: %s", exc.message)
    return await message.reply_text(
        plain_text(piece), parse_mode=None, do_quote=do_quote, reply_markup=markup
    )
