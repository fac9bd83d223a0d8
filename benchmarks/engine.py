"""Engine benchmark: accuracy on the question sets, per-question latency, cold start.

Run: ``make bench`` (or ``python -m benchmarks.engine``). Writes
``benchmarks/results/engine.json`` and prints a Markdown table for the README.
The shared development set (``../shared/eval/dev.jsonl``, or ``$CTBOT_DEV_SET``)
is scored when present; nothing else needs it.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from knowledge.engine import Engine
from knowledge.programme.parser import parse_programme
from knowledge.programme.store import load_programme, open_database
from tests.scoring import engine_asker, evaluate, load_cases, progress_engine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "engine.json"
SETS = {
    "project (tests/data/questions.jsonl)": ROOT / "tests" / "data" / "questions.jsonl",
    "held-out (tests/data/questions_holdout.jsonl)": ROOT
    / "tests"
    / "data"
    / "questions_holdout.jsonl",
    "new (tests/data/qa/new_questions.jsonl)": ROOT
    / "tests"
    / "data"
    / "qa"
    / "new_questions.jsonl",
    "fresh, written blind after tuning (tests/data/qa/fresh_questions.jsonl)": ROOT
    / "tests"
    / "data"
    / "qa"
    / "fresh_questions.jsonl",
    "shared dev (../shared/eval/dev.jsonl)": Path(
        os.environ.get("CTBOT_DEV_SET", ROOT.parent / "shared" / "eval" / "dev.jsonl")
    ),
    "shared dev2 (../shared/eval/dev2.jsonl)": Path(
        os.environ.get("CTBOT_DEV2_SET", ROOT.parent / "shared" / "eval" / "dev2.jsonl")
    ),
}
# Held out (issue #9): reported separately, never tuned on.
HELD_OUT = {
    "held-out new (tests/data/qa/holdout_questions.jsonl)": ROOT
    / "tests"
    / "data"
    / "qa"
    / "holdout_questions.jsonl",
    "held-out fresh (tests/data/qa/fresh_holdout.jsonl)": ROOT
    / "tests"
    / "data"
    / "qa"
    / "fresh_holdout.jsonl",
}
SECOND = ROOT / "tests" / "fixtures" / "programme_b_questions.jsonl"
# The UBND plan fixture (issue #10): its sets, tuned on and held out.
PLAN = ROOT / "tests" / "fixtures" / "plan_c.txt"
PLAN_SETS = {
    "UBND plan (tests/fixtures/plan_c_questions.jsonl)": "plan_c_questions.jsonl",
    "UBND plan, more (tests/fixtures/plan_c_questions_more.jsonl)": "plan_c_questions_more.jsonl",
}
PLAN_HELD_OUT = {
    "held-out UBND plan (plan_c_questions_holdout.jsonl)": "plan_c_questions_holdout.jsonl",
    "held-out UBND plan, more (plan_c_questions_more_holdout.jsonl)": (
        "plan_c_questions_more_holdout.jsonl"
    ),
}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def accuracy(engine: Engine, path: Path) -> dict[str, object]:
    cases = load_cases(path)
    acc, failures, passed, total = evaluate(cases, engine_asker(engine))
    return {
        "questions": len(cases),
        "accuracy": round(100 * acc, 1),
        "by_tag": {t: f"{passed[t]}/{n}" for t, n in sorted(total.items())},
        "failures": [c["q"] for c, _ in failures],
    }


def latency(engine: Engine, questions: list[str], rounds: int = 5) -> dict[str, float]:
    for q in questions:  # warm-up: caches as in a running bot
        engine.ask(q)
    times: list[float] = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            engine.ask(q)
            times.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(percentile(times, 99), 3),
        "max_ms": round(max(times), 3),
        "samples": len(times),
    }


def work(engine: Engine, questions: list[str]) -> dict[str, float]:
    """Deterministic proxies for the cost of scoring (no timing): what one query touches.

    For each question's topic syllables (corrected as the engine does): the Python-level
    steps of the straightforward scorer (every field of every entry holding a query syllable:
    two set intersections and two or three ``fsum`` each) against those of the term-at-a-time
    scorer (one per distinct query syllable and pair; their postings are added up in numpy).
    """
    from knowledge.qa.query import parse_query

    index = engine.index
    fields = sum(len(e.fields) for e in index.entries)
    postings, touched, intersected, terms = [], [], [], []
    for question in questions:
        words, _ = index.correct(parse_query(question, index.correct_unknown).topic)
        asked = set(words)
        holders = [e for e in index.entries if any(f.unigrams & asked for f in e.fields)]
        touched.append(len(holders) / len(index.entries))
        intersected.append(sum(len(e.fields) for e in holders))
        postings.append(sum(index.postings_read(words)))
        terms.append(len(asked) + len(set(itertools.pairwise(words))))
    return {
        "entries": len(index.entries),
        "fields": fields,
        "entries_holding_a_query_word_pct": round(100 * statistics.mean(touched), 1),
        "fields_intersected_before_mean": round(statistics.mean(intersected), 1),
        "postings_read_mean": round(statistics.mean(postings), 1),
        "query_terms_mean": round(statistics.mean(terms), 1),
    }


def cold_start(runs: int = 5) -> dict[str, float]:
    """Wall time of a fresh `ctbot ask` process against an existing database."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-m", "bot", "--db", str(db)]
        start = time.perf_counter()
        subprocess.run([*cmd, "stats"], check=True, capture_output=True, env=env)
        first_build = time.perf_counter() - start
        walls = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [*cmd, "ask", "chỉ tiêu che phủ rừng"], check=True, capture_output=True, env=env
            )
            walls.append(time.perf_counter() - start)
        in_process = []
        for _ in range(runs):
            start = time.perf_counter()
            Engine.from_database(open_database(db))
            in_process.append(time.perf_counter() - start)
    return {
        "first_run_build_db_s": round(first_build, 3),
        "ask_process_median_s": round(statistics.median(walls), 3),
        "engine_build_median_s": round(statistics.median(in_process), 4),
    }


