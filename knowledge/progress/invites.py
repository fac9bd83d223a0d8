"""One-time invite links: an admin invites a person to report for a body.

The link carries a random token (``secrets.token_urlsafe``) in Telegram's deep-link payload
(at most 64 characters of ``[A-Za-z0-9_-]``). Only its SHA-256 is stored, so a copy of the
database cannot be turned into working links. A link is used once, expires after
:data:`VALID_FOR` and can be revoked; redeeming it binds the person in the same transaction
that marks the link used, so two people racing for one link cannot both win.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from knowledge.progress.log import ADMIN, REPORTER, Member, ProgressStore, write_lock

__all__ = [
    "ACTIVE",
    "EXPIRED",
    "PREFIX",
    "REVOKED",
    "UNKNOWN",
    "USED",
    "VALID_FOR",
    "Invite",
    "InviteStore",
    "is_invite_payload",
    "token_hash",
]

VALID_FOR = timedelta(days=7)
PREFIX = "inv-"  # the payload is PREFIX + token: 4 + 32 characters
TOKEN_BYTES = 24  # 192 random bits, 32 URL-safe characters

ACTIVE = "active"
USED = "used"
EXPIRED = "expired"
REVOKED = "revoked"
UNKNOWN = "unknown"


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_invite_payload(payload: str) -> bool:
    """Whether a ``/start`` payload is an invite (it may still be invalid)."""
    return payload.startswith(PREFIX)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Invite:
    """An invite as stored (never the token).

    Attributes:
        code: Short public name of the link (to list and revoke it): the hash's first 8 digits.
        agency: The body the person will report for ("" for an admin invite).
        role: ``reporter`` or ``admin``.
        created_by: The admin who created it (0 = command line).
        created_at: When (UTC ISO).
        expires_at: Until when it works (UTC ISO).
        used_by: Who used it, or None.
        used_at: When it was used, or "".
        revoked_at: When it was revoked, or "".

    """

    code: str
    agency: str
    role: str
    created_by: int
    created_at: str
    expires_at: str
    used_by: int | None = None
    used_at: str = ""
    revoked_at: str = ""

    def state(self, now: datetime) -> str:
        """``active``, ``used``, ``revoked`` or ``expired`` at ``now``."""
        if self.used_by is not None:
            return USED
        if self.revoked_at:
            return REVOKED
        return EXPIRED if _iso(now) >= self.expires_at else ACTIVE


def _invite(row: dict[str, object]) -> Invite:
    fields = {k: row[k] for k in Invite.__dataclass_fields__}
    fields["used_at"] = fields["used_at"] or ""
    fields["revoked_at"] = fields["revoked_at"] or ""
    fields["agency"] = fields["agency"] or ""
    return Invite(**fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Redeemed:
    """The outcome of opening a link: ``state`` is ``active`` when it bound the person."""

    state: str
    invite: Invite | None = None
    member: Member | None = None


class InviteStore:
    """Creates, lists, revokes and redeems invites."""

    def __init__(self, db: Database) -> None:
        """Wrap a migrated database."""
        self.db = db

    def create(
        self, agency: str, role: str, *, created_by: int, now: datetime
    ) -> tuple[str, Invite]:
        """A new invite and its deep-link payload (shown once, never stored).

        Raises:
            ValueError: Unknown role, or a reporter invite without a body.

        """
        if role not in (ADMIN, REPORTER):
            raise ValueError(f"unknown role {role!r}")
        if role == REPORTER and not agency:
            raise ValueError("a reporter invite needs a body")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        digest = token_hash(token)
        row = {
            "token_hash": digest,
            "code": digest[:8],
            "agency": agency,
            "role": role,
            "created_by": created_by,
            "created_at": _iso(now),
            "expires_at": _iso(now + VALID_FOR),
            "used_by": None,
            "used_at": None,
            "revoked_at": None,
        }
        with write_lock(self.db):
            self.db.table("invites").insert(row)
        return PREFIX + token, _invite(row)

    def get(self, code: str) -> Invite | None:
        """An invite by its code."""
        rows = list(self.db.query("SELECT * FROM invites WHERE code = ?", [code]))
        return _invite(rows[0]) if rows else None

    def all(self, now: datetime, *, active_only: bool = True) -> list[Invite]:
        """Invites, newest first (only those that still work, unless asked)."""
        rows = self.db.query("SELECT * FROM invites ORDER BY created_at DESC, code")
        found = [_invite(r) for r in rows]
        return [i for i in found if i.state(now) == ACTIVE] if active_only else found

    def revoke(self, code: str, now: datetime) -> bool:
        """Revoke a link that still works; whether one was revoked."""
        with write_lock(self.db):
            cursor = self.db.execute(
                "UPDATE invites SET revoked_at = ? WHERE code = ? AND used_by IS NULL "
                "AND revoked_at IS NULL AND expires_at > ?",
                [_iso(now), code.strip().lower(), _iso(now)],
            )
            return cursor.rowcount == 1

    def redeem(
        self, payload: str, *, user_id: int, name: str, now: datetime, members: ProgressStore
    ) -> Redeemed:
        """Use a link: mark it used and bind the person, in one transaction.

        An admin who opens a reporter link stays admin and gains the body. A link whose
        creator is no longer an admin counts as revoked.
        """
        digest = token_hash(payload.removeprefix(PREFIX))
        with write_lock(self.db):
            rows = list(self.db.query("SELECT * FROM invites WHERE token_hash = ?", [digest]))
            if not rows:
                return Redeemed(UNKNOWN)
            invite = _invite(rows[0])
            if invite.state(now) != ACTIVE:
                return Redeemed(invite.state(now), invite)
            creator = members.member(invite.created_by) if invite.created_by else None
            if invite.created_by and (creator is None or creator.role != ADMIN):
                return Redeemed(REVOKED, invite)  # its admin lost the role since
            self.db.execute(
                "UPDATE invites SET used_by = ?, used_at = ? WHERE token_hash = ?",
                [user_id, _iso(now), digest],
            )
            existing = members.member(user_id)
            role = ADMIN if existing is not None and existing.role == ADMIN else invite.role
            agencies = [invite.agency] if invite.agency else []
            member = members.add_user(
                user_id, role, agencies, name=name, added_by=invite.created_by
            )
        used = Invite(**{**invite.__dict__, "used_by": user_id, "used_at": _iso(now)})
        return Redeemed(ACTIVE, used, member)
