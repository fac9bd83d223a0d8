"""Inline mode: ``@botname che phu rung`` in any chat offers matching records."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import InlineQueryLimit
from telegram.ext import ContextTypes

from handlers.chunks import truncate
from handlers.context import engine
from handlers.markup import HTML

__all__ = ["inline_query"]

KIND_LABEL = {
    "task": "Nhiệm vụ",
    "indicator": "Chỉ tiêu",
    "responsibility": "Trách nhiệm",
    "section": "Mục",
    "passage": "Đoạn",
}


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an inline query with up to 50 matching records."""
    query = update.inline_query
    if query is None:
        return
    eng = engine(context)
    results = []
    for r in eng.suggest(query.query, limit=InlineQueryLimit.RESULTS):
        card, plain = eng.card(r.kind, r.id, HTML), eng.card(r.kind, r.id)
        if card is None or plain is None:
            continue
        card = truncate(card)
        results.append(
            InlineQueryResultArticle(
                id=f"{r.kind}:{r.id}"[:64],
                title=f"{KIND_LABEL.get(r.kind, r.kind)}: {r.title}",
                description=" ".join(plain.split("\n")[1:3])[:200] or None,
                input_message_content=InputTextMessageContent(card),
            )
        )
    await query.answer(results, cache_time=300, is_personal=False)
