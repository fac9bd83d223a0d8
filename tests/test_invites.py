"""Invite links: one use, expiry, revocation, hashed tokens; /moi and /start end to end."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot import cli
from knowledge.progress.invites import (
    ACTIVE,
    EXPIRED,
    PREFIX,
    REVOKED,
    UNKNOWN,
    USED,
    InviteStore,
    token_hash,
)
from knowledge.progress.log import Member, ProgressStore
from tests.botkit import feed, started_app
from tests.fakebot import FakeTelegram, group_chat, message, private_chat, user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=VN)
BODY = "Ban Tuyên giáo Tỉnh ủy"
ADMIN = user(8101, "Hùng", "hung")
NEWCOMER = user(8102, "Lan", "lan")
OTHER = user(8103, "Minh", "minh")


def test_token_fits_a_deep_link_and_only_its_hash_is_stored(db):
    store = InviteStore(db)
    payload, invite = store.create(BODY, "reporter", created_by=1, now=NOW)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload) and payload.startswith(PREFIX)
    token = payload.removeprefix(PREFIX)
    (row,) = db["invites"].rows
    assert row == {
        "token_hash": token_hash(token),
        "code": token_hash(token)[:8],
        "agency": BODY,
        "role": "reporter",
        "created_by": 1,
        "created_at": "2026-12-01T02:00:00+00:00",
        "expires_at": "2026-12-08T02:00:00+00:00",
        "used_by": None,
        "used_at": None,
        "revoked_at": None,
    }
    assert token not in str(row) and invite.code == row["code"]
    other, _ = store.create(BODY, "reporter", created_by=1, now=NOW)
    assert other != payload


def test_redeem_once_then_refused(db):
    invites, members = InviteStore(db), ProgressStore(db, admin_ids=[1])
    payload, _ = invites.create(BODY, "reporter", created_by=1, now=NOW)
    first = invites.redeem(payload, user_id=7, name="Lan", now=NOW, members=members)
    assert first.state == ACTIVE
    assert first.member == Member(7, "reporter", (BODY,), (), "Lan")
    second = invites.redeem(payload, user_id=8, name="Minh", now=NOW, members=members)
    assert second.state == USED and members.member(8) is None
    assert (
        invites.redeem(PREFIX + "x" * 32, user_id=8, name="", now=NOW, members=members).state
        == UNKNOWN
    )


def test_expired_and_revoked_links_are_refused(db):
    invites, members = InviteStore(db), ProgressStore(db, admin_ids=[1])
    old, _ = invites.create(BODY, "reporter", created_by=1, now=NOW)
    later = NOW + timedelta(days=7)
    assert invites.redeem(old, user_id=7, name="", now=later, members=members).state == EXPIRED
    assert (
        invites.redeem(
            old, user_id=7, name="", now=later - timedelta(seconds=1), members=members
        ).state
        == ACTIVE
    )
    fresh, invite = invites.create(BODY, "reporter", created_by=1, now=NOW)
    assert [i.code for i in invites.all(NOW)] == [invite.code]  # the used one is gone
    assert invites.revoke(invite.code, NOW) is True
    assert invites.revoke(invite.code, NOW) is False
    assert invites.redeem(fresh, user_id=9, name="", now=NOW, members=members).state == REVOKED
    assert members.member(9) is None and invites.all(NOW) == []


def test_a_link_dies_with_its_creators_admin_role(db):
    invites, members = InviteStore(db), ProgressStore(db, admin_ids=[1])
    members.add_user(3, "admin")
    payload, _ = invites.create(BODY, "reporter", created_by=3, now=NOW)
    members.add_user(3, "reporter", [BODY])  # demoted before the link was used
    outcome = invites.redeem(payload, user_id=7, name="", now=NOW, members=members)
    assert outcome.state == REVOKED and members.member(7) is None


def test_an_admin_opening_a_reporter_link_stays_admin(db):
    invites, members = InviteStore(db), ProgressStore(db, admin_ids=[1, 5])
    payload, _ = invites.create(BODY, "reporter", created_by=1, now=NOW)
    outcome = invites.redeem(payload, user_id=5, name="Hùng", now=NOW, members=members)
    assert outcome.member is not None and outcome.member.role == "admin"
    with pytest.raises(ValueError):
        invites.create("", "reporter", created_by=1, now=NOW)


@pytest_asyncio.fixture
async def app(tmp_path):
    fake = FakeTelegram()
    application = await started_app(
        fake, db_path=tmp_path / "inv.sqlite3", admin_ids=frozenset({ADMIN["id"]}), clock=NOW
    )
    application.bot_data["fake"] = fake
    yield application
    await application.shutdown()


def texts(fake, chat_id):
    return fake.sent_texts(chat_id)


async def test_invite_link_used_once_end_to_end(app):
    fake = app.bot_data["fake"]
    await feed(app, message("/moi Ban Tuyen giao reporter", private_chat(ADMIN), ADMIN))
    reply = texts(fake, ADMIN["id"])[-1]
    url = re.search(r"https://t\.me/\S+\?start=(\S+)", reply)
    assert url is not None, reply
    assert f"người báo cáo của {BODY}" in reply and "hết hạn 08/12/2026" in reply
    payload = url.group(1)
    await feed(app, message(f"/start {payload}", private_chat(NEWCOMER), NEWCOMER))
    assert texts(fake, NEWCOMER["id"])[-1].startswith("✅ Chào Lan! Bạn được cấp quyền reporter")
    store = app.bot_data["reporting"].store
    assert store.member(NEWCOMER["id"]) == Member(NEWCOMER["id"], "reporter", (BODY,), (), "Lan")
    (invite,) = InviteStore(app.bot_data["db"]).all(NOW, active_only=False)
    assert texts(fake, ADMIN["id"])[-1] == (
        f"🔔 Lan (<code>8102</code>) đã dùng liên kết mời <code>{invite.code}</code>: "
        f"người báo cáo của {BODY}."
    )
    # A second use (someone the link was forwarded to) is refused and binds nobody.
    await feed(app, message(f"/start {payload}", private_chat(OTHER), OTHER))
    assert texts(fake, OTHER["id"])[-1].startswith("⛔ Liên kết mời này đã được dùng")
    assert store.member(OTHER["id"]) is None


async def test_expired_link_refused_and_strangers_cannot_invite(app, tmp_path):
    fake = app.bot_data["fake"]
    payload, _ = InviteStore(app.bot_data["db"]).create(
        BODY, "reporter", created_by=ADMIN["id"], now=NOW - timedelta(days=8)
    )
    await feed(app, message(f"/start {payload}", private_chat(NEWCOMER), NEWCOMER))
    assert texts(fake, NEWCOMER["id"])[-1].startswith("⛔ Liên kết mời đã hết hạn")
    assert app.bot_data["reporting"].store.member(NEWCOMER["id"]) is None
    await feed(app, message("/moi Ban Tuyên giáo", private_chat(OTHER), OTHER))
    assert texts(fake, OTHER["id"])[-1] == "⛔ Chỉ quản trị viên được tạo liên kết mời."
    group = group_chat(-1005550000001, "Nhóm")
    await feed(app, message("/moi Ban Tuyên giáo", group, ADMIN))
    assert "tin nhắn riêng" in texts(fake, group["id"])[-1]
    fresh, _ = InviteStore(app.bot_data["db"]).create(
        BODY, "reporter", created_by=ADMIN["id"], now=NOW
    )
    await feed(app, message(f"/start {fresh}", group, NEWCOMER))  # a link pasted in a group
    assert texts(fake, group["id"])[-1] == "Hãy mở liên kết mời trong tin nhắn riêng với bot."
    assert app.bot_data["reporting"].store.member(NEWCOMER["id"]) is None
    assert [i.created_at for i in InviteStore(app.bot_data["db"]).all(NOW, active_only=False)][
        1:
    ] == ["2026-11-23T02:00:00+00:00"]


async def test_moi_lists_and_revokes(app):
    fake = app.bot_data["fake"]
    await feed(app, message("/moi admin", private_chat(ADMIN), ADMIN))
    code = re.search(r"/moi huy (\w+)", texts(fake, ADMIN["id"])[-1]).group(1)
    await feed(app, message("/moi", private_chat(ADMIN), ADMIN))
    assert f"<code>{code}</code> quản trị viên" in texts(fake, ADMIN["id"])[-1]
    await feed(app, message(f"/moi huy {code}", private_chat(ADMIN), ADMIN))
    assert texts(fake, ADMIN["id"])[-1] == f"Đã thu hồi liên kết <code>{code}</code>."
    await feed(app, message("/moi", private_chat(ADMIN), ADMIN))
    assert texts(fake, ADMIN["id"])[-1].startswith("Không có liên kết mời nào còn hiệu lực")


def test_cli_invite_prints_a_link_and_revokes(tmp_path, capsys):
    db = str(tmp_path / "cli.sqlite3")
    assert cli.main(["--db", db, "users", "invite", "--agency", "Ban Tuyên giáo"]) == 2
    assert "--bot-username" in capsys.readouterr().err
    args = [
        "--db",
        db,
        "users",
        "invite",
        "--agency",
        "Ban Tuyên giáo",
        "--bot-username",
        "ctr_bot",
    ]
    assert cli.main(args) == 0
    link, info = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"https://t\.me/ctr_bot\?start=inv-[A-Za-z0-9_-]{32}", link)
    code = info.split()[1].rstrip(",")
    assert cli.main(["--db", db, "users", "invites"]) == 0
    assert capsys.readouterr().out.startswith(f"{code}\tactive\treporter\t{BODY}")
    assert cli.main(["--db", db, "users", "invites", "--revoke", code]) == 0
    assert cli.main(["--db", db, "users", "invites", "--revoke", code]) == 1


async def test_cli_uses_the_username_recorded_at_start(app, capsys):
    fake = app.bot_data["fake"]
    db = str(app.bot_data["db"].conn.execute("PRAGMA database_list").fetchone()[2])
    assert cli.main(["--db", db, "users", "invite", "--role", "admin"]) == 0
    link = capsys.readouterr().out.splitlines()[0]
    assert link.startswith(f"https://t.me/{fake.username}?start=inv-")
