"""The buttons of the write path: undo, "which task?", "which document?" and "which percent?".

A pending report (waiting for a pick) is kept per user in ``user_data``: in a group,
another member pressing the button finds nothing and is told the request expired.
Every press goes through the same gate as a new report, with the presser's rights
checked at the time of the press. Button data is never trusted: anything that does
not parse gets a quiet alert.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.context import now, reporting
from handlers.markup import HTML
from knowledge.formatting import number
from knowledge.progress.evidence import Attachment
from knowledge.progress.report_text import command_body
from knowledge.progress.reporting import Outcome, Sender

__all__ = [
    "DOCUMENT_PATTERN",
    "PERCENT_PATTERN",
    "PICK_PATTERN",
    "UNDO_PATTERN",
    "Pending",
    "document_button",
    "keyboard_for",
    "percent_button",
    "pick_button",
    "quiet_here",
    "react",
    "undo_button",
]

log = logging.getLogger(__name__)

UNDO = "undo"
PICK = "pick"
PERCENT = "pct"
DOCUMENT = "rdoc"
DOCUMENT_PATTERN = rf"^{DOCUMENT}\|"
UNDO_PATTERN = rf"^{UNDO}\|"
PICK_PATTERN = rf"^{PICK}\|"
PERCENT_PATTERN = rf"^{PERCENT}\|"
# Undo data: exactly "undo|<id>", ASCII digits only ("²".isdigit() is true), bounded.
_UNDO_DATA = re.compile(rf"{UNDO}\|([0-9]{{1,18}})")
_TOKEN = re.compile(r"[0-9a-f]{8}")
EXPIRED = "Yêu cầu đã hết hạn, hãy gửi lại /capnhat."
PENDING = "pending_reports"


@dataclass(frozen=True)
class Pending:
    """A report waiting for its author to press a button.

    Attributes:
        text: The report line as sent.
        chat_id: Where it was sent.
        message_id: The message that carried it (kept on the row, for edits).
        task_code: The task, when already known (a reply to a card, a pick).
        percent: The percent, when already picked among several.
        attachment: The file the report came with (its caption was the report).
        document: The document the task is in, when known (a card's, or picked).
        offered: The task codes a "which task?" question offered (a press must be one).

    """

    text: str
    chat_id: int
    message_id: int
    task_code: str = ""
    percent: float | None = None
    attachment: Attachment | None = None
    document: int | None = None
    offered: tuple[str, ...] = ()


def _remember(context: ContextTypes.DEFAULT_TYPE, pending: Pending) -> str:
    """Keep ``pending`` for the current user only; returns its token."""
    token = secrets.token_hex(4)
    if context.user_data is not None:
        context.user_data.setdefault(PENDING, {})[token] = pending
    return token


def _take(context: ContextTypes.DEFAULT_TYPE, token: str) -> Pending | None:
    """The current user's pending report for ``token``, removed (a press counts once)."""
    if context.user_data is None or not _TOKEN.fullmatch(token):
        return None
    found = context.user_data.get(PENDING, {}).pop(token, None)
    return found if isinstance(found, Pending) else None


def keyboard_for(
    outcome: Outcome, context: ContextTypes.DEFAULT_TYPE, pending: Pending
) -> InlineKeyboardMarkup | None:
    """The buttons an outcome needs: undo, a task pick or a percent pick (else None)."""
    if outcome.kind == "saved" and outcome.report is not None:
        data = f"{UNDO}|{outcome.report.id}"
        return InlineKeyboardMarkup([[InlineKeyboardButton("↩️ Hoàn tác", callback_data=data)]])
    if outcome.kind == "choose":
        offered = tuple(c.id for c in outcome.choices)
        document = outcome.document if outcome.document is not None else pending.document
        token = _remember(context, replace(pending, document=document, offered=offered))
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(c.title[:60], callback_data=f"{PICK}|{token}|{c.id}")]
                for c in outcome.choices
            ]
        )
    if outcome.kind == "choose_document":
        token = _remember(context, pending)
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(f"📄 {label}"[:60], callback_data=f"{DOCUMENT}|{token}|{i}")]
                for i, label in outcome.documents
            ]
        )
    if outcome.kind == "choose_percent":
        token = _remember(context, pending)
        row = [
            InlineKeyboardButton(f"{number(p)}%", callback_data=f"{PERCENT}|{token}|{i}")
            for i, p in enumerate(outcome.percents[:4])
        ]
        return InlineKeyboardMarkup([row])
    return None


