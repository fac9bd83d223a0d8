"""Daily digests: /dangky, /huydangky, /tomtat, /bieudo and the scheduled jobs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import time

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from handlers import board, gate
from handlers.chat_admin import manager_or_refuse
from handlers.chunks import split_message
from handlers.context import SUBSCRIPTIONS, now, reporting, subscriptions, timezone
from handlers.markup import HTML
from knowledge.digest.daily import (
    Subscription,
    SubscriptionStore,
    build_digest,
    chart_data,
    chart_subtitle,
    describe_days,
    parse_schedule,
    stale_by_agency,
)
from knowledge.programme.agencies import agency_key
from knowledge.programme.model import Task
from knowledge.progress.deadlines import bodies_of
from knowledge.progress.log import REPORTER, Member
from knowledge.progress.reporting import Reporting

__all__ = [
    "chart_command",
    "deliver",
    "follow_migration",
    "pause_chat",
    "resume_chat",
    "schedule",
    "schedule_all",
    "send_digest",
    "subscribe_command",
    "summary_command",
    "unsubscribe_command",
]

log = logging.getLogger(__name__)
MONDAY = 1
# 400 answers that mean the chat is gone for good (every 403 does too); any other 400 is
# a bug of ours and is raised.
GONE = (
    "chat not found",
    "group chat was deactivated",
    "peer_id_invalid",
    "not enough rights to send",
    "have no rights to send",
)
Send = Callable[[int], Awaitable[object]]


def _job_name(chat_id: int) -> str:
    return f"digest:{chat_id}"


def schedule(application: Application, sub: Subscription) -> None:  # type: ignore[type-arg]
    """(Re)schedule one chat's digest with the JobQueue, at its local time."""
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    unschedule(application, sub.chat_id)
    if sub.paused:
        return
    queue.run_daily(
        send_digest,
        time=time(sub.at.hour, sub.at.minute, tzinfo=timezone(application)),
        # PTB counts days from Sunday = 0; ISO weekdays run Monday = 1 … Sunday = 7.
        days=tuple(sorted(d % 7 for d in sub.days)),
        name=_job_name(sub.chat_id),
        chat_id=sub.chat_id,
    )


def unschedule(application: Application, chat_id: int) -> None:  # type: ignore[type-arg]
    """Remove a chat's scheduled digest (if any)."""
    if application.job_queue is not None:
        for job in application.job_queue.get_jobs_by_name(_job_name(chat_id)):
            job.schedule_removal()


def _store(application: Application) -> SubscriptionStore:  # type: ignore[type-arg]
    found = application.bot_data[SUBSCRIPTIONS]
    assert isinstance(found, SubscriptionStore)
    return found


def follow_migration(application: Application, old: int, new: int) -> None:  # type: ignore[type-arg]
    """The chat ``old`` is now ``new``: its subscription, job and allow-list entry follow."""
    sub = _store(application).migrate(old, new, now(application))
    unschedule(application, old)
    if sub is not None:
        schedule(application, sub)
    gate.follow_migration(application.bot_data, old, new)
    log.info("chat %s became %s; its subscription and allow-list entry follow", old, new)


def pause_chat(application: Application, chat_id: int, reason: str) -> None:  # type: ignore[type-arg]
    """Stop the digest and reminders of a chat the bot cannot write to; log it once."""
    if _store(application).chats.pause(chat_id, reason, now(application)):
        log.warning(
            "chat %s is unreachable (%s): its digest and reminders are paused "
            "until /dangky (or /start in private) there",
            chat_id,
            reason,
        )
    unschedule(application, chat_id)


def resume_chat(application: Application, chat_id: int) -> Subscription | None:  # type: ignore[type-arg]
    """Write to a paused chat again; its subscription (rescheduled) if it has one."""
    store = _store(application)
    if store.chats.resume(chat_id):
        log.info("chat %s is reachable again: its digest and reminders resume", chat_id)
    sub = store.get(chat_id)
    if sub is not None:
        schedule(application, sub)
    return sub


def _gone(error: TelegramError) -> bool:
    return isinstance(error, Forbidden) or (
        isinstance(error, BadRequest) and any(g in error.message.lower() for g in GONE)
    )


async def _attempt(application: Application, chat_id: int, send: Send) -> bool:  # type: ignore[type-arg]
    try:
        await send(chat_id)
    except (Forbidden, BadRequest) as error:
        if not _gone(error):
            raise
        pause_chat(application, chat_id, error.message)
        return False
    return True


