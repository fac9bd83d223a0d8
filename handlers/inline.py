"""Inline mode: ``@botname che phu rung`` in any chat offers matching records."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import InlineQueryLimit
from telegram.ext import ContextTypes

from handlers.chunks import truncate
from handlers.context import library
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
    lib = library(context)
    several = len(lib.documents) > 1
    hits = [
        (r, doc)
        for doc in lib.route(query.query)
        for r in doc.engine.suggest(query.query, limit=InlineQueryLimit.RESULTS)
    ]
    hits.sort(key=lambda p: -p[0].score)  # stable: documents in order on ties
    results = []
    for r, doc in hits[: InlineQueryLimit.RESULTS]:
        card, plain = doc.engine.card(r.kind, r.id, HTML), doc.engine.card(r.kind, r.id)
        if card is None or plain is None:
            continue
        card = truncate(card)
        where = f" ({doc.number})" if several and doc.number else ""
        results.append(
            InlineQueryResultArticle(
                id=(f"{doc.id}:{r.kind}:{r.id}" if several else f"{r.kind}:{r.id}")[:64],
                title=f"{KIND_LABEL.get(r.kind, r.kind)}{where}: {r.title}",
                description=" ".join(plain.split("\n")[1:3])[:200] or None,
                input_message_content=InputTextMessageContent(card),
            )
        )
    await query.answer(results, cache_time=300, is_personal=False)
