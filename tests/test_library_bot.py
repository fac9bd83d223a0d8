"""Documents through the real Application on the fake Bot API: upload, "Nạp"/"Hủy", /vanban."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio

from handlers.context import ENGINE, LIBRARY, REPORTING
from handlers.markup import HTML
from handlers.other import HINT
from handlers.upload import (
    CANCELLED,
    EXPIRED,
    NOT_ADMIN,
    SCANNED,
    TOO_BIG,
    WRONG_FORMAT,
    preview_text,
)
from tests.botkit import feed, obj, started_app
from tests.documents import build_docx
from tests.fakebot import (
    FakeTelegram,
    callback_query,
    group_chat,
    inline_query,
    message,
    private_chat,
    uploaded_document,
    user,
)

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN = user(9101, "Hùng", "hung_admin")
STRANGER = user(9103, "Khách", "khach")
OTHER_ADMIN = user(9104, "Mai", "mai_admin")
GROUP = group_chat(-1006666666666, "Tổ theo dõi")
# Only plan_c has this target; the bundled programme does not.
PLAN_QUESTION = "tỷ lệ hộ nghèo năm 2026"
PLAN_ANSWER = "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều"


@pytest_asyncio.fixture
async def bot(tmp_path):
    fake = FakeTelegram()
    admins = frozenset({ADMIN["id"], OTHER_ADMIN["id"]})
    app = await started_app(fake, db_path=tmp_path / "lib.sqlite3", admin_ids=admins)
    yield fake, app
    await app.shutdown()


def last_text(fake):
    return fake.calls_of("sendMessage")[-1].params["text"]


def buttons(call):
    markup = obj(call.params["reply_markup"])
    return [b for row in markup["inline_keyboard"] for b in row]


def plan_docx(tmp_path: Path) -> bytes:
    return build_docx(
        (FIXTURES / "plan_c.txt").read_text("utf-8"), tmp_path / "kh45.docx"
    ).read_bytes()


async def upload(fake, app, tmp_path, sender=ADMIN, **kwargs):
    file = fake.upload_file(plan_docx(tmp_path), "kh45.docx")
    await feed(
        app, uploaded_document(file, private_chat(sender), sender, file_name="kh45.docx", **kwargs)
    )


def stored_numbers(app):
    return [r["number"] for r in app.bot_data["db"]["documents"].rows]


async def test_admin_uploads_a_docx_and_the_next_question_is_answered_from_it(bot, tmp_path):
    fake, app = bot
    await feed(app, message(PLAN_QUESTION, private_chat(ADMIN), ADMIN))
    assert PLAN_ANSWER not in last_text(fake)  # the bundled programme has no such target
    old = app.bot_data[LIBRARY]
    await upload(fake, app, tmp_path)
    preview = fake.calls_of("sendMessage")[-1]
    text = preview.params["text"]
    assert "kh45.docx" in text and "chưa nạp" in text
    assert "Kế hoạch số 45/KH-UBND" in text and "15/01/2026" in text
    assert "Ủy ban nhân dân tỉnh Hải Bình" in text and "12 nhiệm vụ" in text
    assert "Thực hiện: 12-CTr/TU" in text and "I.1 —" in text
    assert stored_numbers(app) == ["08-CTr/TU"]  # parsed, not stored
    load = next(b for b in buttons(preview) if "Nạp" in b["text"])
    # another admin cannot press this admin's button
    await feed(app, callback_query(load["callback_data"], preview.result, OTHER_ADMIN))
    assert fake.calls_of("answerCallbackQuery")[-1].params["text"] == EXPIRED
    assert stored_numbers(app) == ["08-CTr/TU"]
    await feed(app, callback_query(load["callback_data"], preview.result, ADMIN))
    assert stored_numbers(app) == ["08-CTr/TU", "45/KH-UBND"]
    edited = fake.calls_of("editMessageText")[-1].params["text"]
    assert "Đã nạp Kế hoạch số 45/KH-UBND" in edited
    new = app.bot_data[LIBRARY]
    assert new is not old and len(new.documents) == 2 and len(old.documents) == 1
    assert app.bot_data[ENGINE] is new.primary
    assert app.bot_data[REPORTING].engine is new.primary
    await feed(app, message(PLAN_QUESTION, private_chat(ADMIN), ADMIN))
    assert PLAN_ANSWER in last_text(fake) and "Kế hoạch năm 2026: 1,7%" in last_text(fake)
    # the same button again loads nothing more
    await feed(app, callback_query(load["callback_data"], preview.result, ADMIN))
    assert fake.calls_of("answerCallbackQuery")[-1].params["text"] == EXPIRED


async def test_a_non_admins_upload_is_refused_and_not_downloaded(bot, tmp_path):
    fake, app = bot
    await upload(fake, app, tmp_path, sender=STRANGER)
    assert last_text(fake) == NOT_ADMIN and last_text(fake) != HINT
    assert fake.calls_of("getFile") == []
    assert stored_numbers(app) == ["08-CTr/TU"]


async def test_a_file_over_20_mb_gets_a_line_before_any_download(bot, tmp_path):
    fake, app = bot
    await upload(fake, app, tmp_path, file_size=21 * 1024 * 1024)
    assert last_text(fake) == TOO_BIG
    assert fake.calls_of("getFile") == []


async def test_an_unreadable_file_is_refused_with_the_reason(bot):
    fake, app = bot
    file = fake.upload_file("Đây không phải là văn bản.\n".encode(), "ghi-chu.txt")
    await feed(app, uploaded_document(file, private_chat(ADMIN), ADMIN, file_name="ghi-chu.txt"))
    assert last_text(fake).startswith("Không nạp được ghi-chu.txt: không thấy")  # in Vietnamese
    assert stored_numbers(app) == ["08-CTr/TU"]


async def test_a_file_of_another_format_is_refused_before_any_download(bot):
    fake, app = bot
    file = fake.upload_file(b"PK\x03\x04", "ke-hoach.odt")
    await feed(app, uploaded_document(file, private_chat(ADMIN), ADMIN, file_name="ke-hoach.odt"))
    assert last_text(fake) == WRONG_FORMAT
    assert fake.calls_of("getFile") == []


async def test_a_photographed_page_is_read_by_ocr_while_the_chat_sees_typing(
    bot, tmp_path, monkeypatch
):
    """An image is taken (OCR reads it); without Tesseract the admin is told what is missing."""
    fake, app = bot
    monkeypatch.setattr("knowledge.programme.sources.ocr.shutil.which", lambda name: None)
    from PIL import Image

    path = tmp_path / "trang1.png"
    Image.new("L", (200, 100), 255).save(path)
    file = fake.upload_file(path.read_bytes(), "trang1.png")
    await feed(app, uploaded_document(file, private_chat(ADMIN), ADMIN, file_name="trang1.png"))
    assert [c.params["action"] for c in fake.calls_of("sendChatAction")] == ["typing"]
    assert last_text(fake).startswith("Không nạp được trang1.png")
    assert "tesseract-ocr-vie" in last_text(fake)
    assert stored_numbers(app) == ["08-CTr/TU"]


def test_the_preview_of_a_scan_asks_to_check_it_against_the_original():
    from knowledge.programme.parser import parse_programme

    plan = parse_programme((FIXTURES / "plan_c.txt").read_text("utf-8"))
    assert SCANNED in preview_text(plan, "kh45.pdf", replaces=False, scanned=True)
    assert SCANNED not in preview_text(plan, "kh45.pdf", replaces=False)


async def test_cancel_loads_nothing(bot, tmp_path):
    fake, app = bot
    await upload(fake, app, tmp_path)
    preview = fake.calls_of("sendMessage")[-1]
    cancel = next(b for b in buttons(preview) if "Hủy" in b["text"])
    old = app.bot_data[LIBRARY]
    await feed(app, callback_query(cancel["callback_data"], preview.result, ADMIN))
    assert fake.calls_of("editMessageText")[-1].params["text"] == CANCELLED
    assert stored_numbers(app) == ["08-CTr/TU"] and app.bot_data[LIBRARY] is old
    load = next(b for b in buttons(preview) if "Nạp" in b["text"])
    await feed(app, callback_query(load["callback_data"], preview.result, ADMIN))
    assert stored_numbers(app) == ["08-CTr/TU"]


async def test_an_admin_removed_before_the_press_cannot_load(bot, tmp_path):
    fake, app = bot
    store = app.bot_data[REPORTING].store
    store.add_user(9105, "admin", [], name="Tạm")
    temp = user(9105, "Tạm", "tam")
    await upload(fake, app, tmp_path, sender=temp)
    preview = fake.calls_of("sendMessage")[-1]
    store.remove_user(9105)
    load = next(b for b in buttons(preview) if "Nạp" in b["text"])
    await feed(app, callback_query(load["callback_data"], preview.result, temp))
    assert fake.calls_of("answerCallbackQuery")[-1].params["text"] == NOT_ADMIN
    assert stored_numbers(app) == ["08-CTr/TU"]


async def load_plan(fake, app, tmp_path):
    await upload(fake, app, tmp_path)
    preview = fake.calls_of("sendMessage")[-1]
    load = next(b for b in buttons(preview) if "Nạp" in b["text"])
    await feed(app, callback_query(load["callback_data"], preview.result, ADMIN))


async def test_vanban_pins_a_document_and_the_next_question_is_answered_from_it(bot, tmp_path):
    fake, app = bot
    await load_plan(fake, app, tmp_path)
    lib = app.bot_data[LIBRARY]
    question = "thu ngân sách"
    programme_text = lib.documents[0].engine.ask(question, HTML).text
    await feed(app, message(question, private_chat(STRANGER), STRANGER))
    assert "Theo Chương trình hành động số 08-CTr/TU" in last_text(fake)
    assert "Theo Kế hoạch số 45/KH-UBND" in last_text(fake)
    await feed(app, message("/vanban", private_chat(STRANGER), STRANGER))
    listing = fake.calls_of("sendMessage")[-1]
    assert "08-CTr/TU" in listing.params["text"] and "45/KH-UBND" in listing.params["text"]
    pin = next(b for b in buttons(listing) if "08-CTr/TU" in b["text"])
    await feed(app, callback_query(pin["callback_data"], listing.result, STRANGER))
    assert (
        "📌 <b>Chương trình hành động số 08-CTr/TU"
        in fake.calls_of("editMessageText")[-1].params["text"]
    )
    await feed(app, message(question, private_chat(STRANGER), STRANGER))
    assert last_text(fake) == programme_text
    # the pin is this chat's: another chat still asks every document
    await feed(app, message(question, private_chat(ADMIN), ADMIN))
    assert "Theo Kế hoạch số 45/KH-UBND" in last_text(fake)
    await feed(app, message("/vanban bo", private_chat(STRANGER), STRANGER))
    await feed(app, message(question, private_chat(STRANGER), STRANGER))
    assert "Theo Kế hoạch số 45/KH-UBND" in last_text(fake)


async def test_in_a_group_only_admins_may_pin(bot, tmp_path):
    fake, app = bot
    await load_plan(fake, app, tmp_path)
    await feed(app, message("/vanban", GROUP, STRANGER))
    listing = fake.calls_of("sendMessage")[-1]
    pin = buttons(listing)[0]
    await feed(app, callback_query(pin["callback_data"], listing.result, STRANGER))
    assert "quản trị viên" in fake.calls_of("answerCallbackQuery")[-1].params["text"]
    assert app.bot_data["db"]["chat_documents"].count == 0
    await feed(app, callback_query(pin["callback_data"], listing.result, ADMIN))
    assert app.bot_data["db"]["chat_documents"].count == 1


async def test_a_shared_task_code_offers_a_button_per_document(bot, tmp_path):
    fake, app = bot
    await load_plan(fake, app, tmp_path)
    await feed(app, message("nhiệm vụ II.3 do ai chủ trì", private_chat(STRANGER), STRANGER))
    asked = fake.calls_of("sendMessage")[-1]
    assert asked.params["text"].startswith("Nhiệm vụ II.3 có trong 2 văn bản")
    choices = buttons(asked)
    assert [b["text"] for b in choices] == [
        "📄 Chương trình hành động 08-CTr/TU",
        "📄 Kế hoạch 45/KH-UBND",
    ]
    await feed(app, callback_query(choices[1]["callback_data"], asked.result, STRANGER))
    picked = last_text(fake)
    assert "Sở Nội vụ" in picked and "Theo Chương trình" not in picked


async def test_inline_results_name_their_document_once_several_are_loaded(bot, tmp_path):
    fake, app = bot
    await load_plan(fake, app, tmp_path)
    await feed(app, inline_query("ty le ho ngheo chuan ngheo da chieu", STRANGER))
    results = obj(fake.calls_of("answerInlineQuery")[-1].params["results"])
    titles = [r["title"] for r in results]
    assert any("(45/KH-UBND)" in t and "hộ nghèo" in t for t in titles), titles
    assert len({r["id"] for r in results}) == len(results)