def quiet_here(context: ContextTypes.DEFAULT_TYPE, chat_id: int, chat_type: str) -> bool:
    """Whether saved reports in this chat get the 👍 and the one-line confirmation."""
    return reporting(context).chats.quiet(chat_id, group=chat_type != ChatType.PRIVATE)


async def react(context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int) -> None:
    """Put 👍 on a report's message; a chat that allows no reactions just goes without."""
    try:
        await context.bot.set_message_reaction(chat_id, message_id, "👍")
    except TelegramError as error:
        log.info("no reaction in chat %s: %s", chat_id, error)


def _presser(query: CallbackQuery, pending: Pending | None = None) -> Sender:
    """The person who pressed (never the author of the message the button sits under)."""
    user = query.from_user
    chat_id, message_id = (pending.chat_id, pending.message_id) if pending else (0, 0)
    if pending is None and isinstance(query.message, Message):
        chat_id, message_id = query.message.chat.id, query.message.message_id
    return Sender(user.id, user.full_name, chat_id, message_id, is_bot=user.is_bot)


def _plain(text: str) -> str:
    """An outcome's text for an alert (no HTML, at most 200 characters)."""
    return re.sub(r"<[^>]+>", "", text)[:200]


def _parts(data: str | None) -> list[str]:
    """``kind|token|value`` split into three fields (missing ones empty)."""
    return [*(data or "").split("|", 2), "", "", ""][:3]


async def undo_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Undo a report from its confirmation's button."""
    query = update.callback_query
    if query is None:
        return
    valid = _UNDO_DATA.fullmatch(query.data or "")
    report_id = int(valid.group(1)) if valid else 0
    outcome = reporting(context).undo(report_id, _presser(query), datetime.now(UTC), HTML)
    if outcome.kind != "saved":
        await query.answer(_plain(outcome.text), show_alert=True)
        return
    await query.answer("Đã hoàn tác.")
    await query.edit_message_reply_markup(None)
    if isinstance(query.message, Message):
        await query.message.reply_text(outcome.text)


async def pick_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write a pending report to the task the user picked."""
    query = update.callback_query
    if query is None:
        return
    _, token, code = _parts(query.data)
    pending = _take(context, token)
    if pending is None or code not in pending.offered:
        await query.answer(EXPIRED, show_alert=True)
        return
    # The task is resolved again in the document the question was about (the press is not
    # trusted to name one); the gate checks the presser's rights on it.
    await _resubmit(query, context, replace(pending, task_code=code))


async def document_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write a pending report to the task of the document the user picked."""
    query = update.callback_query
    if query is None:
        return
    _, token, value = _parts(query.data)
    pending = _take(context, token)
    known = {str(d.id): d.id for d in reporting(context).documents}
    if pending is None or value not in known:
        await query.answer(EXPIRED, show_alert=True)
        return
    await _resubmit(query, context, replace(pending, document=known[value]))


async def percent_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write a pending report with the percent the user picked among several."""
    query = update.callback_query
    if query is None:
        return
    _, token, index = _parts(query.data)
    pending = _take(context, token)
    choices = reporting(context).percent_choices(pending.text) if pending else ()
    if pending is None or index not in {str(i) for i in range(len(choices))}:
        await query.answer(EXPIRED, show_alert=True)
        return
    await _resubmit(query, context, replace(pending, percent=choices[int(index)]))


async def _resubmit(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, pending: Pending
) -> None:
    """Submit a pending report again with what was picked; show the outcome in place."""
    outcome = reporting(context).submit(
        command_body(pending.text),
        _presser(query, pending),
        now(context).date(),
        task_code=pending.task_code or None,
        percent=pending.percent,
        m=HTML,
        attachment=pending.attachment,
        document=pending.document,
    )
    if outcome.kind == "refused":
        await query.answer(_plain(outcome.text), show_alert=True)
    else:
        await query.answer()
    markup = keyboard_for(outcome, context, pending)
    text = outcome.text
    chat = query.message.chat if isinstance(query.message, Message) else None
    if outcome.kind == "saved" and chat is not None and quiet_here(context, chat.id, chat.type):
        await react(context, pending.chat_id, pending.message_id)
        text = outcome.short or text
    await query.edit_message_text(text, reply_markup=markup)
