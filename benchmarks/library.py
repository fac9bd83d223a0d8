"""Library benchmark: load time and per-question latency with 1, 10 and 50 documents.

Run: ``make bench`` (or ``python -m benchmarks.library``). The documents are generated from
the three fixtures (the bundled programme, programme_b, plan_c), renumbered and moved to
invented provinces so that every one has its own identity. Writes
``benchmarks/results/library.json``; timings are medians / percentiles, never asserted.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

from knowledge.engine import Engine
from knowledge.programme.store import bundled_text, load_programme, open_database
from knowledge.qa.library import Library
from tests.scoring import evaluate, load_cases

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "library.json"
FIXTURES = ROOT / "tests" / "fixtures"
DATA = ROOT / "tests" / "data"
SIZES = (1, 10, 50)
# (text, its number as written, its province) — the number is replaced, then the province.
_SOURCES = (
    ("bundled", "08 -CTr/TU", "Khánh Hòa"),
    ("programme_b.txt", "15-CTr/TU", "Ninh Thuận"),
    ("plan_c.txt", "45/KH-UBND", "Hải Bình"),
)
_PLACES = ("Bảo", "Lâm", "Phú", "Tân", "Vĩnh", "Đông", "Gia")
_SECOND = ("An", "Sơn", "Hà", "Lạc", "Mỹ", "Phong", "Xuân", "Thịnh")


def _source(name: str) -> str:
    return bundled_text() if name == "bundled" else (FIXTURES / name).read_text("utf-8")


def generated_texts(n: int) -> list[str]:
    """``n`` documents: the fixtures in turn, each renumbered (and in another province)."""
    texts = []
    for i in range(n):
        name, number, province = _SOURCES[i % len(_SOURCES)]
        text = _source(name)
        if i < len(_SOURCES):
            texts.append(text)
            continue
        digits = number.split("-")[0].split("/")[0].strip()
        text = text.replace(number, number.replace(digits, str(100 + i), 1))
        place = f"{_PLACES[i % len(_PLACES)]} {_SECOND[i // len(_PLACES) % len(_SECOND)]}"
        text = text.replace(province, place).replace(province.upper(), place.upper())
        texts.append(text)
    return texts


def _questions() -> list[str]:
    cases = [
        *load_cases(DATA / "questions.jsonl"),
        *load_cases(FIXTURES / "plan_c_questions.jsonl"),
        *load_cases(FIXTURES / "programme_b_questions.jsonl"),
    ]
    return [c["q"] for c in cases]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


class CountingEngine(Engine):
    """An engine that counts the questions it is asked: the library's fan-out, untimed."""

    asked = 0

    def ask(self, *args, **kwargs):
        self.asked += 1
        return super().ask(*args, **kwargs)


def fan_out(lib: Library, questions: list[str]) -> dict[str, float]:
    """How many documents' engines answer each question (deterministic: no timing)."""
    engines = [d.engine for d in lib.documents if isinstance(d.engine, CountingEngine)]
    counts = []
    for q in questions:
        before = sum(e.asked for e in engines)
        lib.ask(q)
        counts.append(sum(e.asked for e in engines) - before)
    return {
        "asks_mean": round(statistics.mean(counts), 2),
        "asks_p99": _percentile([float(c) for c in counts], 0.99),
        "asks_max": max(counts),
        "questions_asking_over_3": sum(c > 3 for c in counts),
    }


def measure(n: int, questions: list[str], rounds: int = 3) -> dict[str, float | int]:
    """Load ``n`` generated documents; time building the library and each question."""
    db = open_database(memory=True)
    texts = generated_texts(n)
    started = time.perf_counter()
    for text in texts[1:]:  # a new database holds the bundled programme already
        load_programme(db, text)
    load_s = time.perf_counter() - started
    last = time.perf_counter()
    load_programme(db, texts[-1] + "\n") if n > 1 else None  # one more (re)load, timed
    one_load_s = time.perf_counter() - last if n > 1 else 0.0
    gc.collect()
    started = time.perf_counter()
    lib = Library.from_database(db, engine=CountingEngine)
    build_s = time.perf_counter() - started
    work = fan_out(lib, questions)
    gc.freeze()  # as the bot does after building
    timings = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            lib.ask(q)
            timings.append((time.perf_counter() - t) * 1000)
    gc.unfreeze()
    return {
        "documents": len(lib.documents),
        "store_load_s": round(load_s, 3),
        "one_document_load_s": round(one_load_s, 3),
        "library_build_s": round(build_s, 3),
        "p50_ms": round(statistics.median(timings), 3),
        "p99_ms": round(_percentile(timings, 0.99), 3),
        "max_ms": round(max(timings), 3),
        "samples": len(timings),
        **work,
    }


def together_scores() -> dict[str, dict[str, float]]:
    """Each question set's accuracy alone and with the programme and plan_c loaded together."""
    from knowledge.engine import Engine

    db = open_database(memory=True)
    programme = Engine.from_database(db)
    load_programme(db, (FIXTURES / "plan_c.txt").read_text("utf-8"))
    plan = Engine.from_database(db)
    lib = Library.from_database(db)
    sets = {
        "tests/data/questions.jsonl": programme,
        "tests/data/questions_holdout.jsonl": programme,
        "tests/fixtures/plan_c_questions.jsonl": plan,
        "tests/fixtures/plan_c_questions_holdout.jsonl": plan,
    }
    out = {}
    for name, alone in sets.items():
        cases = load_cases(ROOT / name)
        a, _, _, _ = evaluate(cases, lambda c, e=alone: e.ask(c["q"]).to_json())
        b, _, _, _ = evaluate(cases, lambda c: lib.ask(c["q"]).to_json())
        out[name] = {"alone": round(100 * a, 1), "together": round(100 * b, 1)}
    return out


def main() -> int:
    """Measure, print a Markdown table, write the JSON results."""
    questions = _questions()
    rows = [measure(n, questions) for n in SIZES]
    scores = together_scores()
    print("| documents | store load s | 1 more load s | library build s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['documents']} | {r['store_load_s']} | {r['one_document_load_s']} | "
            f"{r['library_build_s']} | {r['p50_ms']} | {r['p99_ms']} |"
        )
    print("\n| documents | engines asked per question: mean | p99 | max | questions asking > 3 |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['documents']} | {r['asks_mean']} | {r['asks_p99']} | {r['asks_max']} | "
            f"{r['questions_asking_over_3']} |"
        )
    print("\n| question set | alone % | programme + plan_c % |\n|---|---|---|")
    for name, s in scores.items():
        print(f"| {name} | {s['alone']} | {s['together']} |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"sizes": rows, "together": scores}, ensure_ascii=False, indent=2) + "\n",
        "utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
