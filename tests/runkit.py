"""`ctbot run` in its own process against the fake Bot API, as in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SECRET_TOKEN = "987654:SECRET-token-do-not-log"


def run_env(tmp_path: Path, token: str, base_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `ctbot run` child talking to ``base_url`` on loopback."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": base_url,
        "CTBOT_DB": str(tmp_path / "run.sqlite3"),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        **extra,
    }


def start_bot(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[Any]:
    """Start `ctbot run [args]`; output goes to ``log`` (a pipe could fill and block it)."""
    out = log.open("w", encoding="utf-8")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    finally:
        out.close()


def run_bot(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `ctbot run [args]` to its end."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
