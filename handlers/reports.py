"""/baocao: periodic reports as an .xlsx and a short message; subscriptions and their job.

``/dangky baocao thang|quy|6thang|nam`` subscribes a chat: the report of the period that just
ended goes out on the first working day of the next one (claimed first, so once).
"""

from __future__ import annotations

import logging
from datetime import time

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, filters

from handlers.chat_admin import manager_or_refuse
from handlers.chunks import split_message
from handlers.context import engine, now, reporting, subscriptions, timezone
from handlers.digest import Send, deliver
from handlers.markup import HTML
from knowledge.progress.deadlines import CalendarStore
from knowledge.progress.period_report import (
    PeriodReport,
    ReportSubscriptions,
    build_report,
    report_text,
    report_xlsx,
)
from knowledge.progress.periods import KINDS, Period, current, parse_kind, parse_period, previous

__all__ = [
    "REPORT_SUBSCRIBE",
    "REPORT_UNSUBSCRIBE",
    "report_command",
    "schedule_reports",
    "send_periodic_reports",
    "subscribe_command",
    "unsubscribe_command",
]

log = logging.getLogger(__name__)
SEND_AT = time(7, 45)
# "/dangky baocao …" and "/huydangky baocao …" (registered before /dangky's own handler).
REPORT_SUBSCRIBE = filters.Regex(r"^/dangky(?:@\w+)?\s+b[aá]o\s*c[aá]o\b")
REPORT_UNSUBSCRIBE = filters.Regex(r"^/huydangky(?:@\w+)?\s+b[aá]o\s*c[aá]o\b")
KIND_NAMES = {"thang": "hằng tháng", "quy": "hằng quý", "6thang": "6 tháng", "nam": "hằng năm"}
USAGE = (
    "Cú pháp: <code>/baocao quý</code>, <code>/baocao tháng 11</code>, "
    "<code>/baocao quý 3/2026 Ban Dân vận</code>, <code>/baocao 6 tháng</code>, "
    "<code>/baocao năm 2026</code>."
)


def _file_name(report: PeriodReport) -> str:
    return f"baocao-{report.period.key()}.xlsx"


async def _send_report(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, report: PeriodReport
) -> None:
    for piece in split_message(report_text(report, HTML)):
        await context.bot.send_message(chat_id, piece)
    await context.bot.send_document(
        chat_id,
        report_xlsx(report),
        filename=_file_name(report),
        caption=f"Báo cáo {HTML.text(report.period.label)} (Excel)",
    )


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/baocao [kỳ] [cơ quan]: the report of a period as a message and an .xlsx."""
    message = update.message
    if message is None:
        return
    today = now(context).date()
    parsed = parse_period(" ".join(context.args or []), today)
    if isinstance(parsed, str):
        await message.reply_text(HTML.text(parsed) + " " + USAGE)
        return
    period, rest = parsed
    agency = engine(context).resolve_agency(rest) if rest else None
    if rest and agency is None:
        await message.reply_text(f"Không rõ cơ quan “{HTML.text(rest)}”. {USAGE}")
        return
    report = build_report(reporting(context), period, today, timezone(context), agency)
    await deliver(
        context.application, message.chat_id, lambda to: _send_report(context, to, report)
    )


def _kind(args: list[str]) -> str | None:
    words = [a for a in args if a.lower().replace("á", "a") not in {"baocao", "bao", "cao"}]
    words = [w for w in words if w.lower() not in {"báo", "cáo"}]
    return parse_kind(" ".join(words)) if words else None


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/dangky baocao thang|quy|6thang|nam: subscribe this chat to a periodic report."""
    message = update.message
    if message is None:
        return
    if not await manager_or_refuse(message, context, "đăng ký"):
        return
    kind = _kind(list(context.args or []))
    if kind is None:
        await message.reply_text(
            "Cú pháp: <code>/dangky baocao thang</code> (hoặc quy, 6thang, nam)."
        )
        return
    by = message.from_user.id if message.from_user else 0
    ReportSubscriptions(reporting(context).store.db).subscribe(
        message.chat_id, kind, by=by, now=now(context)
    )
    await message.reply_text(
        f"✅ Đã đăng ký báo cáo {KIND_NAMES[kind]}: gửi vào ngày làm việc đầu tiên của kỳ "
        "sau (báo cáo kỳ vừa kết thúc, kèm tệp Excel). Hủy: "
        f"<code>/huydangky baocao {kind}</code>"
    )


async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huydangky baocao [kỳ]: stop this chat's periodic reports."""
    message = update.message
    if message is None:
        return
    if not await manager_or_refuse(message, context, "hủy"):
        return
    kind = _kind(list(context.args or []))
    removed = ReportSubscriptions(reporting(context).store.db).unsubscribe(message.chat_id, kind)
    await message.reply_text("Đã hủy nhận báo cáo định kỳ." if removed else "Chưa đăng ký.")


def schedule_reports(application: Application) -> None:  # type: ignore[type-arg]
    """Every morning, and once at start (to catch up): send the reports that are due."""
    queue = application.job_queue
    assert queue is not None
    tz = timezone(application)
    queue.run_daily(send_periodic_reports, time=SEND_AT.replace(tzinfo=tz), name="reports")
    if now(application).time() >= SEND_AT:
        queue.run_once(send_periodic_reports, when=2, name="catch-up:reports")


def _due_periods(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Period]:
    """The kinds whose new period starts today (first working day): the period just ended."""
    today = now(context).date()
    calendar = CalendarStore(reporting(context).store.db).calendar()
    return {
        kind: previous(kind, today)
        for kind in KINDS
        if calendar.first_working_day(current(kind, today).start) == today
    }


def _sender(context: ContextTypes.DEFAULT_TYPE, report: PeriodReport) -> Send:
    async def send(to: int) -> None:
        await _send_report(context, to, report)

    return send


async def send_periodic_reports(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: each subscribed chat gets the report of the period that just ended, once."""
    due = _due_periods(context)
    if not due:
        return
    service = reporting(context)
    subs = ReportSubscriptions(service.store.db)
    chats = subscriptions(context).chats
    moment = now(context)
    for row in subs.all():
        chat_id, kind = int(str(row["chat_id"])), str(row["period"])
        period = due.get(kind)
        if period is None or chats.pause_of(chat_id) is not None:
            continue  # not due, or the bot cannot write there (/dangky there resumes it)
        if not subs.claim(chat_id, kind, period.key(), moment):
            continue
        report = build_report(service, period, moment.date(), timezone(context))
        try:
            reached = await deliver(context.application, chat_id, _sender(context, report))
        except TelegramError as error:
            log.warning("could not send the %s report to %s: %s", kind, chat_id, error)
            reached = None
        if reached is None:
            subs.release(chat_id, kind, period.key())
        elif reached != chat_id:
            subs.move(chat_id, reached)
