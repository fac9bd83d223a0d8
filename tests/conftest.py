"""Shared fixtures. The autouse fixture keeps every test away from real state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from knowledge.engine import Engine
from knowledge.programme.parser import parse_programme
from knowledge.programme.store import bundled_text, open_database

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches ./ctbot.sqlite3, a real token or the real Telegram."""
    monkeypatch.setenv("CTBOT_DB", str(tmp_path / "ctbot-test.sqlite3"))
    from bot.settings import ENVIRONMENT

    for name in ENVIRONMENT:
        if name != "CTBOT_DB":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture(scope="session")
def programme():
    return parse_programme(bundled_text())


@pytest.fixture(scope="session")
def programme_b():
    return parse_programme((FIXTURES / "programme_b.txt").read_text("utf-8"))


@pytest.fixture
def db() -> Database:
    return open_database(memory=True)


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.from_database(open_database(memory=True))


@pytest.fixture(scope="session")
def engine_b(programme_b) -> Engine:
    return Engine(programme_b)
