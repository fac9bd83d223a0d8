"""Menus per scope: admin commands only in admins' menus; the bot's description at start."""

from __future__ import annotations

from handlers.commands import COMMANDS
from tests.botkit import feed, started_app
from tests.fakebot import FakeTelegram, message, private_chat, user

ADMIN = user(8201, "Hùng", "hung")
NEW_ADMIN = 8202
ADMIN_ONLY = {"quyen", "moi", "ngaylam"}


def _chat(user_id):
    return {"type": "chat", "chat_id": user_id}


async def test_admin_commands_only_in_admin_menus(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake, db_path=tmp_path / "m.sqlite3", admin_ids=frozenset({ADMIN["id"]})
    )
    try:
        public = fake.commands_for({"type": "all_private_chats"})
        groups = fake.commands_for({"type": "all_group_chats"})
        group_admins = fake.commands_for({"type": "all_chat_administrators"})
        assert public == [c.name for c in COMMANDS if not c.admin]
        assert groups == [c.name for c in COMMANDS if c.groups and not c.admin]
        assert ADMIN_ONLY.isdisjoint(public) and ADMIN_ONLY.isdisjoint(groups)
        assert "quyen" in group_admins and "moi" not in group_admins  # /moi: private only
        assert fake.commands_for(_chat(ADMIN["id"])) == [c.name for c in COMMANDS]
        assert fake.commands_for(_chat(NEW_ADMIN)) == []
        # /quyen grants admin: the menu follows; removing the role takes it back.
        await feed(app, message(f"/quyen {NEW_ADMIN} admin", private_chat(ADMIN), ADMIN))
        assert fake.commands_for(_chat(NEW_ADMIN)) == [c.name for c in COMMANDS]
        await feed(
            app, message(f"/quyen {NEW_ADMIN} reporter Ban Dân vận", private_chat(ADMIN), ADMIN)
        )
        assert fake.commands_for(_chat(NEW_ADMIN)) == []
        assert fake.commands_for(_chat(ADMIN["id"])) == [c.name for c in COMMANDS]
        (description,) = fake.calls_of("setMyDescription")
        (short,) = fake.calls_of("setMyShortDescription")
        title = app.bot_data["engine"].programme.title
        assert title and title in description.params["description"]
        assert short.params["short_description"] == f"Hỏi đáp, tiến độ {title}"
        assert len(description.params["description"]) <= 512
        assert len(short.params["short_description"]) <= 120
    finally:
        await app.shutdown()


async def test_a_demoted_admin_loses_the_menu_across_a_restart(tmp_path):
    fake = FakeTelegram()
    path = tmp_path / "m.sqlite3"
    app = await started_app(fake, db_path=path, admin_ids=frozenset({ADMIN["id"], NEW_ADMIN}))
    assert fake.commands_for(_chat(NEW_ADMIN)) == [c.name for c in COMMANDS]
    await app.shutdown()
    # Taken out of CTBOT_ADMIN_IDS while the bot was down.
    again = await started_app(fake, db_path=path, admin_ids=frozenset({ADMIN["id"]}))
    assert fake.commands_for(_chat(NEW_ADMIN)) == []
    await again.shutdown()
