"""The board in a real headless Chromium (Debian's, driven by Playwright), as Telegram opens it.

Telegram passes the signed initData and the theme in the URL fragment
(``#tgWebAppData=...&tgWebAppThemeParams=...``); the test does the same. Every request that
does not go to 127.0.0.1 (telegram-web-app.js included) is refused, so the page must work
without Telegram's script. Screenshots at 360×780 go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from knowledge.digest.initdata import sign
from knowledge.progress import views as progress_views
from knowledge.progress.log import NO_REPORT, STATUS_LABELS
from tests.botkit import feed, started_app
from tests.fakebot import FakeTelegram, message, private_chat, user

CHROMIUM = os.environ.get("CTBOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
CLOCK = datetime(2021, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ADMIN = user(9201, "Hùng", "hung_admin")
REPORTER = user(9202, "Lan", "lan_tg")
DARK = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}
# No traffic leaves the machine: names other than 127.0.0.1 do not resolve.
ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-sandbox",
]

playwright_api = pytest.importorskip(
    "playwright.async_api", reason="the browser test needs `pip install playwright`"
)
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"Chromium not found at {CHROMIUM}: apt-get install chromium (CI installs it)",
)


def init_data(fake, who, token=None):
    fields = {
        "query_id": "AAE2",
        "user": json.dumps({"id": who["id"], "first_name": who["first_name"]}),
        "auth_date": str(int(CLOCK.timestamp())),
    }
    return sign(fields, token or fake.token)


def fragment(data, theme=None):
    out = f"#tgWebAppData={quote(data, safe='')}&tgWebAppVersion=8.0&tgWebAppPlatform=android"
    if theme:
        out += "&tgWebAppThemeParams=" + quote(json.dumps(theme), safe="")
    return out


@pytest_asyncio.fixture
async def site(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake,
        db_path=tmp_path / "b.sqlite3",
        admin_ids=frozenset({ADMIN["id"]}),
        web_listen=("127.0.0.1", 0),
        web_url="https://board.example.test/",
        clock=CLOCK,
    )
    app.bot_data["reporting"].store.add_user(
        REPORTER["id"], "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Lan"
    )
    for text, who in [
        ("/capnhat 5.3 60% đã ban hành kế hoạch", ADMIN),
        ("/capnhat 1.2 30% đang xây dựng đề án", ADMIN),
        ("/capnhat II.3 hoàn thành", REPORTER),
        ("/capnhat 1.1 hoàn thành", ADMIN),
        ("/capnhat chỉ tiêu che phủ rừng 46,2% năm 2024", ADMIN),
    ]:
        await feed(app, message(text, private_chat(who), who))
    base = f"http://127.0.0.1:{app.bot_data['board_server'].port}/"
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = await browser.new_context(
            viewport={"width": 360, "height": 780}, device_scale_factor=1, locale="vi-VN"
        )
        outside: list[str] = []

        async def local_only(route):
            if route.request.url.startswith("http://127.0.0.1:"):
                await route.continue_()
            else:
                outside.append(route.request.url)
                await route.abort()

        await context.route("**/*", local_only)
        yield fake, app, base, context, outside
        await browser.close()
    await app.shutdown()
    await app.post_shutdown(app)


async def open_board(context, url):
    page = await context.new_page()
    api = []
    page.on("response", lambda r: api.append((r.url, r.status)) if "/api/" in r.url else None)
    await page.goto(url)
    await page.wait_for_selector("#main[data-view]", state="attached", timeout=15000)
    return page, api


async def test_signed_overview_shows_the_counts_of_tiendo(site):
    fake, app, base, context, outside = site
    page, api = await open_board(context, base + fragment(init_data(fake, ADMIN)))
    assert await page.get_attribute("#main", "data-view") == "overview"
    engine, store = app.bot_data["engine"], app.bot_data["reporting"].store
    expected = {label: 0 for label in STATUS_LABELS}
    text = progress_views.overview(engine, store, CLOCK.date())
    total_part = text.split("Tổng cộng", 1)[1]
    for label, n in re.findall(r"• (.+): (\d+)", total_part):
        expected[label] = int(n)
    shown = {}
    for label in STATUS_LABELS:
        cell = page.locator(f'#totals [data-status="{label}"] b')
        shown[label] = int(await cell.inner_text())
    assert shown == expected
    assert shown[NO_REPORT] == len(engine.programme.tasks) - 4
    body = await page.inner_text("body")
    assert f"{len(engine.programme.tasks)}\nnhiệm vụ" in body
    assert "Đã quá hạn trình, chưa hoàn thành (" in body
    assert "Đến hạn trình trong 30 ngày (" in body
    assert await page.locator("#main svg rect").count() >= 3
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "board-overview.png"
    await page.screenshot(path=str(shot))
    await page.screenshot(path=str(ARTIFACTS / "board-overview-full.png"), full_page=True)
    print(f"screenshot: {shot}")
    # Weight of what the page loaded from the board (shell, script, style, data).
    weight = await page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType("
        "'resource')).filter(e => e.name.startsWith(location.origin))"
        ".reduce((n, e) => n + e.transferSize, 0)"
    )
    print(f"page weight: {weight} bytes")
    assert 0 < weight < 200_000
    assert all(url.startswith("https://telegram.org/") for url in outside)
    assert [s for _, s in api] == [200]


async def test_task_page_bodies_targets_and_dark_theme(site):
    fake, _app, base, context, _outside = site
    url = base + fragment(init_data(fake, ADMIN), DARK)
    page, _api = await open_board(context, url)
    bg = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(23, 33, 43)"
    await page.click('[data-view="bodies"]')
    await page.wait_for_selector("#main[data-view=bodies] h3")
    assert "Ban Tuyên giáo" in await page.inner_text("#main")
    await page.click('#main li[data-code="5.3"]')
    await page.wait_for_selector("#main[data-view=task]")
    task = await page.inner_text("#main")
    assert "Nhiệm vụ 5.3" in task and "Hùng (báo cáo)" in task and "60%" in task
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "board-task-dark.png"))
    await page.click("button.back")
    await page.wait_for_selector("#main[data-view=bodies]")
    await page.click('[data-view="targets"]')
    await page.wait_for_selector("#main[data-view=targets] h3")
    targets = await page.inner_text("#main")
    assert "Mục tiêu:" in targets and "46,2% (năm 2024)" in targets and "Hùng" in targets
    assert await page.locator("#main .chart svg rect.bar").count() == 1
    await page.locator("#main .chart").first.scroll_into_view_if_needed()
    await page.screenshot(path=str(ARTIFACTS / "board-targets-dark.png"))


async def test_reporter_sees_only_their_bodies_tasks(site):
    fake, app, base, context, _outside = site
    page, _api = await open_board(context, base + fragment(init_data(fake, REPORTER)))
    led = app.bot_data["engine"].tasks_led_by("Ban Tuyên giáo Tỉnh ủy")
    assert await page.inner_text("#totals .total.all b") == str(len(led))
    assert "Chỉ các nhiệm vụ của cơ quan bạn." in await page.inner_text("#main")


async def test_forged_expired_missing_or_stranger_see_no_data(site):
    fake, _app, base, context, _outside = site
    ARTIFACTS.mkdir(exist_ok=True)
    expired = sign(
        {
            "user": json.dumps({"id": ADMIN["id"]}),
            "auth_date": str(int(CLOCK.timestamp()) - 24 * 3600 - 1),
        },
        fake.token,
    )
    for data in (
        init_data(fake, ADMIN, token="1:not-the-bot"),
        expired,
        "",
        init_data(fake, user(9299, "Khách")),
    ):
        page, api = await open_board(context, base + (fragment(data) if data else ""))
        assert await page.get_attribute("#main", "data-view") == "error"
        assert "Không có quyền" in await page.inner_text("#error")
        assert await page.locator("#totals").count() == 0
        assert not await page.is_visible("#tabs")
        assert [s for _, s in api] == [403]
        if not data:
            await page.screenshot(path=str(ARTIFACTS / "board-refused.png"))
        await page.close()
