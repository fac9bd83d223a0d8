"""The board's web server inside the real Application: 403s, scopes, headers, /bang, menus."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import aiohttp
import pytest
import pytest_asyncio

from bot.settings import Settings, SettingsError
from handlers.board import board_markup
from knowledge.digest.initdata import sign
from tests.botkit import feed, obj, started_app
from tests.fakebot import FakeTelegram, group_chat, message, private_chat, user

CLOCK = datetime(2021, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
URL = "https://board.example.test/bang/"
ADMIN = user(9101, "Hùng", "hung_admin")
REPORTER = user(9102, "Lan", "lan_tg")  # Ban Tuyên giáo Tỉnh ủy
STRANGER = user(9103, "Khách", "khach")


def init_data(fake, who, *, age=0, token=None):
    fields = {
        "query_id": "AAE1",
        "user": f'{{"id":{who["id"]},"first_name":"{who["first_name"]}"}}',
        "auth_date": str(int(CLOCK.timestamp()) - age),
    }
    return sign(fields, token or fake.token)


@pytest_asyncio.fixture
async def board(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake,
        db_path=tmp_path / "b.sqlite3",
        admin_ids=frozenset({ADMIN["id"]}),
        web_listen=("127.0.0.1", 0),
        web_url=URL,
        clock=CLOCK,
    )
    app.bot_data["reporting"].store.add_user(
        REPORTER["id"], "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Lan"
    )
    server = app.bot_data["board_server"]
    async with aiohttp.ClientSession(f"http://127.0.0.1:{server.port}") as http:
        yield fake, app, http
    await app.shutdown()
    await app.post_shutdown(app)


async def get(http, path, data=None):
    headers = {} if data is None else {"X-Telegram-Init-Data": data}
    async with http.get(path, headers=headers) as response:
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body


async def test_shell_is_public_and_holds_no_data(board):
    fake, _app, http = board
    async with http.get("/") as response:
        html = await response.text()
        assert response.status == 200 and response.content_type == "text/html"
        assert "frame-ancestors" not in response.headers["Content-Security-Policy"]
        assert (
            "script-src 'self' https://telegram.org" in response.headers["Content-Security-Policy"]
        )
    assert "Bảng tiến độ" in html and "telegram-web-app.js" in html
    assert "5.3" not in html and fake.token not in html
    for path in ("/board.js", "/board.css"):
        async with http.get(path) as response:
            assert response.status == 200
            assert fake.token not in await response.text()
    assert (await get(http, "/ctbot.sqlite3"))[0] == 404


@pytest.mark.parametrize("view", ["overview", "bodies", "targets", "task/5.3"])
async def test_missing_forged_expired_and_stranger_get_403(board, view):
    fake, _app, http = board
    path = f"/api/{view}"
    assert (await get(http, path))[0] == 403
    assert (await get(http, path, ""))[0] == 403
    assert (await get(http, path, init_data(fake, ADMIN, token="1:forged")))[0] == 403
    assert (await get(http, path, init_data(fake, ADMIN, age=24 * 3600 + 1)))[0] == 403
    tampered = init_data(fake, STRANGER).replace(str(STRANGER["id"]), str(ADMIN["id"]))
    assert (await get(http, path, tampered))[0] == 403
    status, body = await get(http, path, init_data(fake, STRANGER))
    assert status == 403 and "Không có quyền" in body["error"]
    assert (await get(http, path, init_data(fake, ADMIN, age=3600)))[0] == 200


async def test_admin_sees_everything_reporter_only_their_tasks(board):
    fake, app, http = board
    await feed(app, message("/capnhat 5.3 60% đã ban hành kế hoạch", private_chat(ADMIN), ADMIN))
    await feed(app, message("/capnhat II.3 hoàn thành", private_chat(REPORTER), REPORTER))
    engine = app.bot_data["engine"]
    status, admin = await get(http, "/api/overview", init_data(fake, ADMIN))
    assert status == 200 and admin["total"] == len(engine.programme.tasks)
    assert admin["date"] == "01/06/2021"
    status, mine = await get(http, "/api/overview", init_data(fake, REPORTER))
    led = {t.code for t in engine.tasks_led_by("Ban Tuyên giáo Tỉnh ủy")}
    assert status == 200 and mine["total"] == len(led) < admin["total"]
    status, task = await get(http, "/api/task/II.3", init_data(fake, REPORTER))
    assert status == 200 and task["reporter"] == "Lan" and len(task["history"]) == 1
    # Not theirs: the same answer as a task that does not exist.
    assert (await get(http, "/api/task/5.3", init_data(fake, REPORTER)))[0] == 404
    assert (await get(http, "/api/task/nope", init_data(fake, ADMIN)))[0] == 404
    # Rights are checked on every request: a removed reporter loses the board at once.
    app.bot_data["reporting"].store.remove_user(REPORTER["id"])
    assert (await get(http, "/api/overview", init_data(fake, REPORTER)))[0] == 403


async def test_board_writes_nothing(board):
    fake, app, http = board
    db = app.bot_data["db"]
    before = {t: db[t].count for t in db.table_names()}
    for view in ("overview", "bodies", "targets", "task/5.3"):
        await get(http, f"/api/{view}", init_data(fake, ADMIN))
        await get(http, f"/api/{view}", init_data(fake, STRANGER))
    assert {t: db[t].count for t in db.table_names()} == before


async def test_menu_buttons_and_bang(board):
    fake, app, _http = board
    menus = {obj(c.params["chat_id"]) for c in fake.calls_of("setChatMenuButton")}
    assert ADMIN["id"] in menus  # members at start (the reporter was added after)
    button = obj(fake.calls_of("setChatMenuButton")[0].params["menu_button"])
    assert button == {"type": "web_app", "text": "Bảng tiến độ", "web_app": {"url": URL}}

    await feed(app, message("/bang", private_chat(REPORTER), REPORTER))
    sent = fake.calls_of("sendMessage")[-1]
    keyboard = obj(sent.params["reply_markup"])["inline_keyboard"]
    assert keyboard[0][0]["web_app"] == {"url": URL}
    assert obj(fake.calls_of("setChatMenuButton")[-1].params["chat_id"]) == REPORTER["id"]

    await feed(app, message("/bang", private_chat(STRANGER), STRANGER))
    last = fake.calls_of("sendMessage")[-1]
    assert "dành cho quản trị viên" in last.params["text"] and "reply_markup" not in last.params

    await feed(app, message("/bang", group_chat(-100777, "Tổ"), ADMIN))
    last = fake.calls_of("sendMessage")[-1]
    assert "tin nhắn riêng" in last.params["text"] and "reply_markup" not in last.params


async def test_board_markup_for_tiendo_and_digest(board):
    _fake, app, _http = board
    context = SimpleNamespace(bot_data=app.bot_data)
    markup = board_markup(context, "private")
    assert markup is not None and markup.inline_keyboard[0][0].web_app.url == URL
    assert board_markup(context, "supergroup") is None
    assert board_markup(SimpleNamespace(bot_data={}), "private") is None


def menu(fake, scope):
    return {
        c["command"]
        for call in fake.calls_of("setMyCommands")
        if obj(call.params["scope"])["type"] == scope
        for c in obj(call.params["commands"])
    }


async def test_bang_is_handled_only_when_the_board_is_on(board, tmp_path):
    fake, _app, _http = board
    # Until README documents /bang it stays out of the command menus (see handlers/commands.py);
    # members open the board from the chat's menu button.
    assert "bang" not in menu(fake, "all_private_chats") | menu(fake, "all_group_chats")
    off = FakeTelegram()
    app = await started_app(off, db_path=tmp_path / "n.sqlite3", admin_ids=frozenset({1}))
    try:
        assert "board_server" not in app.bot_data
        assert not off.calls_of("setChatMenuButton")
        await feed(app, message("/bang", private_chat(user(1, "A")), user(1, "A")))
        assert not off.calls_of("sendMessage")
    finally:
        await app.shutdown()
        await app.post_shutdown(app)


async def test_shutdown_stops_the_server(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake, db_path=tmp_path / "s.sqlite3", web_listen=("127.0.0.1", 0), web_url=URL
    )
    port = app.bot_data["board_server"].port
    await app.shutdown()
    await app.post_shutdown(app)
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(f"http://127.0.0.1:{port}/")


def test_settings():
    env = {"TELEGRAM_BOT_TOKEN": "1:x"}
    assert Settings.from_env(env).web_listen is None
    s = Settings.from_env({**env, "CTBOT_WEB_LISTEN": "127.0.0.1:8080", "CTBOT_WEB_URL": URL})
    assert (s.web_listen, s.web_url, s.web_max_age) == (("127.0.0.1", 8080), URL, 86400)
    for bad in (
        {"CTBOT_WEB_LISTEN": "127.0.0.1:8080"},
        {"CTBOT_WEB_URL": URL},
        {"CTBOT_WEB_LISTEN": "8080", "CTBOT_WEB_URL": URL},
        {"CTBOT_WEB_LISTEN": "127.0.0.1:99999", "CTBOT_WEB_URL": URL},
        {"CTBOT_WEB_LISTEN": "127.0.0.1:8080", "CTBOT_WEB_URL": "http://insecure.test/"},
    ):
        with pytest.raises(SettingsError, match="CTBOT_WEB"):
            Settings.from_env({**env, **bad})


async def test_tiendo_and_the_digest_carry_the_board_button_in_private_chats_only(board):
    from telegram.ext import CallbackContext

    from handlers.digest import _send_text
    from tests.fakebot import group_chat, message, private_chat

    fake, app, _http = board
    await feed(app, message("/tiendo", private_chat(ADMIN), ADMIN))
    button = obj(fake.calls_of("sendMessage")[-1].params["reply_markup"])["inline_keyboard"][0][0]
    assert button["web_app"]["url"] == URL
    group = group_chat(-1008888888888, "Tổ CTr 08")
    await feed(app, message("/tiendo", group, ADMIN))
    assert "reply_markup" not in fake.calls_of("sendMessage")[-1].params
    context = CallbackContext(app)
    await _send_text(context, ADMIN["id"], "<b>📰 Tóm tắt</b>")
    assert "web_app" in str(fake.calls_of("sendMessage")[-1].params["reply_markup"])
    await _send_text(context, group["id"], "<b>📰 Tóm tắt</b>")
    assert "reply_markup" not in fake.calls_of("sendMessage")[-1].params
