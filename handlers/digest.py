"""Daily digests: /dangky, /huydangky, /tomtat, /bieudo and the scheduled jobs."""

from __future__ import annotations

import logging
from datetime import time

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from handlers.chunks import split_message
from handlers.context import SUBSCRIPTIONS, now, reporting, subscriptions, timezone
from handlers.markup import HTML
from knowledge.digest import (
    Subscription,
    build_digest,
    chart_data,
    describe_days,
    parse_schedule,
    stale_by_agency,
)
from knowledge.progress import REPORTER

__all__ = [
    "chart_command",
    "schedule_all",
    "send_digest",
    "subscribe_command",
    "summary_command",
    "unsubscribe_command",
]

log = logging.getLogger(__name__)
MONDAY = 1


def _job_name(chat_id: int) -> str:
    return f"digest:{chat_id}"


def schedule(application: Application, sub: Subscription) -> None:  # type: ignore[type-arg]
    """(Re)schedule one chat's digest with the JobQueue, at its local time."""
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    for job in queue.get_jobs_by_name(_job_name(sub.chat_id)):
        job.schedule_removal()
    queue.run_daily(
        send_digest,
        time=time(sub.at.hour, sub.at.minute, tzinfo=timezone(application)),
        # PTB counts days from Sunday = 0; ISO weekdays run Monday = 1 … Sunday = 7.
        days=tuple(sorted(d % 7 for d in sub.days)),
        name=_job_name(sub.chat_id),
        chat_id=sub.chat_id,
    )


def schedule_all(application: Application) -> None:  # type: ignore[type-arg]
    """At start: schedule every subscription, the weekly reminders, and missed digests."""
    store = application.bot_data[SUBSCRIPTIONS]
    queue = application.job_queue
    assert queue is not None
    for sub in store.all():
        schedule(application, sub)
    reminders_at = time(8, 0, tzinfo=timezone(application))
    queue.run_daily(remind_stale, time=reminders_at, days=(MONDAY,), name="reminders")
    for sub in store.due_catch_up(now(application)):
        log.info("sending the digest missed while the bot was down to chat %s", sub.chat_id)
        queue.run_once(send_digest, when=1, chat_id=sub.chat_id, name=f"catch-up:{sub.chat_id}")


async def _send_text(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> None:
    for piece in split_message(text):
        await context.bot.send_message(chat_id, piece)


async def _send_chart(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    from knowledge.chart import TargetProgress, progress_chart

    service = reporting(context)
    by_part, targets = chart_data(service, now(context).date())
    png = progress_chart(
        by_part,
        [TargetProgress(n, t, v, u, low) for n, t, v, u, low in targets],
        subtitle=service.engine.programme.title,
    )
    await context.bot.send_photo(chat_id, png, caption="Biểu đồ tiến độ")


async def send_digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: send a chat its digest of today, once (the Monday one with the chart)."""
    job = context.job
    if job is None or job.chat_id is None:
        return
    chat_id = job.chat_id
    store = subscriptions(context)
    moment = now(context)
    sub = store.get(chat_id)
    if sub is None or not store.claim(chat_id, moment.date(), moment):
        return
    try:
        text, changed = build_digest(reporting(context), moment, HTML)
        if changed or not sub.quiet:
            await _send_text(context, chat_id, text)
            if moment.isoweekday() == MONDAY:
                await _send_chart(context, chat_id)
    except Forbidden:
        log.warning("chat %s blocked the bot or removed it; unsubscribing", chat_id)
        store.unsubscribe(chat_id)
        return
    except Exception:
        store.release(chat_id, moment.date())
        raise
    store.mark_sent(chat_id, moment.date(), now(context))


async def remind_stale(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job (weekly): nudge reporters whose agencies have tasks without a report for 30 days."""
    service, store = reporting(context), subscriptions(context)
    moment = now(context)
    stale = stale_by_agency(service, moment)
    for member in service.store.members():
        if member.role != REPORTER or not store.has_started(member.user_id):
            continue
        tasks = [t for a in member.agencies for t in stale.get(a, [])]
        tasks += [
            t
            for agency, items in stale.items()
            for t in items
            if any(service.engine.resolve_agency(agency) == a for a in member.agencies)
            and t not in tasks
        ]
        if not tasks or not store.remind_due(member.user_id, moment):
            continue
        codes = ", ".join(t.code for t in tasks)
        text = (
            f"🔔 Nhắc cập nhật tiến độ: {len(tasks)} nhiệm vụ của đơn vị chưa có báo cáo "
            f"trong 30 ngày ({HTML.text(codes)}). Gửi <code>/capnhat {tasks[0].code} 50% "
            "ghi chú</code> để cập nhật."
        )
        try:
            await context.bot.send_message(member.user_id, text)
        except TelegramError as exc:
            log.warning("could not remind %s: %s", member.user_id, exc)


async def _may_manage(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    if message.chat.type == ChatType.PRIVATE:
        return True
    if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
        return True  # an anonymous admin of this group
    user = message.from_user
    if user is None:
        return False
    member = reporting(context).store.member(user.id)
    if member is not None and member.role == "admin":
        return True
    status = (await context.bot.get_chat_member(message.chat_id, user.id)).status
    return status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/dangky [HH:MM] [ngày]: subscribe this chat to the daily digest."""
    message = update.message
    if message is None:
        return
    if not await _may_manage(message, context):
        await message.reply_text("⛔ Chỉ quản trị viên nhóm hoặc quản trị viên bot được đăng ký.")
        return
    args = list(context.args or [])
    quiet = any(a.lower() in ("im", "imlang", "im-lặng", "imlặng") for a in args)
    args = [a for a in args if a.lower() not in ("im", "imlang", "im-lặng", "imlặng")]
    parsed = parse_schedule(args)
    if isinstance(parsed, str):
        await message.reply_text(HTML.text(parsed) + " Cú pháp: <code>/dangky 07:30 T2-T6</code>")
        return
    at, days = parsed
    user_id = message.from_user.id if message.from_user else 0
    sub = Subscription(message.chat_id, at, days, quiet, user_id)
    subscriptions(context).subscribe(sub, now(context))
    schedule(context.application, sub)
    silent = " Không gửi khi không có thay đổi." if quiet else ""
    await message.reply_text(
        f"✅ Đã đăng ký tóm tắt lúc <b>{at:%H:%M}</b>, {describe_days(days)} "
        f"(giờ Việt Nam).{silent} Hủy: /huydangky"
    )


async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huydangky: stop this chat's digest."""
    message = update.message
    if message is None:
        return
    if not await _may_manage(message, context):
        await message.reply_text("⛔ Chỉ quản trị viên nhóm hoặc quản trị viên bot được hủy.")
        return
    removed = subscriptions(context).unsubscribe(message.chat_id)
    queue = context.application.job_queue
    if queue is not None:
        for job in queue.get_jobs_by_name(_job_name(message.chat_id)):
            job.schedule_removal()
    await message.reply_text("Đã hủy đăng ký." if removed else "Nhóm này chưa đăng ký.")


async def summary_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tomtat: the digest now."""
    message = update.message
    if message is None:
        return
    text, _ = build_digest(reporting(context), now(context), HTML, full=True)
    for piece in split_message(text):
        await message.reply_text(piece)


async def chart_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bieudo: the progress chart."""
    if update.message is not None:
        await _send_chart(context, update.message.chat_id)
