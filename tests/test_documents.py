"""Several documents in one database: identity, replace, remove, stats, migration of old files."""

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.cli import main
from knowledge.errors import KnowledgeError
from knowledge.migrations import migrations
from knowledge.programme.store import (
    bundled_text,
    document_stats,
    documents,
    fts_keys,
    load_programme,
    open_database,
    read_documents,
    read_programme,
    remove_document,
    stats,
)
from knowledge.progress.keys import document_key
from knowledge.progress.log import ProgressStore
from tests.documents import build_docx

FIXTURES = Path(__file__).parent / "fixtures"
PLAN = (FIXTURES / "plan_c.txt").read_text("utf-8")


@pytest.fixture
def db():
    db = open_database(memory=True)
    load_programme(db, PLAN, source="plan_c.txt")
    return db


def test_document_rows_hold_the_identity(db):
    rows = [
        {k: v for k, v in d.items() if k not in ("sha256", "loaded_at")} for d in documents(db)
    ]
    assert rows[1] == {
        "id": 2,
        "issuer": "Ủy ban nhân dân tỉnh Hải Bình",
        "number": "45/KH-UBND",
        "date": "15/01/2026",
        "title": "Kế hoạch số 45/KH-UBND, ngày 15/01/2026",
        "subtitle": rows[1]["subtitle"],
        "kind": "plan",
        "implements": "12-CTr/TU",
        "signer": "Trần Minh Quang",
        "signer_title": "TM. Ủy ban nhân dân, Chủ tịch",
        "source": "plan_c.txt",
    }
    assert (
        rows[0]["number"] == "08-CTr/TU" and rows[0]["source"] == "ctr-08-khanh-hoa-2020-2025.txt"
    )


def test_records_carry_their_document(db):
    task = db["tasks"].get((2, "I.2"))
    assert (task["product"], task["coordinating"]) == (
        "Nghị quyết của HĐND tỉnh",
        "Sở Tài chính, Sở KH&CN",
    )
    target = db["indicators"].get((2, 1))
    assert json.loads(target["values"])["Kế hoạch năm 2026"] == "7,8"
    # "1.1" / "I.1" ... are per document: both documents keep their own codes.
    assert db["tasks"].count_where("document_id = 1") == 29
    assert fts_keys(db, "tasks", ["san", "pham"], document_id=1) <= {
        t.code for t in read_programme(db, "08-CTr/TU").tasks
    }
    assert "I.3" in fts_keys(db, "tasks", ["co", "so", "du", "lieu"], document_id=2)


def test_reloading_the_same_document_replaces_it(db):
    ids = [d["id"] for d in documents(db)]
    load_programme(db, PLAN.replace("Tháng 6/2026", "Tháng 7/2026"))
    assert [d["id"] for d in documents(db)] == ids
    assert stats(db)["tasks"] == 29 + 12
    assert read_programme(db).tasks[1].due == "Tháng 7/2026"


def test_another_date_is_another_document(db):
    load_programme(db, PLAN.replace("ngày 15 tháng 01 năm 2026", "ngày 20 tháng 3 năm 2026"))
    assert [d["date"] for d in documents(db)] == ["21/12/2020", "15/01/2026", "20/03/2026"]


def test_read_documents_gives_each_document(db):
    docs = read_documents(db)
    assert [(d.kind, d.number, len(d.tasks), len(d.indicators)) for d in docs] == [
        ("programme", "08-CTr/TU", 29, 40),
        ("plan", "45/KH-UBND", 12, 13),
    ]
    assert docs[1].indicators[0].values["Thực hiện năm 2025"] == "7,2"
    assert docs[1].tasks[0].product == "Đề án trình UBND tỉnh"


def test_engine_reads_the_document_loaded_last(db):
    assert read_programme(db).number == "45/KH-UBND"
    load_programme(db, bundled_text())
    assert read_programme(db).number == "08-CTr/TU"
    with pytest.raises(KnowledgeError, match="no document numbered 99"):
        read_programme(db, "99/KH-UBND")


def test_document_stats(db):
    assert document_stats(db) == [
        {
            "number": "08-CTr/TU",
            "issuer": "Tỉnh ủy Khánh Hòa",
            "date": "21/12/2020",
            "title": "Chương trình hành động số 08-CTr/TU, ngày 21/12/2020",
            "indicators": 40,
            "tasks": 29,
            "responsibilities": 6,
            "passages": 157,
        },
        {
            "number": "45/KH-UBND",
            "issuer": "Ủy ban nhân dân tỉnh Hải Bình",
            "date": "15/01/2026",
            "title": "Kế hoạch số 45/KH-UBND, ngày 15/01/2026",
            "indicators": 13,
            "tasks": 12,
            "responsibilities": 7,
            "passages": 29,
        },
    ]


