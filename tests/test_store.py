import sqlite3

import pytest
from sqlite_utils import Database

from knowledge.errors import KnowledgeError, ProgrammeFormatError
from knowledge.programme.store import (
    database_path,
    documents,
    fts_keys,
    load_programme,
    migrations,
    open_database,
    read_documents,
    read_programme,
    stats,
)


def test_new_database_is_migrated_and_loaded(db):
    assert [m.name for m in migrations.applied(db)] == [
        "m001_programme",
        "m002_fts",
        "m003_progress",
        "m004_digests",
        "m005_chats",
        "m006_documents",
        "m007_invites_deadlines",
        "m008_evidence_reviews",
        "m009_library",
        "m010_progress_per_document",
        "m011_report_keys_per_document",
    ]
    assert stats(db) == {
        "indicators": 40,
        "tasks": 29,
        "responsibilities": 6,
        "passages": 157,
        "agencies": 20,
    }


def test_task_row_is_stored_whole(db):
    row = db["tasks"].get((1, "II.8"))
    assert row == {
        "document_id": 1,
        "code": "II.8",
        "position": 28,
        "part": "II",
        "part_title": "Về xây dựng Đảng, hoàn thiện bộ máy chính quyền các cấp",
        "grp": "",
        "content": (
            "Quy định về kiểm soát quyền lực trong lĩnh vực phòng chống tham nhũng trên địa bàn "
            "tỉnh Khánh Hòa"
        ),
        "lead": "Ban Nội chính Tỉnh ủy",
        "approval": "Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy",
        "issuer": "Ban Thường vụ Tỉnh ủy",
        "due": "Quý II Năm 2022",
        "period": "2021 - 2025",
        "coordinating": "",
        "product": "",
        "extra": "{}",
        "search": (
            "quy dinh ve kiem soat quyen luc trong linh vuc phong chong tham nhung tren dia ban "
            "tinh khanh hoa"
        ),
    }


def test_agency_links(db):
    rows = list(db["agency_tasks"].rows_where("agency = ?", ["Ban Tuyên giáo Tỉnh ủy"]))
    assert rows == [
        {
            "document_id": 1,
            "agency": "Ban Tuyên giáo Tỉnh ủy",
            "task_code": "II.3",
            "role": "lead",
        },
        {
            "document_id": 1,
            "agency": "Ban Tuyên giáo Tỉnh ủy",
            "task_code": "II.4",
            "role": "lead",
        },
    ]


def test_reload_is_idempotent(db, programme):
    from knowledge.programme.store import bundled_text

    before = {t: list(db[t].rows) for t in ("tasks", "indicators", "passages")}
    load_programme(db, bundled_text())
    load_programme(db, bundled_text())
    assert {t: list(db[t].rows) for t in before} == before


def test_bad_file_leaves_database_untouched(db):
    before = stats(db)
    with pytest.raises(ProgrammeFormatError):
        load_programme(db, "Danh sách món ăn\n\n- Phở\n- Bún chả")
    assert stats(db) == before
    assert read_programme(db).tasks[0].code == "1.1"


def test_another_programme_is_added_beside_the_first(db):
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "programme_b.txt").read_text("utf-8")
    load_programme(db, text)
    assert stats(db)["tasks"] == 29 + 12
    assert [(d["id"], d["number"], d["issuer"]) for d in documents(db)] == [
        (1, "08-CTr/TU", "Tỉnh ủy Khánh Hòa"),
        (2, "15-CTr/TU", "Tỉnh ủy Ninh Thuận"),
    ]
    # The engine answers from the document loaded last, as when a load replaced everything.
    assert read_programme(db).title.startswith("Chương trình hành động số 15")
    assert read_programme(db, "08-CTr/TU").title.startswith("Chương trình hành động số 08")
    assert [p.number for p in read_documents(db)] == ["08-CTr/TU", "15-CTr/TU"]


@pytest.mark.parametrize(
    "words",
    [["tỷ lệ: 95%"], ["AND"], ["NEAR("], ['"'], ["*"], ["-"], ["^"], ["nong-thon"], ["OR", "NOT"]],
)
def test_fts_never_breaks_on_user_text(db, words):
    assert isinstance(fts_keys(db, "passages", words), set)


def test_fts_searches_folded_text(db):
    assert fts_keys(db, "passages", ["ta", "ruc"])
    assert fts_keys(db, "tasks", ["dan", "van"]) >= {"II.5", "II.6"}


def test_database_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("CTBOT_DB")
    assert str(database_path()) == "ctbot.sqlite3"
    monkeypatch.setenv("CTBOT_DB", str(tmp_path / "env.sqlite3"))
    assert database_path() == tmp_path / "env.sqlite3"
    assert str(database_path("x.sqlite3")) == "x.sqlite3"


def test_file_database_uses_wal(tmp_path):
    db = open_database(tmp_path / "a.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db["tasks"].count == 29


def test_empty_database_error_says_what_to_do():
    db = Database(memory=True)
    migrations.apply(db)
    with pytest.raises(KnowledgeError, match="ctbot load"):
        read_programme(db)


def test_foreign_keys_hold(db):
    with pytest.raises(sqlite3.IntegrityError):
        db["agency_tasks"].insert(
            {"document_id": 1, "agency": "nobody", "task_code": "9.9", "role": "lead"}
        )
    # A task code of document 1 is no task of a document 2.
    with pytest.raises(sqlite3.IntegrityError):
        db["agency_tasks"].insert(
            {
                "document_id": 2,
                "agency": "Ban Tuyên giáo Tỉnh ủy",
                "task_code": "II.3",
                "role": "lead",
            }
        )
