"""Conversation context: follow-ups on their own, the memory, and through the real Application."""

from __future__ import annotations

import pytest_asyncio

from knowledge.qa.conversation import Context, ConversationMemory, follow_up
from tests.botkit import feed, started_app
from tests.fakebot import FakeTelegram, group_chat, message, private_chat, user

LAN = user(1101, "Lan", "lan_kh")
MINH = user(1102, "Minh", "minh_kh")
GROUP = group_chat(-1001112223334, "Tổ công tác")
TASK = Context("ai chủ trì đề án chuyển đổi số", "task", "5.3", "lead")


def test_a_field_follow_up_is_about_the_same_task() -> None:
    assert follow_up("thế cơ quan nào ban hành?", TASK) == "nhiệm vụ 5.3 co quan nao ban hanh"
    assert follow_up("còn thời gian thực hiện?", TASK) == "nhiệm vụ 5.3 thoi gian thuc hien"


def test_another_subject_gets_the_same_question() -> None:
    assert follow_up("còn đề án khu dân cư điện tử thì sao", TASK) == (
        "de an khu dan cu dien tu ai chủ trì"
    )
    target = Context("tỷ lệ che phủ rừng năm 2025", "indicator", "30", "indicator")
    assert follow_up("còn tỷ lệ đô thị hóa?", target) == "ty le do thi hoa là bao nhiêu"


def test_a_bare_field_question_is_about_the_context_without_an_opener() -> None:
    assert follow_up("Cơ quan nào ban hành?", TASK) == "nhiệm vụ 5.3 co quan nao ban hanh"
    assert follow_up("khi nao phai trinh", TASK) == "nhiệm vụ 5.3 khi nao phai trinh"
    assert follow_up("trình lúc nào v", TASK) == "nhiệm vụ 5.3 trinh luc nao"
    assert follow_up("Thực hiện đến năm nào?", TASK) == "nhiệm vụ 5.3 thuc hien den nam nao"


def test_this_task_means_the_contexts_task() -> None:
    assert follow_up("Cơ quan nào ban hành đề án này?", TASK) == (
        "nhiệm vụ 5.3 co quan nao ban hanh"
    )
    assert follow_up("Ai chủ trì tham mưu nhiệm vụ đó?", TASK) == (
        "nhiệm vụ 5.3 ai chu tri tham muu"
    )


def test_closers_are_stripped_one_after_another() -> None:
    target = Context("tỷ lệ che phủ rừng năm 2025", "indicator", "30", "indicator")
    assert follow_up("còn nước sạch thì sao ad", target) == "nuoc sach là bao nhiêu"


def test_a_listing_is_asked_again_with_the_new_filter_in_place_of_the_old() -> None:
    listing = Context("Những nhiệm vụ nào phải trình trong Quý IV năm 2020?", "task", "2.1", "x")
    assert follow_up("Thế còn Quý I năm 2021?", listing) == (
        "nhung nhiem vu nao phai trinh trong quy i nam 2021"
    )
    body = Context("Ban Dân vận Tỉnh ủy chủ trì những nhiệm vụ nào?", "task", "II.5", "x")
    assert follow_up("Vậy còn Ban Tuyên giáo Tỉnh ủy?", body) == (
        "ban tuyen giao tinh uy chu tri nhung nhiem vu nao"
    )


def test_a_question_that_stands_alone_is_not_rewritten() -> None:
    assert follow_up("ai chủ trì đề án khu dân cư điện tử", TASK) is None
    assert follow_up("thế cơ quan nào ban hành?", None) is None


def test_memory_expires_and_never_crosses_chats() -> None:
    now = [0.0]
    memory = ConversationMemory(ttl=60, clock=lambda: now[0])
    memory.remember(1, TASK, (77,))
    assert memory.get(1) == TASK
    assert memory.get(2) is None
    assert memory.get(2, 77) is None
    assert memory.get(1, 77, chat_wide=False) == TASK
    assert memory.get(1, 78, chat_wide=False) is None
    now[0] = 61.0
    assert memory.get(1) is None and memory.get(1, 77) is None


def test_memory_is_bounded() -> None:
    memory = ConversationMemory(limit=2)
    for chat in range(5):
        memory.remember(chat, TASK)
    assert memory.get(0) is None and memory.get(4) == TASK


@pytest_asyncio.fixture
async def bot(tmp_path):  # type: ignore[no-untyped-def]
    fake = FakeTelegram()
    app = await started_app(fake, db_path=tmp_path / "conv.sqlite3", concurrency=1)
    yield fake, app
    await app.shutdown()


def _texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [
        str(c.params["text"])
        for c in fake.calls_of("sendMessage")
        if not c.faulted and int(c.params["chat_id"]) == chat_id
    ]


async def test_a_private_follow_up_chain(bot) -> None:  # type: ignore[no-untyped-def]
    fake, app = bot
    chat = private_chat(LAN)
    chain = [
        ("ai chủ trì đề án chuyển đổi số?", "chủ trì tham mưu nhiệm vụ 5.3"),
        ("thế cơ quan nào ban hành?", "Cơ quan ban hành nhiệm vụ 5.3"),
        ("còn đề án khu dân cư điện tử thì sao", "nhiệm vụ II.1"),
        ("còn thời gian thực hiện?", "Thời gian thực hiện nhiệm vụ II.1: 2021 - 2022"),
        ("tỷ lệ che phủ rừng năm 2025", "46,5%"),
        ("còn tỷ lệ đô thị hóa thì sao?", "65%"),
    ]
    for question, expected in chain:
        await feed(app, message(question, chat, LAN))
        assert expected in _texts(fake, LAN["id"])[-1], question
    # Another chat has no context: the same follow-up is not about task II.1.
    await feed(app, message("còn thời gian thực hiện?", private_chat(MINH), MINH))
    assert "II.1" not in _texts(fake, MINH["id"])[-1]


async def test_a_reply_to_the_bots_card_in_a_group_is_about_that_card(bot) -> None:  # type: ignore[no-untyped-def]
    fake, app = bot
    ask = message(f"/hoi@{fake.username} ai chủ trì đề án chuyển đổi số", GROUP, LAN)
    await feed(app, ask)
    card = [m for m in fake.sent_messages(GROUP["id"])][-1]
    # Someone else asks, replying to the bot's card.
    follow = message("thế cơ quan nào ban hành?", GROUP, MINH, reply_to=card)
    await feed(app, follow)
    assert "Cơ quan ban hành nhiệm vụ 5.3: UBND tỉnh" in _texts(fake, GROUP["id"])[-1]
    # Without the reply, a group message is not addressed to the bot and gets no answer.
    before = len(_texts(fake, GROUP["id"]))
    await feed(app, message("còn thời gian thực hiện?", GROUP, MINH))
    assert len(_texts(fake, GROUP["id"])) == before