def print_families(sets: dict[str, dict[str, object]]) -> None:
    """Accuracy per family (the part of a tag before "-") of every set."""
    print()
    print("| question set | family | passed |")
    print("|---|---|---:|")
    for name, r in sets.items():
        by_tag = r["by_tag"]
        assert isinstance(by_tag, dict)
        for family, passed in by_tag.items():
            print(f"| {name} | {family} | {passed} |")


def main() -> int:
    # As the bot builds it: a progress view over an (empty) report log; follow-ups in context.
    engine = progress_engine(open_database(memory=True))
    report: dict[str, object] = {"sets": {}}
    sets = report["sets"]
    assert isinstance(sets, dict)
    for name, path in SETS.items():
        if path.exists():
            sets[name] = accuracy(engine, path)
    programme_b = parse_programme((ROOT / "tests" / "fixtures" / "programme_b.txt").read_text())
    second = progress_engine(open_database(memory=True), programme_b)
    sets["second programme (tests/fixtures)"] = accuracy(second, SECOND)
    held = {name: accuracy(engine, path) for name, path in HELD_OUT.items() if path.exists()}
    plan_db = open_database(memory=True)
    load_programme(plan_db, PLAN.read_text("utf-8"))
    plan = progress_engine(plan_db)
    fixtures = ROOT / "tests" / "fixtures"
    sets.update({name: accuracy(plan, fixtures / f) for name, f in PLAN_SETS.items()})
    held.update({name: accuracy(plan, fixtures / f) for name, f in PLAN_HELD_OUT.items()})
    report["held_out"] = held
    every = [*SETS.values(), *HELD_OUT.values(), SECOND]
    questions = [c["q"] for path in every if path.exists() for c in load_cases(path)]
    gc.freeze()  # as the bot does after building: full collections make the p99 tail
    report["latency"] = latency(engine, questions)
    report["work"] = work(engine, questions)
    report["cold_start"] = cold_start()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")

    print("| question set | questions | accuracy |")
    print("|---|---:|---:|")
    for name, r in sets.items():
        print(f"| {name} | {r['questions']} | {r['accuracy']}% |")
    print_families(sets)
    print("\nHeld out (measured, never tuned on):")
    for name, r in held.items():
        print(f"- {name}: {r['questions']} questions, {r['accuracy']}% — {r['by_tag']}")
    lat, cold = report["latency"], report["cold_start"]
    assert isinstance(lat, dict) and isinstance(cold, dict)
    print()
    print(
        f"- per-question latency, one process: p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms "
        f"({lat['samples']} samples)"
    )
    w = report["work"]
    assert isinstance(w, dict)
    print(
        f"- scoring work per query (deterministic): {w['query_terms_mean']} syllables and "
        f"pairs looped over in Python, {w['postings_read_mean']} postings added up in numpy; "
        f"the straightforward scorer looped over {w['fields_intersected_before_mean']} of "
        f"{w['fields']} fields ({w['entries_holding_a_query_word_pct']}% of the entries)"
    )
    print(
        f"- cold start: `ctbot ask` process {cold['ask_process_median_s']} s (median), "
        f"engine build {cold['engine_build_median_s']} s, first run building the database "
        f"{cold['first_run_build_db_s']} s"
    )
    for name, r in sets.items():
        if r["failures"]:
            print(f"\n{name} failures: " + "; ".join(repr(q) for q in r["failures"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