def test_removing_a_document_keeps_its_reports_in_the_log(db):
    plan = read_programme(db)
    store = ProgressStore(db)
    doc = document_key(plan)
    store.record_task(plan.tasks[0], doc, user_id=1, progress=40)
    store.record_task(plan.tasks[0], doc, user_id=1, progress=60)
    removed, reports = remove_document(db, "45")
    assert (removed["number"], reports) == ("45/KH-UBND", 2)
    assert db["reports"].count == 2
    assert [d["number"] for d in documents(db)] == ["08-CTr/TU"]
    assert db["tasks"].count_where("document_id = 2") == 0
    # Loaded again, the document's tasks find their reports again.
    load_programme(db, PLAN)
    again = ProgressStore(db)
    assert again.state(read_programme(db).tasks[0], doc).progress == 60.0


def test_remove_refuses_an_unknown_or_ambiguous_number(db):
    with pytest.raises(KnowledgeError, match="no document numbered 77"):
        remove_document(db, "77")
    load_programme(db, PLAN.replace("45/KH-UBND", "08/KH-UBND"))
    with pytest.raises(KnowledgeError, match="several documents are numbered 08"):
        remove_document(db, "08")
    assert len(documents(db)) == 3


def _old_database(path: Path) -> Database:
    """A database as the release before documents wrote it (m001–m005, one programme)."""
    from knowledge.programme.parser import parse_programme
    from knowledge.programme.store import _record_rows

    db = Database(path)
    migrations.apply(db, stop_before="m006_documents")
    programme = parse_programme(bundled_text())
    for table, rows in _record_rows(programme).items():
        for row in rows:
            row.pop("values", None)
            row.pop("product", None)
        db.table(table).insert_all(rows)
    db.table("meta").insert_all(
        [
            {"key": "title", "value": programme.title},
            {"key": "issued", "value": programme.issued},
            {"key": "source", "value": "ctr-08-khanh-hoa-2020-2025.txt"},
        ],
        pk="key",
    )
    return db


def test_an_old_database_becomes_document_one(tmp_path):
    _old_database(tmp_path / "old.sqlite3").close()
    db = open_database(tmp_path / "old.sqlite3")
    assert [(d["id"], d["number"], d["issuer"], d["date"]) for d in documents(db)] == [
        (1, "08-CTr/TU", "", "21/12/2020")
    ]
    assert stats(db)["tasks"] == 29
    assert db["tasks"].get((1, "II.8"))["lead"] == "Ban Nội chính Tỉnh ủy"
    assert "II.5" in fts_keys(db, "tasks", ["dan", "van"])
    # The next load of the same number and date fills in the issuer instead of adding.
    load_programme(db, bundled_text())
    assert [(d["id"], d["issuer"]) for d in documents(db)] == [(1, "Tỉnh ủy Khánh Hòa")]
    assert stats(db)["tasks"] == 29


def test_cli_loads_several_files_and_lists_them(tmp_path, capsys):
    path = str(tmp_path / "c.sqlite3")
    docx = build_docx(PLAN, tmp_path / "plan.docx")
    assert main(["--db", path, "load", str(FIXTURES / "programme_b.txt"), str(docx)]) == 0
    out = capsys.readouterr().out
    assert "added Chương trình hành động số 15-CTr/TU" in out and "added Kế hoạch số 45" in out
    assert main(["--db", path, "load", str(FIXTURES / "plan_c.txt")]) == 0
    assert "replaced Kế hoạch số 45/KH-UBND" in capsys.readouterr().out
    assert main(["--db", path, "documents"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listing] == ["08-CTr/TU", "15-CTr/TU", "45/KH-UBND"]
    assert main(["--db", path, "stats", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["tasks"] == 29 + 12 + 12
    assert [d["number"] for d in got["documents"]] == ["08-CTr/TU", "15-CTr/TU", "45/KH-UBND"]


def test_cli_load_is_all_or_nothing(tmp_path, capsys):
    path = str(tmp_path / "c.sqlite3")
    bad = tmp_path / "menu.txt"
    bad.write_text("Thực đơn\n\n- Phở bò\n", encoding="utf-8")
    assert main(["--db", path, "load", str(FIXTURES / "plan_c.txt"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "menu.txt" in err and "no lettered parts" in err and "not changed" in err
    assert [d["number"] for d in documents(open_database(path))] == ["08-CTr/TU"]


def test_cli_remove_says_what_happens_to_reports(tmp_path, capsys):
    path = str(tmp_path / "c.sqlite3")
    assert main(["--db", path, "load", str(FIXTURES / "plan_c.txt")]) == 0
    assert main(["--db", path, "documents", "remove", "45/KH-UBND"]) == 0
    out = capsys.readouterr().out
    assert "removed 45/KH-UBND" in out and "stay in the report log, hidden" in out
    assert main(["--db", path, "documents", "remove", "08-CTr/TU"]) == 1
    assert "only document" in capsys.readouterr().err


def test_the_engine_answers_from_the_document_loaded_last(db):
    from knowledge.engine import Engine

    answer = Engine.from_database(db).ask("ai chủ trì nhiệm vụ rà soát quy hoạch cụm công nghiệp")
    assert answer.found and "Sở Công Thương" in answer.text
    load_programme(db, bundled_text())
    answer = Engine.from_database(db).ask("chỉ tiêu che phủ rừng")
    assert answer.found and "46,5" in answer.text
