"""Daily digests: subscriptions, their schedule, what a digest says, reminders.

Subscriptions live in SQLite; the bot re-schedules them with PTB's JobQueue at
every start. A digest is claimed in ``digests_sent`` before it is sent, so a
chat never gets the same day's digest twice, even after a restart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from knowledge.digest.chats import ChatRegistry
from knowledge.formatting import day, number
from knowledge.programme.model import Indicator, Task
from knowledge.progress.keys import document_of_key
from knowledge.progress.log import (
    COORDINATING,
    DONE_LATE,
    DONE_ON_TIME,
    STATUS_LABELS,
    ProgressStore,
    Report,
    TaskState,
    deadline_of,
    task_status,
)
from knowledge.progress.report_text import DONE
from knowledge.progress.reporting import Reporting
from knowledge.progress.views import compare, pct_text
from knowledge.render import PLAIN, Markup, shorten
from knowledge.text import fold_keep_punct

__all__ = [
    "DEFAULT_DAYS",
    "DEFAULT_TIME",
    "GRACE",
    "ChartTarget",
    "Subscription",
    "SubscriptionStore",
    "build_digest",
    "chart_data",
    "chart_subtitle",
    "parse_days",
    "parse_schedule",
    "stale_by_agency",
]

DEFAULT_TIME = time(7, 30)
DEFAULT_DAYS = frozenset(range(1, 8))  # ISO weekdays: 1 = Monday … 7 = Sunday
# A digest missed while the bot was down is still sent until this long after
# its time, on the same day ("the same morning").
GRACE = timedelta(hours=4)
STALE_AFTER = timedelta(days=30)
DUE_SOON = timedelta(days=30)
_DAY_NAMES = {"t2": 1, "t3": 2, "t4": 3, "t5": 4, "t6": 5, "t7": 6, "cn": 7}
_DAY_LABELS = {1: "T2", 2: "T3", 3: "T4", 4: "T5", 5: "T6", 6: "T7", 7: "CN"}


@dataclass(frozen=True)
class Subscription:
    """A chat's digest subscription.

    Attributes:
        chat_id: The chat.
        at: Local time of day.
        days: ISO weekdays (1 = Monday … 7 = Sunday).
        quiet: Stay silent when nothing changed (instead of a one-line digest).
        created_by: Who subscribed the chat.
        paused: Why the bot stopped sending to the chat ("" = it sends); see
            :class:`knowledge.digest.chats.ChatRegistry`.

    """

    chat_id: int
    at: time
    days: frozenset[int]
    quiet: bool = False
    created_by: int = 0
    paused: str = ""

    def describe(self) -> str:
        """Vietnamese description: "07:30, T2-T6"."""
        return f"{self.at:%H:%M}, {describe_days(self.days)}"


def describe_days(days: Iterable[int]) -> str:
    """``{1,2,3,4,5}`` → ``"T2-T6"``, every day → ``"hằng ngày"``."""
    ordered = sorted(set(days))
    if ordered == list(range(1, 8)):
        return "hằng ngày"
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{_DAY_LABELS[ordered[0]]}-{_DAY_LABELS[ordered[-1]]}"
    return ", ".join(_DAY_LABELS[d] for d in ordered)


def parse_days(text: str) -> frozenset[int] | None:
    """Read days like "T2-T6", "t2,t4,t6", "CN", "thứ 2 - thứ 6", "hàng ngày".

    Returns:
        ISO weekdays, or None when the text is not a list of days.

    """
    folded = fold_keep_punct(text).replace("thu ", "t").replace("chu nhat", "cn")
    folded = re.sub(r"\bt\s+(\d)", r"t\1", folded)
    folded = re.sub(r"\s*[-–]\s*", "-", folded).strip(" .")
    if folded in {"", "hang ngay", "moi ngay", "hang ngay trong tuan", "ca tuan"}:
        return DEFAULT_DAYS
    days: set[int] = set()
    for part in re.split(r"[,;\s]+", folded):
        if not part:
            continue
        if "-" in part:
            a, _, b = part.partition("-")
            if a not in _DAY_NAMES or b not in _DAY_NAMES:
                return None
            start, end = _DAY_NAMES[a], _DAY_NAMES[b]
            days.update(
                range(start, end + 1) if start <= end else [*range(start, 8), *range(1, end + 1)]
            )
        elif part in _DAY_NAMES:
            days.add(_DAY_NAMES[part])
        else:
            return None
    return frozenset(days) or None


def parse_schedule(args: list[str]) -> tuple[time, frozenset[int]] | str:
    """Read "/dangky [HH:MM] [ngày]" arguments; an error message when they are malformed."""
    at, days = DEFAULT_TIME, DEFAULT_DAYS
    rest = list(args)
    if rest and re.fullmatch(r"\d{1,2}[:h.]\d{2}|\d{1,2}h", rest[0]):
        raw = rest.pop(0).replace("h", ":").replace(".", ":").rstrip(":")
        hour, _, minute = raw.partition(":")
        if not (0 <= int(hour) <= 23 and 0 <= int(minute or 0) <= 59):
            return f"Giờ “{raw}” không hợp lệ; ví dụ 07:30."
        at = time(int(hour), int(minute or 0))
    if rest:
        parsed = parse_days(" ".join(rest))
        if parsed is None:
            return f"Không hiểu ngày “{' '.join(rest)}”; ví dụ T2-T6, T2,T4,T6 hoặc CN."
        days = parsed
    return at, days


class SubscriptionStore:
    """Subscriptions, the sent log and the people who started the bot.

    A subscription whose chat is paused (``self.chats``) stays, marked ``paused``;
    subscribing again resumes it.
    """

    def __init__(self, db: Database) -> None:
        """Wrap a migrated database."""
        self.db = db
        self.chats = ChatRegistry(db)

    def subscribe(self, sub: Subscription, now: datetime) -> None:
        """Create or change a chat's subscription (resuming a paused chat)."""
        with self.db.atomic():
            self.chats.resume(sub.chat_id)
            self.db.table("subscriptions").upsert(
                {
                    "chat_id": sub.chat_id,
                    "time": f"{sub.at:%H:%M}",
                    "days": ",".join(str(d) for d in sorted(sub.days)),
                    "quiet": int(sub.quiet),
                    "created_by": sub.created_by,
                    "created_at": now.isoformat(timespec="seconds"),
                },
                pk="chat_id",
            )

    def unsubscribe(self, chat_id: int) -> bool:
        """Remove a chat's subscription; whether there was one."""
        with self.db.atomic():
            found = self.get(chat_id) is not None
            self.db.execute("DELETE FROM subscriptions WHERE chat_id = ?", [chat_id])
        return found

    def get(self, chat_id: int) -> Subscription | None:
        """A chat's subscription."""
        rows = list(self.db.query(_WITH_PAUSE + " WHERE s.chat_id = ?", [chat_id]))
        return _subscription(rows[0]) if rows else None

    def all(self) -> list[Subscription]:
        """Every subscription (paused ones too), by chat id."""
        return [_subscription(r) for r in self.db.query(_WITH_PAUSE + " ORDER BY s.chat_id")]

    def migrate(self, old_chat_id: int, new_chat_id: int, now: datetime) -> Subscription | None:
        """The chat got a new id: record it, move its subscription and today's claims.

        Returns:
            The subscription under the new id (None when the chat had none). When the new
            id already has its own subscription, that one wins and the old one is dropped.

        """
        with self.db.atomic():
            self.chats.record_migration(old_chat_id, new_chat_id, now)
            if self.get(new_chat_id) is None:
                self.db.execute(
                    "UPDATE subscriptions SET chat_id = ? WHERE chat_id = ?",
                    [new_chat_id, old_chat_id],
                )
            self.db.execute("DELETE FROM subscriptions WHERE chat_id = ?", [old_chat_id])
            self.db.execute(
                "UPDATE OR IGNORE digests_sent SET chat_id = ? WHERE chat_id = ?",
                [new_chat_id, old_chat_id],
            )
            self.chats.resume(old_chat_id)
            return self.get(new_chat_id)

    def claim(self, chat_id: int, on: date, now: datetime) -> bool:
        """Claim the digest of ``on`` for ``chat_id``; False if it was already claimed.

        The claim is committed before sending: a chat never gets a day's digest twice.
        """
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO digests_sent (chat_id, day, state, at) VALUES (?, ?, ?, ?)",
                [chat_id, on.isoformat(), "sending", now.isoformat(timespec="seconds")],
            )
            return cursor.rowcount == 1

    def mark_sent(self, chat_id: int, on: date, now: datetime) -> None:
        """Record that the claimed digest went out."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE digests_sent SET state = 'sent', at = ? WHERE chat_id = ? AND day = ?",
                [now.isoformat(timespec="seconds"), chat_id, on.isoformat()],
            )

    def release(self, chat_id: int, on: date) -> None:
        """Give a claim back after a failed send, so a later attempt may send it."""
        with self.db.atomic():
            self.db.execute(
                "DELETE FROM digests_sent WHERE chat_id = ? AND day = ? AND state = 'sending'",
                [chat_id, on.isoformat()],
            )

    def due_catch_up(self, now: datetime) -> list[Subscription]:
        """Subscriptions whose digest of today was missed but is still within the grace window."""
        out = []
        today = now.date()
        for sub in self.all():
            if sub.paused or today.isoweekday() not in sub.days:
                continue
            scheduled = datetime.combine(today, sub.at, tzinfo=now.tzinfo)
            if scheduled <= now <= scheduled + GRACE and not self._claimed(sub.chat_id, today):
                out.append(sub)
        return out

    def _claimed(self, chat_id: int, on: date) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM digests_sent WHERE chat_id = ? AND day = ?",
                [chat_id, on.isoformat()],
            ).fetchone()
            is not None
        )

    def started(self, user_id: int, now: datetime) -> None:
        """Remember that a user started the bot (so it may write to them privately).

        Starting the bot again after blocking it resumes the private chat.
        """
        with self.db.atomic():
            self.chats.resume(user_id)
            self.db.table("bot_users").insert(
                {"user_id": user_id, "started_at": now.isoformat(timespec="seconds")},
                pk="user_id",
                ignore=True,
            )

    def has_started(self, user_id: int) -> bool:
        """Whether the user has started the bot."""
        return (
            self.db.execute("SELECT 1 FROM bot_users WHERE user_id = ?", [user_id]).fetchone()
            is not None
        )

    def remind_due(
        self, user_id: int, now: datetime, every: timedelta = timedelta(days=7)
    ) -> bool:
        """Whether a reminder may go to ``user_id`` (none in the last ``every``); records it."""
        with self.db.atomic():
            last = self.db.execute(
                "SELECT max(at) FROM reminders_sent WHERE user_id = ?", [user_id]
            ).fetchone()[0]
            if last and now - datetime.fromisoformat(last) < every:
                return False
            self.db.table("reminders_sent").insert(
                {"user_id": user_id, "at": now.isoformat(timespec="seconds")}
            )
            return True


_WITH_PAUSE = (
    "SELECT s.chat_id, s.time, s.days, s.quiet, s.created_by, p.reason AS paused "
    "FROM subscriptions s LEFT JOIN chat_pauses p ON p.chat_id = s.chat_id"
)


def _subscription(row: dict[str, object]) -> Subscription:
    hour, minute = str(row["time"]).split(":")
    days = frozenset(int(d) for d in str(row["days"]).split(",") if d)
    return Subscription(
        chat_id=int(str(row["chat_id"])),
        at=time(int(hour), int(minute)),
        days=days or DEFAULT_DAYS,
        quiet=bool(row["quiet"]),
        created_by=int(str(row["created_by"] or 0)),
        paused=str(row.get("paused") or ""),
    )


def stale_by_agency(
    service: Reporting, now: datetime, states: Mapping[int, TaskState] | None = None
) -> dict[str, list[Task]]:
    """Unfinished tasks of every document without a report for 30 days (or ever), by lead.

    ``states`` (by ``id(task)``) saves reading them again when the caller has them.
    """
    out: dict[str, list[Task]] = {}
    for t in service.all_tasks():
        state = (
            states[id(t)] if states is not None else service.store.state(t, service.document_of(t))
        )
        if state.status == DONE or (state.progress or 0) >= 100:
            continue
        if state.last_at and now - datetime.fromisoformat(state.last_at) < STALE_AFTER:
            continue
        out.setdefault(t.lead or "(không ghi)", []).append(t)
    return out


def _recent(store: ProgressStore, since: datetime) -> list[Report]:
    return [r for r in store.all_reports() if datetime.fromisoformat(r.at) >= since]


def build_digest(
    service: Reporting, now: datetime, m: Markup = PLAIN, *, full: bool = False
) -> tuple[str, bool]:
    """The digest as of ``now`` (aware, in the bot's time zone).

    Args:
        service: The reporting service (engine and progress store).
        now: The moment of the digest.
        m: Markup.
        full: Give the whole digest even when nothing changed (``/tomtat``).

    Returns:
        ``(text, changed)``: ``changed`` is False when nothing happened in the
        last 24 hours, nothing became overdue and nothing is due soon.

    """
    store = service.store
    today = now.date()
    since = now - timedelta(hours=24)
    tasks = service.all_tasks()
    # Each task's state, read once: the totals and every list below use them.
    states = {id(t): store.state(t, service.document_of(t)) for t in tasks}
    status = {id(t): task_status(t, states[id(t)], today) for t in tasks}
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for t in tasks:
        counts[status[id(t)]] += 1
    title = (
        f"{len(service.documents)} văn bản" if service.several else service.engine.programme.title
    )
    lines = [
        m.bold(f"📰 Tóm tắt tiến độ {title} — {day(today)}"),
        m.text("Tổng: " + "; ".join(f"{k.lower()} {v}" for k, v in counts.items() if v) + "."),
    ]
    recent = _recent(store, since)
    lines += _recent_lines(recent, m, service)
    still_open = [t for t in tasks if status[id(t)] not in (DONE_ON_TIME, DONE_LATE)]
    # Unreported tasks count too: nothing says they were done in time.
    overdue = _due_between(still_open, since.date(), today - timedelta(days=1), today)
    soon = _due_between(still_open, today, today + DUE_SOON, today)
    lines += _task_list("Vừa quá hạn:", overdue, m, service)
    lines += _task_list("Đến hạn trình trong 30 ngày:", soon, m, service)
    lines += _stale_lines(stale_by_agency(service, now, states), m, service)
    changed = bool(recent or overdue or soon)
    if not changed and not full:
        # Nothing new: one line, not the same lists as yesterday.
        return m.text(f"📰 {day(today)}: không có thay đổi trong 24 giờ qua. Xem: /tiendo"), False
    lines.append(m.italic("Xem chi tiết: /tiendo · Cập nhật: /capnhat"))
    return "\n".join(lines), changed


_ACTIONS = {
    "undo": " (hoàn tác)",
    "amend": " (sửa)",
    "confirm": " (xác nhận hoàn thành)",
    "return": " (trả lại)",
}


def _recent_lines(recent: list[Report], m: Markup, service: Reporting) -> list[str]:
    """The reports of the last 24 hours: who, what, old → new (and which document)."""
    if not recent:
        return []
    lines = [m.bold(f"Báo cáo trong 24 giờ qua ({len(recent)}):")]
    for r in recent:
        who = r.user_name or f"id {r.user_id}"
        found = service.target_of(r)  # in the row's own document
        if r.kind == "task":
            code = service.named(found) if isinstance(found, Task) else r.target
            what, change = f"nhiệm vụ {code}", _task_change(r)
            if r.role == COORDINATING:
                what += " (phần phối hợp)"
        else:
            ind = found if isinstance(found, Indicator) else None
            what = f"chỉ tiêu “{r.title}”" + (f" năm {r.year}" if r.year else "")
            what += _document_of_row(service, r)
            value = number(r.value) if r.value is not None else r.value_text
            verdict = f" — {compare(ind, r.value)}" if ind and r.value is not None else ""
            change = f"{value}{verdict}"
        lines.append(m.text(f"• {who}{_ACTIONS.get(r.action, '')}: {what}: {change}"))
    return lines


def _document_of_row(service: Reporting, r: Report) -> str:
    """`` (Kế hoạch 45/KH-UBND)`` for a row when several documents are loaded, else ""."""
    if not service.several:
        return ""
    key = document_of_key(r.target_key)
    return next((f" ({d.label})" for d in service.documents if d.key == key), "")


def _due_between(tasks: list[Task], first: date, last: date, today: date) -> list[Task]:
    """The tasks whose deadline falls from ``first`` to ``last`` (both included)."""
    return [
        t for t in tasks if (d := deadline_of(t.due, today)) is not None and first <= d <= last
    ]


def _task_list(title: str, tasks: list[Task], m: Markup, service: Reporting) -> list[str]:
    """A titled list of tasks; under a heading per document when several are loaded."""
    if not tasks:
        return []
    if not service.several:
        return [m.bold(title), *(_task_line(t, m) for t in tasks)]
    lines = [m.bold(title)]
    for d in service.documents:
        mine = [t for t in tasks if service.shelf_of(t) is d]
        if mine:
            lines.append(m.text(f"📄 {d.label}:"))
            lines.extend(_task_line(t, m) for t in mine)
    return lines


def _task_line(t: Task, m: Markup) -> str:
    return m.text(f"• {t.code} {shorten(t.content, 70)} (hạn {t.due})")


def _stale_lines(stale: Mapping[str, list[Task]], m: Markup, service: Reporting) -> list[str]:
    if not stale:
        return []
    lines = [m.bold("Chưa báo cáo 30 ngày qua (cần nhắc):")]
    for agency, items in stale.items():
        lines.append(m.text(f"• {agency}: {len(items)} nhiệm vụ{_codes(items, service)}"))
    return lines


def _codes(items: list[Task], service: Reporting) -> str:
    """The codes after a body's count: "(5.3, 5.4)"; with several documents, each one once.

    ": 5.3, 5.4 (Chương trình 08-CTr/TU); I.2 (Kế hoạch 45/KH-UBND)".
    """
    if not service.several:
        return f" ({', '.join(t.code for t in items)})"
    by_document: dict[str, list[str]] = {}
    for t in items:
        by_document.setdefault(service.shelf_of(t).label, []).append(t.code)
    return ": " + "; ".join(f"{', '.join(c)} ({label})" for label, c in by_document.items())


def _task_change(r: Report) -> str:
    parts = []
    if r.old_progress != r.new_progress:
        parts.append(f"{pct_text(r.old_progress)} → {pct_text(r.new_progress)}")
    if r.old_status != r.new_status:
        parts.append(f"{r.old_status or '—'} → {r.new_status or '—'}")
    note = f" ({r.note})" if r.note else ""
    return ("; ".join(parts) or "ghi chú") + note


def chart_subtitle(service: Reporting) -> str:
    """The chart's subtitle: the programme's title, or the documents it covers."""
    if not service.several:
        return service.engine.programme.title
    return f"{len(service.documents)} văn bản: " + "; ".join(d.label for d in service.documents)


ChartTarget = tuple[str, float, float, str, bool, str]


def chart_data(
    service: Reporting, today: date
) -> tuple[dict[str, dict[str, int]], list[ChartTarget]]:
    """What the progress chart shows.

    Returns:
        ``(status_by_part, targets)``: task counts per part (per document when several are
        loaded) and computed status, and for every target of every document with a
        check-in ``(name, target, latest, unit, lower_is_better, document)``, document by
        document; ``document`` is its label when several are loaded, else "".

    """
    by_part: dict[str, dict[str, int]] = {}
    for t in service.all_tasks():
        # one bar per part, or per document when several are loaded
        name = service.shelf_of(t).label if service.several else f"{t.part}. {t.part_title}"
        part = by_part.setdefault(name, dict.fromkeys(STATUS_LABELS, 0))
        part[task_status(t, service.store.state(t, service.document_of(t)), today)] += 1
    targets = [
        (*found, d.label if service.several else "")
        for d in service.documents
        for ind in d.engine.programme.indicators
        if (found := _chart_target(service.store, ind, d.key)) is not None
    ]
    return by_part, targets


def _chart_target(
    store: ProgressStore, ind: Indicator, document: str
) -> tuple[str, float, float, str, bool] | None:
    """A target's bar ``(name, goal, latest, unit, lower_is_better)``, or None if it has none.

    None without a check-in, a numeric goal, or with a "gấp"/"giảm" goal (no percent of it).
    """
    history = store.indicator_history(ind, document, 1)
    if not history or history[0].value is None or ind.low is None:
        return None
    if ind.comparator in ("gấp", "giảm"):
        return None
    goal = ind.low if ind.comparator != "từ-đến" else (ind.low + (ind.high or ind.low)) / 2
    name = ind.name[:1].upper() + ind.name[1:]
    return name, goal, history[0].value, ind.unit, ind.comparator == "dưới"
