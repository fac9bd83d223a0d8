"""Telegram throughput benchmark: questions through the real HTTP stack on loopback.

`ctbot run` (the real Application, long polling over httpx) runs in its own
process and talks to the fake Bot API server of the test suite on 127.0.0.1 in
this one, as it would to Telegram. 500 private-chat questions from 50 users are
pushed as one burst; throughput is replies per second from the first push to
the last reply. A second, paced run (50 updates/s) measures round trip (push →
sendMessage received). Run: ``python -m benchmarks.telegram``; writes
``benchmarks/results/telegram.json``. Nothing here is a test: timings are noisy.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.fakebot import FakeBotApiServer, FakeTelegram, message, private_chat, user
from tests.scoring import load_cases

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "telegram.json"
N = 500


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))]


async def run(concurrency: int, rate_limit: bool, paced: float | None, n: int = N) -> dict:
    """Run `ctbot run` in its own process (as in production) against the fake server."""
    questions = [c["q"] for c in load_cases(ROOT / "tests" / "data" / "questions.jsonl")]
    fake = FakeTelegram()
    with tempfile.TemporaryDirectory() as tmp, FakeBotApiServer(fake) as server:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_BASE_URL": server.base_url,
            "CTBOT_DB": str(Path(tmp) / "bench.sqlite3"),
            "CTBOT_CONCURRENCY": str(concurrency),
            "CTBOT_RATE_LIMIT": "on" if rate_limit else "off",
            "NO_PROXY": "127.0.0.1,localhost",
        }
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            await fake.wait_for_async("setMyCommands", 2, timeout=120)
            users = [user(5000 + i, f"User{i}", f"user{i}") for i in range(50)]
            pushed: list[float] = []
            start = time.time()
            for i in range(n):
                u = users[i % len(users)]
                text = questions[i % len(questions)] or "che phu rung"
                pushed.append(time.time())
                fake.push_update(message(text, private_chat(u), u))
                if paced:
                    await asyncio.sleep(1 / paced)
            calls = await fake.wait_for_async("sendMessage", n, timeout=300)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=60)
    # Private replies do not quote the question, so pair pushes and replies in
    # arrival order: the k-th reply answers (at the latest) the k-th question.
    replies = sorted(c.time for c in calls)[:n]
    rtts = [(t - p) * 1000 for t, p in zip(replies, pushed, strict=True)]
    return {
        "concurrency": concurrency,
        "rate_limiter": rate_limit,
        "paced_per_s": paced,
        "updates": n,
        "updates_per_s": round(n / (max(replies) - start), 1),
        "rtt_p50_ms": round(statistics.median(rtts), 1),
        "rtt_p99_ms": round(percentile(rtts, 99), 1),
    }


async def main_async() -> list[dict]:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    runs = []
    for concurrency in (1, 16):
        runs.append(await run(concurrency, rate_limit=False, paced=None))
    runs.append(await run(16, rate_limit=False, paced=50.0, n=250))
    runs.append(await run(16, rate_limit=True, paced=None, n=150))
    return runs


def main() -> int:
    runs = asyncio.run(main_async())
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(runs, indent=2) + "\n", "utf-8")
    print("| concurrency | rate limiter | load | updates | updates/s | RTT p50 | RTT p99 |")
    print("|---:|---|---|---:|---:|---:|---:|")
    for r in runs:
        load = f"paced {r['paced_per_s']:.0f}/s" if r["paced_per_s"] else "burst"
        print(
            f"| {r['concurrency']} | {'on' if r['rate_limiter'] else 'off'} | {load} | "
            f"{r['updates']} | {r['updates_per_s']} | {r['rtt_p50_ms']} ms | "
            f"{r['rtt_p99_ms']} ms |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
