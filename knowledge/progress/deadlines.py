"""Working days and deadline reminders.

Working days come from the ``holidays`` library (country VN: Tết and the other lunar-calendar
holidays, the government's substituted days off and the Saturdays worked instead), adjusted
by the office: makeup working days and extra days off an admin adds (``/ngaylam``). A task's
deadline is :func:`knowledge.programme.quarters.deadline_of` of its submission time; reminders go N
working days before it (default 10 and 2). Claims in ``deadline_reminders_sent`` and
``overdue_sent`` are written before sending, so nothing goes out twice, even after a restart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import holidays
from sqlite_utils import Database

from knowledge.programme.agencies import agency_key, split_names
from knowledge.programme.model import Task
from knowledge.programme.quarters import deadline_of
from knowledge.progress.log import REPORTER, Member, write_lock

__all__ = [
    "DAY_OFF",
    "DEFAULT_LEADS",
    "LEADS_KEY",
    "MAKEUP",
    "CalendarStore",
    "DueReminder",
    "WorkCalendar",
    "bodies_of",
    "due_reminders",
    "parse_day",
    "reporters_for",
]

DEFAULT_LEADS = (10, 2)
MAKEUP = "makeup"  # a working day although a weekend or holiday (ngày làm bù)
DAY_OFF = "off"  # a day off although a working day (ngày nghỉ thêm)
LEADS_KEY = "reminder_leads"  # office_settings key
_SEARCH_LIMIT = 400  # working-day steps never go further than this many calendar days


@dataclass(frozen=True)
class WorkCalendar:
    """Vietnam's working days with the office's own changes.

    >>> cal = WorkCalendar()
    >>> cal.is_working_day(date(2027, 2, 8)), cal.is_working_day(date(2027, 2, 11))
    (False, True)
    >>> cal.shift(date(2027, 2, 12), -2)  # two working days before Fri 12 Feb 2027, past Tết
    datetime.date(2027, 2, 3)
    """

    makeup: frozenset[date] = frozenset()
    off: frozenset[date] = frozenset()
    public: holidays.HolidayBase = field(
        default_factory=lambda: holidays.country_holidays("VN", language="vi"),
        compare=False,
        repr=False,
    )

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day here."""
        if day in self.off:
            return False
        if day in self.makeup:
            return True
        return bool(self.public.is_working_day(day))

    def holiday_name(self, day: date) -> str:
        """The public holiday on ``day`` ("" if none)."""
        return str(self.public.get(day) or "")

    def shift(self, day: date, n: int) -> date:
        """The working day ``n`` working days after ``day`` (before it when ``n`` < 0)."""
        step = timedelta(days=1 if n > 0 else -1)
        moved, left = day, abs(n)
        for _ in range(_SEARCH_LIMIT):
            if left == 0:
                return moved
            moved += step
            if self.is_working_day(moved):
                left -= 1
        raise ValueError(f"no working day within {_SEARCH_LIMIT} days of {day}")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if ``end`` ≤ ``start``)."""
        return sum(
            self.is_working_day(start + timedelta(days=i))
            for i in range(1, (end - start).days + 1)
        )

    def first_working_day(self, start: date) -> date:
        """``start`` if it is a working day, else the next one."""
        return start if self.is_working_day(start) else self.shift(start, 1)


@dataclass(frozen=True)
class DueReminder:
    """A reminder due today: ``lead`` is the rule (10 or 2), ``left`` the working days left."""

    task: Task
    deadline: date
    lead: int
    left: int


def due_reminders(
    tasks: Iterable[Task], today: date, calendar: WorkCalendar, leads: Sequence[int]
) -> list[DueReminder]:
    """Reminders that are due on ``today``: at most one per task, the nearest rule reached.

    A rule is reached from its day (``lead`` working days before the deadline) until the
    deadline, so a reminder missed while the bot was down still goes out, late; the claims
    make sure each rule fires once. Nothing is sent on a day off. A task due "Hằng năm" is
    due at the end of ``today``'s year.
    """
    if not calendar.is_working_day(today):
        return []
    out = []
    for task in tasks:
        deadline = deadline_of(task.due, today)
        if deadline is None or deadline < today:
            continue
        reached = [n for n in sorted(set(leads)) if calendar.shift(deadline, -n) <= today]
        if reached:
            left = calendar.working_days_between(today, deadline)
            out.append(DueReminder(task, deadline, reached[0], left))
    return out


LEADING = "chủ trì"
COORDINATING = "phối hợp"


def bodies_of(cell: str, resolve: Callable[[str], str | None]) -> frozenset[str]:
    """The identity keys of the bodies a task's column names (as written and as resolved).

    Both keys, so a body matches whether a member's body was stored as the document writes
    it ("Sở NN&MT") or as its engine resolves it; the write gate compares the same keys.
    """
    keys = set()
    for name in split_names(cell):
        keys.add(agency_key(name))
        body = resolve(name)
        if body is not None:
            keys.add(agency_key(body))
    return frozenset(keys)


def reporters_for(
    task: Task, members: Iterable[Member], resolve: Callable[[str], str | None]
) -> dict[int, str]:
    """Reporters of a task's lead ("chủ trì") and coordinating ("phối hợp") bodies, by id.

    ``resolve`` turns a name as written into the canonical body (the ``resolve_agency`` of
    the task's own document); someone in both kinds of body is told they lead.
    """
    leads, helpers = bodies_of(task.lead, resolve), bodies_of(task.coordinating, resolve)
    out: dict[int, str] = {}
    for member in members:
        if member.role != REPORTER:
            continue
        mine = {agency_key(a) for a in member.agencies}
        if mine & leads:
            out[member.user_id] = LEADING
        elif mine & helpers:
            out[member.user_id] = COORDINATING
    return out


_DAY_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), (3, 2, 1)),
)


def parse_day(text: str) -> date | None:
    """A day written "2027-02-20" or "20/02/2027" (None when it is neither or not a date)."""
    for pattern, (y, m, d) in _DAY_FORMS:
        found = pattern.match(text.strip())
        if found:
            try:
                return date(int(found.group(y)), int(found.group(m)), int(found.group(d)))
            except ValueError:
                return None
    return None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class CalendarStore:
    """The office's makeup days and extra days off, and the reminder claims."""

    def __init__(self, db: Database) -> None:
        """Wrap a migrated database."""
        self.db = db

    def set_day(self, day: date, kind: str, *, by: int, now: datetime, note: str = "") -> None:
        """Mark ``day`` a makeup working day or an extra day off (replacing what it was)."""
        if kind not in (MAKEUP, DAY_OFF):
            raise ValueError(f"unknown kind {kind!r}")
        with write_lock(self.db):
            self.db.table("calendar_days").upsert(
                {
                    "day": day.isoformat(),
                    "kind": kind,
                    "note": note,
                    "added_by": by,
                    "added_at": _iso(now),
                },
                pk="day",
            )

    def remove_day(self, day: date) -> bool:
        """Forget the office's change to ``day``; whether there was one."""
        with write_lock(self.db):
            cursor = self.db.execute("DELETE FROM calendar_days WHERE day = ?", [day.isoformat()])
            return cursor.rowcount == 1

    def days(self) -> list[dict[str, object]]:
        """Every changed day, in order."""
        return list(self.db.query("SELECT * FROM calendar_days ORDER BY day"))

    def calendar(self) -> WorkCalendar:
        """The working-day calendar with the office's changes."""
        rows = self.days()

        def pick(kind: str) -> frozenset[date]:
            return frozenset(date.fromisoformat(str(r["day"])) for r in rows if r["kind"] == kind)

        return WorkCalendar(makeup=pick(MAKEUP), off=pick(DAY_OFF))

    def claim_reminder(
        self, key: str, deadline: date, lead: int, user_id: int, now: datetime
    ) -> bool:
        """Claim one reminder (task, deadline, rule, person); False if it was claimed before."""
        with write_lock(self.db):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO deadline_reminders_sent "
                "(task_key, deadline, lead_days, user_id, at) VALUES (?, ?, ?, ?, ?)",
                [key, deadline.isoformat(), lead, user_id, _iso(now)],
            )
            return cursor.rowcount == 1

    def release_reminder(self, key: str, deadline: date, lead: int, user_id: int) -> None:
        """Give a claim back after a failed send."""
        with write_lock(self.db):
            self.db.execute(
                "DELETE FROM deadline_reminders_sent WHERE task_key = ? AND deadline = ? "
                "AND lead_days = ? AND user_id = ?",
                [key, deadline.isoformat(), lead, user_id],
            )

    def claim_overdue(self, user_id: int, week: str, now: datetime) -> bool:
        """Claim this week's overdue list for an admin; False if it was claimed before."""
        with write_lock(self.db):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO overdue_sent (user_id, week, at) VALUES (?, ?, ?)",
                [user_id, week, _iso(now)],
            )
            return cursor.rowcount == 1

    def release_overdue(self, user_id: int, week: str) -> None:
        """Give this week's overdue claim back after a failed send."""
        with write_lock(self.db):
            self.db.execute(
                "DELETE FROM overdue_sent WHERE user_id = ? AND week = ?", [user_id, week]
            )
