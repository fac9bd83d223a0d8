"""Every CLI command (and, once they exist, every bot command) is documented in README."""

from pathlib import Path

import pytest

from bot.cli import COMMANDS, build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def test_every_cli_command_is_listed():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_cli_command_is_documented(name):
    assert f"ctbot {name}" in README, f"README does not document `ctbot {name}`"


def test_readme_starts_with_the_two_setup_commands():
    setup = README.split("## ", 2)[1]
    assert "make test" in setup and "make run" in setup


def test_every_environment_variable_is_documented():
    from bot.settings import ENVIRONMENT

    for name in ENVIRONMENT:
        assert f"`{name}`" in README, f"README does not document {name}"
