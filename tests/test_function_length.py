"""House rule: no function over ~60 lines, anywhere in the product's packages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LIMIT = 60  # lines, docstring included
SPLIT = sorted(
    str(p.relative_to(ROOT))
    for pkg in ("bot", "knowledge", "handlers")
    for p in (ROOT / pkg).rglob("*.py")
)


def long_functions(source: str, limit: int) -> list[tuple[str, int]]:
    """(name, length) of every function in ``source`` longer than ``limit`` lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit:
                found.append((node.name, length))
    return found


def test_long_functions_are_found():
    body = "\n".join(f"    x = {i}" for i in range(LIMIT))
    assert long_functions(f"def f():\n{body}\n", LIMIT) == [("f", LIMIT + 1)]
    assert long_functions("def g():\n    pass\n", LIMIT) == []


@pytest.mark.parametrize("path", SPLIT)
def test_no_function_over_the_limit(path):
    assert long_functions((ROOT / path).read_text("utf-8"), LIMIT) == []