async def deliver(application: Application, chat_id: int, send: Send) -> int | None:  # type: ignore[type-arg]
    """Run ``send(chat_id)``, following a chat migration once and pausing a chat that is gone.

    Returns:
        The chat id the send reached (the new one after a migration), or None when the
        chat is gone (it is paused). Transient errors (network, 429) are raised.

    """
    try:
        return chat_id if await _attempt(application, chat_id, send) else None
    except ChatMigrated as migrated:
        new = int(migrated.new_chat_id)
    follow_migration(application, chat_id, new)
    return new if await _attempt(application, new, send) else None


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
    """The digest in pieces; in a private chat the last one carries the board's button."""
    pieces = split_message(text)
    kind = ChatType.PRIVATE if chat_id > 0 else ChatType.GROUP  # Telegram: users are positive
    for n, piece in enumerate(pieces, start=1):
        markup = board.board_markup(context, kind) if n == len(pieces) else None
        await context.bot.send_message(chat_id, piece, reply_markup=markup)


async def _send_chart(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    from knowledge.digest.chart import TargetProgress, progress_chart

    service = reporting(context)
    by_part, targets = chart_data(service, now(context).date())
    png = progress_chart(
        by_part,
        [TargetProgress(*target) for target in targets],
        subtitle=chart_subtitle(service),
    )
    await context.bot.send_photo(chat_id, png, caption="Biểu đồ tiến độ")


async def send_digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: send a chat its digest of today, once (the Monday one with the chart)."""
    job = context.job
    if job is None or job.chat_id is None:
        return
    store = subscriptions(context)
    chat_id = store.chats.current(job.chat_id)  # a job left over from before a migration
    moment = now(context)
    sub = store.get(chat_id)
    if sub is None or sub.paused or not store.claim(chat_id, moment.date(), moment):
        return
    text, changed = build_digest(reporting(context), moment, HTML)
    if not changed and sub.quiet:
        store.mark_sent(chat_id, moment.date(), moment)
        return

    async def send(to: int) -> None:
        await _send_text(context, to, text)
        if moment.isoweekday() == MONDAY:
            await _send_chart(context, to)

    try:
        # A migration moves today's claim with the subscription.
        reached = await deliver(context.application, chat_id, send)
    except Exception:
        store.release(store.chats.current(chat_id), moment.date())
        raise
    if reached is None:
        store.release(chat_id, moment.date())
        return
    store.mark_sent(reached, moment.date(), now(context))


def _stale_of(service: Reporting, member: Member, stale: list[Task]) -> list[Task]:
    """The stale tasks ``member``'s bodies lead, each body read in its task's own document."""
    mine = {agency_key(a) for a in member.agencies}
    return [
        t for t in stale if mine & bodies_of(t.lead, service.shelf_of(t).engine.resolve_agency)
    ]


async def remind_stale(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job (weekly): nudge reporters whose agencies have tasks without a report for 30 days."""
    service, store = reporting(context), subscriptions(context)
    moment = now(context)
    stale = [t for items in stale_by_agency(service, moment).values() for t in items]
    for member in service.store.members():
        if member.role != REPORTER or not store.has_started(member.user_id):
            continue
        if store.chats.pause_of(member.user_id) is not None:
            continue  # blocked the bot; /start resumes
        tasks = _stale_of(service, member, stale)
        if not tasks or not store.remind_due(member.user_id, moment):
            continue
        codes = ", ".join(service.named(t) for t in tasks)
        text = (
            f"🔔 Nhắc cập nhật tiến độ: {len(tasks)} nhiệm vụ của đơn vị chưa có báo cáo "
            f"trong 30 ngày ({HTML.text(codes)}). Gửi <code>/capnhat {tasks[0].code} 50% "
            "ghi chú</code> để cập nhật."
        )
        try:
            await deliver(context.application, member.user_id, _message_sender(context, text))
        except TelegramError as exc:
            log.warning("could not remind %s: %s", member.user_id, exc)


def _message_sender(context: ContextTypes.DEFAULT_TYPE, text: str) -> Send:
    async def send(to: int) -> None:
        await context.bot.send_message(to, text)

    return send


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/dangky [HH:MM] [ngày]: subscribe this chat to the daily digest."""
    message = update.message
    if message is None:
        return
    if not await manager_or_refuse(message, context, "đăng ký"):
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
    if not await manager_or_refuse(message, context, "hủy"):
        return
    removed = subscriptions(context).unsubscribe(message.chat_id)
    unschedule(context.application, message.chat_id)
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
        await deliver(
            context.application, update.message.chat_id, lambda to: _send_chart(context, to)
        )
