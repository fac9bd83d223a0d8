"""Deadline reminders to reporters, the weekly overdue list to admins, and /ngaylam.

Both jobs run every morning (and once at start, to catch up); the working-day calendar and
the claims in the database decide whether anything is due, so a restart never sends twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from handlers.chunks import split_message
from handlers.context import now, reporting, subscriptions, timezone
from handlers.digest import deliver
from handlers.markup import HTML
from knowledge.formatting import day
from knowledge.programme.model import Task
from knowledge.programme.quarters import deadline_of
from knowledge.progress.deadlines import (
    DAY_OFF,
    DEFAULT_LEADS,
    LEADS_KEY,
    MAKEUP,
    CalendarStore,
    DueReminder,
    due_reminders,
    parse_day,
    reporters_for,
)
from knowledge.progress.log import ADMIN, DONE_LATE, DONE_ON_TIME, task_status
from knowledge.progress.office import OfficeSettings
from knowledge.progress.reporting import Reporting
from knowledge.progress.views import pct_text
from knowledge.render import shorten

__all__ = ["calendar_command", "remind_deadlines", "schedule_deadlines", "send_overdue"]

log = logging.getLogger(__name__)
REMIND_AT = time(8, 0)
OVERDUE_AT = time(8, 15)


def schedule_deadlines(application: Application) -> None:  # type: ignore[type-arg]
    """Every morning: reminders and (in the week's first working day or later) the overdue list."""
    queue = application.job_queue
    assert queue is not None
    tz = timezone(application)
    queue.run_daily(remind_deadlines, time=REMIND_AT.replace(tzinfo=tz), name="deadlines")
    queue.run_daily(send_overdue, time=OVERDUE_AT.replace(tzinfo=tz), name="overdue")
    moment = now(application)
    if moment.time() >= REMIND_AT:  # the bot was down this morning: catch up once
        queue.run_once(remind_deadlines, when=2, name="catch-up:deadlines")
    if moment.time() >= OVERDUE_AT:
        queue.run_once(send_overdue, when=3, name="catch-up:overdue")


def _leads(service: Reporting) -> list[int]:
    return OfficeSettings(service.store.db).int_list(LEADS_KEY, list(DEFAULT_LEADS))


def _unfinished(service: Reporting, task: Task, today: date) -> bool:
    return task_status(task, service.state_of(task), today) not in (DONE_ON_TIME, DONE_LATE)


def _where(service: Reporting, task: Task) -> str:
    """`` (Kế hoạch 45/KH-UBND)`` after a task's code when several documents are loaded."""
    return f" ({HTML.text(service.shelf_of(task).label)})" if service.several else ""


def _reminder_line(service: Reporting, due: DueReminder, role: str) -> str:
    t = due.task
    return (
        f"• <b>{HTML.text(t.code)}</b>{_where(service, t)} {HTML.text(shorten(t.content, 80))} "
        f"({role}) — hạn {HTML.text(t.due)} ({day(due.deadline)}), còn <b>{due.left}</b> "
        "ngày làm việc"
    )


async def remind_deadlines(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: remind reporters N working days before their tasks' deadlines, once per rule.

    Every document's tasks; a task's claim is filed under its own document's key.
    """
    service, subs = reporting(context), subscriptions(context)
    calendar_store = CalendarStore(service.store.db)
    moment = now(context)
    by_user = _due_by_user(service, calendar_store, moment.date())
    for user_id, items in by_user.items():
        if not subs.has_started(user_id) or subs.chats.pause_of(user_id) is not None:
            continue
        claimed = [
            (d, r)
            for d, r in items
            if calendar_store.claim_reminder(
                service.key_of(d.task), d.deadline, d.lead, user_id, moment
            )
        ]
        if claimed:
            await _send_reminder(context, calendar_store, user_id, claimed)


def _due_by_user(
    service: Reporting, store: CalendarStore, today: date
) -> dict[int, list[tuple[DueReminder, str]]]:
    """Each reporter's reminders due today, with their role, over every document's tasks."""
    tasks = [t for t in service.all_tasks() if _unfinished(service, t, today)]
    by_user: dict[int, list[tuple[DueReminder, str]]] = {}
    members = service.store.members()
    for due in due_reminders(tasks, today, store.calendar(), _leads(service)):
        resolve = service.shelf_of(due.task).engine.resolve_agency  # the task's own bodies
        for user_id, role in reporters_for(due.task, members, resolve).items():
            by_user.setdefault(user_id, []).append((due, role))
    return by_user


async def _send_reminder(
    context: ContextTypes.DEFAULT_TYPE,
    store: CalendarStore,
    user_id: int,
    items: list[tuple[DueReminder, str]],
) -> None:
    service = reporting(context)
    first = items[0][0].task.code
    text = "\n".join(
        [
            f"⏰ <b>Nhắc hạn</b>: {len(items)} nhiệm vụ của đơn vị sắp đến hạn trình.",
            *(_reminder_line(service, d, r) for d, r in items),
            f"Cập nhật tiến độ: <code>/capnhat {HTML.text(first)} 60% ghi chú</code>",
        ]
    )

    async def send(to: int) -> None:
        for piece in split_message(text):
            await context.bot.send_message(to, piece)

    try:
        reached = await deliver(context.application, user_id, send)
    except TelegramError as error:
        reached = None
        log.warning("could not remind %s of deadlines: %s", user_id, error)
    if reached is None:
        for d, _ in items:
            store.release_reminder(service.key_of(d.task), d.deadline, d.lead, user_id)


def _overdue_by_lead(service: Reporting, tasks: list[Task], today: date) -> dict[str, list[str]]:
    """The unfinished tasks past their deadline, one line each, by lead body."""
    by_lead: dict[str, list[str]] = {}
    for t in tasks:
        deadline = deadline_of(t.due, today)
        if deadline is None or deadline >= today or not _unfinished(service, t, today):
            continue
        state = service.state_of(t)
        figure = pct_text(state.progress) if state.reports else "chưa có báo cáo"
        by_lead.setdefault(t.lead or "(không ghi)", []).append(
            f"• <b>{HTML.text(t.code)}</b> {HTML.text(shorten(t.content, 70))} "
            f"(hạn {HTML.text(t.due)}; {figure})"
        )
    return by_lead


def overdue_text(service: Reporting, today: date) -> str | None:
    """The overdue list for admins (unfinished tasks past their deadline), by lead body.

    Every document's tasks; under a heading per document when several are loaded.
    """
    sections = [
        (d.label, found)
        for d in service.documents
        if (found := _overdue_by_lead(service, list(d.engine.programme.tasks), today))
    ]
    if not sections:
        return None
    total = sum(len(v) for _, by_lead in sections for v in by_lead.values())
    lines = [f"📋 <b>Nhiệm vụ quá hạn chưa hoàn thành</b> ({day(today)}): {total}"]
    for label, by_lead in sections:
        if service.several:
            lines.append(f"📄 <b>{HTML.text(label)}</b>")
        for lead, items in by_lead.items():
            lines.append(f"<b>{HTML.text(lead)}</b>")
            lines.extend(items)
    lines.append("<i>Xem chi tiết: /tiendo · Báo cáo: /baocao quý</i>")
    return "\n".join(lines)


async def send_overdue(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: once a week (from the week's first working day), the overdue list to each admin."""
    service, subs = reporting(context), subscriptions(context)
    store = CalendarStore(service.store.db)
    moment = now(context)
    today = moment.date()
    calendar = store.calendar()
    monday = date.fromisocalendar(*today.isocalendar()[:2], 1)
    if not calendar.is_working_day(today) or calendar.first_working_day(monday) > today:
        return
    text = overdue_text(service, today)
    if text is None:
        return
    week = f"{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}"
    for member in service.store.members():
        if member.role != ADMIN or not subs.has_started(member.user_id):
            continue
        if subs.chats.pause_of(member.user_id) or not store.claim_overdue(
            member.user_id, week, moment
        ):
            continue

        async def send(to: int) -> None:
            for piece in split_message(text):
                await context.bot.send_message(to, piece)

        try:
            reached = await deliver(context.application, member.user_id, send)
        except TelegramError as error:
            reached = None
            log.warning("could not send the overdue list to %s: %s", member.user_id, error)
        if reached is None:
            store.release_overdue(member.user_id, week)


CALENDAR_USAGE = (
    "Cú pháp (quản trị viên): <code>/ngaylam 2027-02-20</code> thêm ngày làm bù; "
    "<code>/ngaylam nghi 2027-02-11</code> thêm ngày nghỉ; <code>/ngaylam xoa 2027-02-20</code> "
    "bỏ thay đổi; <code>/ngaylam nhac 10 2</code> nhắc trước hạn 10 và 2 ngày làm việc; "
    "<code>/ngaylam</code> xem."
)


def _calendar_listing(store: CalendarStore, leads: list[int]) -> str:
    lines = [
        "<b>Lịch làm việc</b> (ngày lễ, Tết theo quy định nhà nước; thay đổi của cơ quan):",
        "Nhắc trước hạn: " + ", ".join(f"{n}" for n in leads) + " ngày làm việc.",
    ]
    for row in store.days():
        when = day(date.fromisoformat(str(row["day"])))
        kind = "làm bù" if row["kind"] == MAKEUP else "nghỉ thêm"
        lines.append(f"• {when}: {kind}")
    if len(lines) == 2:
        lines.append("Chưa có ngày làm bù hay nghỉ thêm.")
    return "\n".join(lines)


async def calendar_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ngaylam: makeup working days, extra days off, reminder lead days (admins)."""
    message = update.message
    if message is None or message.from_user is None:
        return
    service = reporting(context)
    member = service.store.member(message.from_user.id)
    if member is None or member.role != ADMIN or message.sender_chat is not None:
        await message.reply_text("⛔ Chỉ quản trị viên được sửa lịch làm việc.")
        return
    store, settings = CalendarStore(service.store.db), OfficeSettings(service.store.db)
    args = [a.lower() for a in context.args or []]
    if not args:
        await message.reply_text(_calendar_listing(store, _leads(service)))
        return
    if args[0] in {"nhac", "nhắc"}:
        leads = sorted(
            {int(a) for a in args[1:] if a.isdigit() and 0 < int(a) <= 60}, reverse=True
        )
        if not leads:
            await message.reply_text(CALENDAR_USAGE)
            return
        settings.put(LEADS_KEY, leads)
        await message.reply_text(
            "✅ Nhắc trước hạn " + ", ".join(map(str, leads)) + " ngày làm việc."
        )
        return
    await message.reply_text(_change_day(store, args, message.from_user.id, now(context)))


def _change_day(store: CalendarStore, args: list[str], by: int, moment: datetime) -> str:
    action = args[0] if args[0] in {"nghi", "nghỉ", "xoa", "xóa", "lam", "làm"} else "lam"
    when = parse_day(args[-1])
    if when is None:
        return f"Không hiểu ngày “{HTML.text(args[-1])}”. {CALENDAR_USAGE}"
    if action in {"xoa", "xóa"}:
        done = store.remove_day(when)
        return (
            f"Đã bỏ thay đổi ngày {day(when)}." if done else f"Ngày {day(when)} chưa có thay đổi."
        )
    kind = DAY_OFF if action in {"nghi", "nghỉ"} else MAKEUP
    store.set_day(when, kind, by=by, now=moment)
    label = "ngày làm bù" if kind == MAKEUP else "ngày nghỉ thêm"
    holiday = store.calendar().holiday_name(when)
    extra = f" ({HTML.text(holiday)})" if holiday else ""
    return f"✅ {day(when)}{extra} là {label}."
