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
    assert set(counts) == {"indicators", "tasks", "responsibilities", "passages", "agencies"}
    assert counts["tasks"] == 29 and counts["responsibilities"] == 6
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
