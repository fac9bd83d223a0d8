import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args, stdin="", env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=os.getcwd(),
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=120,
    )


def test_stats_json_on_the_bundled_programme(tmp_path):
    out = run("--db", str(tmp_path / "s.sqlite3"), "stats", "--json")
    assert out.returncode == 0, out.stderr
    counts = json.loads(out.stdout)
    assert set(counts) == {
        "indicators",
        "tasks",
        "responsibilities",
        "passages",
        "agencies",
        "documents",
    }
    assert counts["tasks"] == 29 and counts["responsibilities"] == 6
    assert [(d["number"], d["tasks"]) for d in counts["documents"]] == [("08-CTr/TU", 29)]
    assert counts["indicators"] >= 36 and counts["passages"] >= 120


def test_ask_json(capsys):
    assert main(["ask", "--json", "chỉ", "tiêu", "che", "phủ", "rừng"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert set(got) == {"query", "intent", "found", "answer", "results"}
    assert got["found"] and "46,5" in got["answer"]
    assert set(got["results"][0]) == {"kind", "id", "score", "title"}


def test_ask_stdin_json_lines_in_order():
    questions = ["ai chủ trì đề án chuyển đổi số", "", "giá vàng hôm nay", "nuoc sach"]
    out = run("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [x["query"] for x in lines] == questions
    assert [x["found"] for x in lines] == [True, False, False, True]


def test_chat_reads_stdin_until_eof():
    out = run("chat", stdin="chỉ tiêu che phủ rừng 2025\nhello\n")
    assert out.returncode == 0, out.stderr
    assert "46,5%" in out.stdout
    assert "Chưa tìm thấy" in out.stdout or "Thử hỏi" in out.stdout


def test_load_rejects_a_file_of_another_genre_and_keeps_the_database(tmp_path, capsys):
    db = tmp_path / "k.sqlite3"
    assert main(["--db", str(db), "load"]) == 0
    bad = tmp_path / "menu.txt"
    bad.write_text("Thực đơn\n\n- Phở bò\n- Bún chả\n", encoding="utf-8")
    assert main(["--db", str(db), "load", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "no lettered parts" in err and "not changed" in err
    assert main(["--db", str(db), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tasks"] == 29


def test_load_second_programme_and_db_from_env(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CTBOT_DB", str(tmp_path / "env.sqlite3"))
    fixture = Path(__file__).parent / "fixtures" / "programme_b.txt"
    assert main(["load", str(fixture)]) == 0
    assert (tmp_path / "env.sqlite3").exists()
    capsys.readouterr()
    assert main(["ask", "ai chủ trì đề án năng lượng tái tạo"]) == 0
    assert "Ban CSĐ UBND tỉnh" in capsys.readouterr().out


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["load", str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["ask", "--help"]])
def test_help(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0


def test_users_add_list_remove(tmp_path, capsys):
    db = str(tmp_path / "u.sqlite3")
    assert (
        main(
            [
                "--db",
                db,
                "users",
                "add",
                "42",
                "--role",
                "reporter",
                "--agency",
                "ban tuyen giao",
                "--name",
                "Lan",
            ]
        )
        == 0
    )
    assert main(["--db", db, "users", "add", "7", "--role", "admin"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "users", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed == ["7\tadmin\t\t(mọi nhiệm vụ)", "42\treporter\tLan\tBan Tuyên giáo Tỉnh ủy"]
    assert (
        main(["--db", db, "users", "add", "9", "--role", "reporter", "--agency", "Sở Ngoại vụ"])
        == 2
    )
    assert "unknown agency" in capsys.readouterr().err
    assert main(["--db", db, "users", "remove", "42"]) == 0
    assert main(["--db", db, "users", "remove", "42"]) == 1


def _with_reports(db_path):
    from datetime import date

    from knowledge.engine import Engine
    from knowledge.programme.store import open_database
    from knowledge.progress.log import ProgressStore
    from knowledge.progress.reporting import Reporting, Sender

    db = open_database(db_path)
    service = Reporting(Engine.from_database(db), ProgressStore(db, [1]))
    service.submit("5.3 60% đã ban hành kế hoạch", Sender(1, "Hùng", -1, 1), date(2026, 11, 28))
    service.submit("II.3 hoàn thành", Sender(1, "Hùng", -1, 2), date(2026, 11, 28))
    db.close()


def test_export_xlsx_opens_with_openpyxl(tmp_path, capsys):
    from openpyxl import load_workbook

    db = tmp_path / "x.sqlite3"
    _with_reports(db)
    out = tmp_path / "out.xlsx"
    assert main(["--db", str(db), "export", "--format", "xlsx", "--out", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Nhiệm vụ", "Lịch sử"]
    tasks = list(book["Nhiệm vụ"].iter_rows(values_only=True))
    assert len(tasks) == 30 and tasks[0][0] == "Mã"
    row53 = next(r for r in tasks if r[0] == "5.3")
    assert row53[5] == "Quá hạn chưa hoàn thành" and row53[6] == 60
    history = list(book["Lịch sử"].iter_rows(values_only=True))
    assert [r[7] for r in history[1:]] == ["5.3", "II.3"]
    assert history[1][17] == "đã ban hành kế hoạch"


def test_export_csv_keeps_vietnamese_for_excel(tmp_path):
    import csv

    db = tmp_path / "c.sqlite3"
    _with_reports(db)
    out = tmp_path / "out.csv"
    assert main(["--db", str(db), "export", "--format", "csv", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["Nhiệm vụ"]
    assert any(r[:1] == ["II.3"] and "Hoàn thành quá hạn" in r for r in rows)


def test_backup_is_a_consistent_copy(tmp_path):
    import sqlite3

    db = tmp_path / "b.sqlite3"
    _with_reports(db)
    copy = tmp_path / "copy.sqlite3"
    assert main(["--db", str(db), "backup", str(copy)]) == 0
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
