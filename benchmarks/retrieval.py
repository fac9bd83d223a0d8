"""Retrieval benchmark: the engine's inverted index against bm25s on the same records.

Run: ``python -m benchmarks.retrieval`` (needs ``pip install bm25s``; skipped without it).
For every answerable question of a set, both retrievers rank all records on the question's
topic syllables (as the pipeline reads them); a question counts as a hit when every expected
item is in the top record's card. Sets from ``../shared/eval`` are included when present.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from benchmarks.engine import SECOND, SETS
from knowledge.engine import Engine
from knowledge.programme.parser import parse_programme
from knowledge.programme.store import open_database
from knowledge.qa.query import parse_query
from tests.scoring import hit, load_cases

ROOT = Path(__file__).resolve().parents[1]


def _card(engine: Engine, kind: str, key: str) -> str:
    return engine.card(kind, key) or ""


def _passes(case: dict, card: str) -> bool:
    return all(
        any(hit(x, card) for x in (item if isinstance(item, list) else [item]))
        for item in case["expect"]
    )


class Bm25:
    """bm25s over every field of every record of the engine's index."""

    def __init__(self, engine: Engine) -> None:
        import bm25s

        self.entries = engine.index.entries
        corpus = [[w for f in e.fields for w in f.words] for e in self.entries]
        self.retriever = bm25s.BM25()
        self.retriever.index(
            bm25s.tokenization.Tokenized(*_vocab_ids(corpus)), show_progress=False
        )
        self.vocab = _vocab_ids(corpus)[1]

    def top(self, words: list[str]) -> tuple[str, str] | None:
        ids = [self.vocab[w] for w in words if w in self.vocab]
        if not ids:
            return None
        scores = self.retriever.get_scores(ids)
        best = int(scores.argmax())
        return (self.entries[best].kind, self.entries[best].key) if scores[best] > 0 else None


def _vocab_ids(corpus: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(w, len(vocab)) for w in doc] for doc in corpus]
    return ids, vocab


def compare(engine: Engine, path: Path) -> dict[str, float]:
    """hit@1 and median time per query of both retrievers on one set."""
    bm25 = Bm25(engine)
    ours = theirs = n = 0
    t_ours = t_theirs = 0.0
    for case in load_cases(path):
        if not case["found"] or not case["expect"]:
            continue
        q = parse_query(case["q"], engine.index.correct_unknown)
        words, guessed = engine.index.correct(q.topic)
        if not words:
            continue
        n += 1
        start = time.perf_counter()
        hits = engine.index.score(words, None, guessed)
        t_ours += time.perf_counter() - start
        if hits and _passes(case, _card(engine, hits[0].entry.kind, hits[0].entry.key)):
            ours += 1
        start = time.perf_counter()
        top = bm25.top(words)
        t_theirs += time.perf_counter() - start
        if top and _passes(case, _card(engine, *top)):
            theirs += 1
    return {
        "questions": n,
        "index_hit@1": round(100 * ours / max(n, 1), 1),
        "bm25s_hit@1": round(100 * theirs / max(n, 1), 1),
        "index_ms": round(1000 * t_ours / max(n, 1), 3),
        "bm25s_ms": round(1000 * t_theirs / max(n, 1), 3),
    }


def main() -> int:
    if importlib.util.find_spec("bm25s") is None:
        print("bm25s is not installed: pip install bm25s")
        return 0
    engine = Engine.from_database(open_database(memory=True))
    second = Engine(parse_programme((ROOT / "tests" / "fixtures" / "programme_b.txt").read_text()))
    runs = [(name, engine, path) for name, path in SETS.items() if path.exists()]
    runs.append(("second programme (tests/fixtures)", second, SECOND))
    print("| question set | questions | index hit@1 | bm25s hit@1 | index ms | bm25s ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, eng, path in runs:
        r = compare(eng, path)
        print(
            f"| {name} | {r['questions']} | {r['index_hit@1']}% | {r['bm25s_hit@1']}% "
            f"| {r['index_ms']} | {r['bm25s_ms']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
