"""An admin's review of a completed task: buttons under /tiendo, /xacnhan and /tralai.

"✅ Xác nhận hoàn thành" confirms at once. "↩️ Trả lại" asks for the reason with a
ForceReply prompt; the reason is the reply to that prompt (or ``/tralai 5.3 <lý do>``
directly). Every press, reply and command goes through :mod:`knowledge.progress.review`, which
checks that the one acting is an admin *now* and that the task is done now. The author
of the completion report is told in private (via :func:`handlers.digest.deliver`).
"""

from __future__ import annotations

import re

from telegram import CallbackQuery, ForceReply, InlineKeyboardButton, Message, Update
from telegram.ext import ContextTypes, filters
from telegram.helpers import mention_html

from handlers.context import engine, reporting
from handlers.digest import deliver
from handlers.markup import HTML
from handlers.senders import sender_of
from knowledge.programme.model import Task
from knowledge.progress import review
from knowledge.progress.log import RETURN, TaskState
from knowledge.progress.reporting import Sender

__all__ = [
    "REVIEW_PATTERN",
    "ReasonReply",
    "confirm_command",
    "reason_reply",
    "return_command",
    "review_button",
    "rows",
]

REVIEW = "rv"
REVIEW_PATTERN = rf"^{REVIEW}\|"
_DATA = re.compile(rf"{REVIEW}\|(ok|back)\|([^|]{{1,10}})")
CONFIRM_LABEL = "✅ Xác nhận hoàn thành"
RETURN_LABEL = "↩️ Trả lại"
# The prompt asking for a reason; a reply to it is the reason.
_PROMPT = re.compile(r"^↩️ Trả lại nhiệm vụ (\S{1,10}) — lý do\?")
EXPIRED = "Nút này không còn dùng được."
CONFIRM_USAGE = "Cú pháp: /xacnhan <mã nhiệm vụ>. Ví dụ: /xacnhan 5.3"


def rows(task: Task, state: TaskState) -> list[list[InlineKeyboardButton]]:
    """Review buttons for a task that is done now (none otherwise)."""
    if not state.done:
        return []
    buttons = [InlineKeyboardButton(RETURN_LABEL, callback_data=f"{REVIEW}|back|{task.code}")]
    if not state.confirmed:
        ok = InlineKeyboardButton(CONFIRM_LABEL, callback_data=f"{REVIEW}|ok|{task.code}")
        buttons.insert(0, ok)
    return [buttons]


async def _announce(
    message: Message, context: ContextTypes.DEFAULT_TYPE, done: review.Reviewed
) -> None:
    """Tell the reporter in private (if there is one to tell), then answer in the chat."""
    text = done.outcome.text
    notice = done.notice
    if done.outcome.kind == "saved" and notice is not None:

        async def send(to: int) -> None:
            await context.bot.send_message(to, notice.text)

        reached = await deliver(context.application, notice.user_id, send)
        who = HTML.text(notice.name or f"id {notice.user_id}")
        text += (
            f"\nĐã báo cho {who}."
            if reached is not None
            else f"\nKhông gửi được tin báo cho {who} (họ chưa mở trò chuyện riêng với bot)."
        )
    await message.reply_text(text, do_quote=True)


def _presser(query: CallbackQuery) -> Sender:
    user = query.from_user
    message = query.message if isinstance(query.message, Message) else None
    chat_id, message_id = (message.chat.id, message.message_id) if message else (0, 0)
    return Sender(user.id, user.full_name, chat_id, message_id, is_bot=user.is_bot)


async def review_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm a completion, or ask for the reason to return it."""
    query = update.callback_query
    if query is None:
        return
    valid = _DATA.fullmatch(query.data or "")
    task = engine(context).task(valid.group(2)) if valid else None
    if valid is None or task is None or not isinstance(query.message, Message):
        await query.answer(EXPIRED, show_alert=True)
        return
    service, presser = reporting(context), _presser(query)
    if valid.group(1) == "ok":
        done = review.confirm(service, task, presser, HTML)
        if done.outcome.kind != "saved":
            await query.answer(_plain(done.outcome.text), show_alert=True)
            return
        await query.answer("Đã xác nhận.")
        await _announce(query.message, context, done)
        return
    # Return: the same gate first, so only an admin gets the prompt.
    refused = service.authorise(presser, task, f"return {task.code}", RETURN, admin_only=True)
    if refused is None and not service.state_of(task).done:
        refused = review.not_done(service, task, presser, f"return {task.code}", RETURN)
    if refused is not None:
        await query.answer(_plain(refused.text), show_alert=True)
        return
    await query.answer()
    # Selective: in a group only the admin mentioned gets the reply field.
    await query.message.reply_text(
        HTML.text(f"↩️ Trả lại nhiệm vụ {task.code} — lý do? ")
        + mention_html(presser.user_id, presser.name or "quản trị viên")
        + HTML.text(f", trả lời tin này với lý do (hoặc gõ /tralai {task.code} <lý do>)."),
        reply_markup=ForceReply(selective=True, input_field_placeholder="Lý do trả lại"),
    )


class ReasonReply(filters.MessageFilter):
    """A text reply to the bot's "lý do?" prompt."""

    def filter(self, message: Message) -> bool:
        """Whether the message replies to the prompt."""
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        return bool(_PROMPT.match(replied.text or ""))


async def reason_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Return the task named in the prompt, with the reply as the reason."""
    message = update.message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or replied.from_user is None:
        return
    found = _PROMPT.match(replied.text or "")
    task = engine(context).task(found.group(1)) if found else None
    if replied.from_user.id != context.bot.id or task is None:
        return
    done = review.send_back(reporting(context), task, message.text or "", sender_of(message), HTML)
    await _announce(message, context, done)


async def confirm_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/xacnhan <mã>: confirm a completed task (admins)."""
    message = update.message
    if message is None:
        return
    code = (context.args or [""])[0]
    task = engine(context).task(code) if code else None
    if task is None:
        await message.reply_text(HTML.text(CONFIRM_USAGE))
        return
    done = review.confirm(reporting(context), task, sender_of(message), HTML)
    await _announce(message, context, done)


async def return_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tralai <mã> <lý do>: return a completed task to in progress (admins)."""
    message = update.message
    if message is None:
        return
    args = list(context.args or [])
    task = engine(context).task(args[0]) if args else None
    if task is None:
        await message.reply_text(HTML.text(review.RETURN_USAGE))
        return
    reason = " ".join(args[1:])
    done = review.send_back(reporting(context), task, reason, sender_of(message), HTML)
    await _announce(message, context, done)


def _plain(text: str) -> str:
    """An outcome's text for an alert (no HTML, at most 200 characters)."""
    return re.sub(r"<[^>]+>", "", text)[:200]
