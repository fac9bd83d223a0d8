"""Parse the appendix table (phụ lục) of a programme into tasks, by header name.

The table is tab-separated, one row per line. Its header row is recognised by
its column names and may be repeated at every page break; columns are mapped by
what their headers say, never by position, so a table with another order, an
extra "Cơ quan phối hợp" column or "TT" instead of "STT" loads the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from knowledge.errors import ProgrammeFormatError
from knowledge.programme.model import Task
from knowledge.text import clean, fold

__all__ = ["COLUMNS", "parse_appendix"]

# (field, test on the folded header). Order matters: the first test that
# matches wins, so the specific names come before the generic ones ("Cấp
# trình" must not be taken for "Thời gian trình").
COLUMNS: list[tuple[str, Callable[[str], bool]]] = [
    ("code", lambda h: h in {"stt", "tt", "so tt", "so thu tu", "ma", "ma so"}),
    ("lead", lambda h: "chu tri" in h),
    ("coordinating", lambda h: "phoi hop" in h),
    ("approval", lambda h: "cap trinh" in h or "y kien" in h or "cap thong qua" in h),
    ("issuer", lambda h: "ban hanh" in h),
    ("product", lambda h: "san pham" in h),
    ("period", lambda h: ("thuc hien" in h and "thoi" in h) or "giai doan" in h),
    ("due", lambda h: "trinh" in h or "thoi han" in h or "tien do" in h or "hoan thanh" in h),
    ("content", lambda h: "noi dung" in h or "nhiem vu" in h or h.startswith("ten")),
]
_REQUIRED = {"code": "STT", "content": "Nội dung nhiệm vụ", "lead": "Cơ quan chủ trì"}
_TASK_FIELDS = ("lead", "coordinating", "approval", "issuer", "due", "period", "product")
_ROMAN = re.compile(r"^([IVXL]+)\.?$")
_DOTTED = re.compile(r"^(\d+(?:\.\d+)+)\.?$")
_NUMBER = re.compile(r"^(\d+)\.?$")
_TAGS = re.compile(r"</?\w+[^>]*>")


def _header_map(cells: list[str]) -> dict[int, str] | None:
    """Map column index → field name when ``cells`` is a header row, else None."""
    mapping: dict[int, str] = {}
    for i, cell in enumerate(cells):
        h = fold(cell)
        if not h:
            continue
        for name, test in COLUMNS:
            if test(h) and name not in mapping.values():
                mapping[i] = name
                break
        else:
            mapping[i] = f"extra:{clean(cell)}"
    known = [v for v in mapping.values() if not v.startswith("extra:")]
    return mapping if len(known) >= 3 and "content" in known else None


def _plain(cell: str) -> str:
    return clean(_TAGS.sub("", cell))


def _cells(cells: list[str], header: dict[int, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A row's cells by field name, and its extra columns by header text."""
    row: dict[str, str] = {}
    extra: dict[str, str] = {}
    for i, cell in enumerate(cells):
        name = header.get(i)
        if name is None:
            continue
        if name.startswith("extra:"):
            if _plain(cell):
                extra[name[6:]] = _plain(cell)
        else:
            row[name] = cell
    return row, extra


def _continued(task: Task, row: dict[str, str]) -> Task:
    """``task`` with the cells of its continuation (a row broken by a page break) appended."""
    fields = {f: getattr(task, f) for f in (*_TASK_FIELDS, "content")}
    for name, cell in row.items():
        if name in fields and _plain(cell):
            fields[name] = f"{fields[name]} {_plain(cell)}".strip()
    return replace(task, **fields)


def _code(number: str, part: str, position: int) -> str:
    dotted = _DOTTED.match(number)
    plain_number = _NUMBER.match(number)
    if dotted:
        return dotted.group(1)
    if plain_number:
        return f"{part or 'I'}.{plain_number.group(1)}"
    return number or f"{part or 'I'}.{position}"


def _check_header(mapping: dict[int, str], cells: list[str]) -> None:
    missing = [label for f, label in _REQUIRED.items() if f not in mapping.values()]
    if missing:
        wanted = ", ".join(f'"{m}"' for m in missing)
        found = ", ".join(_plain(c) for c in cells if c.strip())
        raise ProgrammeFormatError(
            f"the appendix header row has no column for {wanted}; found: {found}",
            vi=f"dòng tiêu đề của bảng phụ lục thiếu cột {wanted}; các cột có: {found}",
        )


def parse_appendix(text: str) -> list[Task]:
    """Parse an appendix into tasks.

    A row without a number right after a task (or after a header row repeated
    by a page break that cut that task) continues it: its cells are appended.

    Args:
        text: The appendix part of a programme, from its "PHỤ LỤC" line.

    Returns:
        The tasks in table order, each with the part and group it sits under.

    Raises:
        ProgrammeFormatError: No header row, a required column is missing, or
            the table has no task rows.

    """
    reader = _Reader()
    for raw in text.splitlines():
        reader.line(raw)
    return reader.tasks_read()


@dataclass
class _Reader:
    """The table read so far: its header, its tasks and the part and group they sit under."""

    header: dict[int, str] | None = None
    tasks: list[Task] = field(default_factory=list)
    part: str = ""
    part_title: str = ""
    group: str = ""
    seen: set[str] = field(default_factory=set)
    last_was_task: bool = False

    def line(self, raw: str) -> None:
        """Read one line: a header row, a body row, or (without a tab) nothing."""
        if "\t" not in raw:
            return
        cells = raw.split("\t")
        mapping = _header_map(cells)
        if mapping is not None:
            _check_header(mapping, cells)
            self.header = mapping
        elif self.header is not None:
            self.row(*_cells(cells, self.header))

    def row(self, row: dict[str, str], extra: dict[str, str]) -> None:
        """Read a body row: a continuation, a part heading, a group heading or a task."""
        number = _plain(row.get("code", ""))
        content = _plain(row.get("content", ""))
        italic = "<i>" in row.get("content", "")
        if not number and not content:
            return
        if not number and self.last_was_task and not italic:
            self.tasks[-1] = _continued(self.tasks[-1], row)
            return
        filled = [f for f in _TASK_FIELDS if _plain(row.get(f, ""))]
        self.last_was_task = False
        roman = _ROMAN.match(number)
        if roman and not filled:
            self.part, self.part_title, self.group = roman.group(1), content, ""
        elif italic or not filled:
            self.group = content
        else:
            self.add_task(number, content, row, extra)

    def add_task(
        self, number: str, content: str, row: dict[str, str], extra: dict[str, str]
    ) -> None:
        """Append a task under the current part and group, its code made unique."""
        code = _code(number, self.part, len(self.tasks) + 1)
        while code in self.seen:
            code += "'"
        self.seen.add(code)
        fields = {f: _plain(row.get(f, "")) for f in _TASK_FIELDS}
        self.tasks.append(
            Task(
                code=code,
                part=self.part,
                part_title=self.part_title,
                group=self.group,
                content=content,
                extra=extra,
                position=len(self.tasks) + 1,
                **fields,
            )
        )
        self.last_was_task = True

    def tasks_read(self) -> list[Task]:
        """The tasks, once the whole table is read; an error if there is no table."""
        if self.header is None:
            raise ProgrammeFormatError(
                "no appendix table header found: expected a tab-separated row with columns "
                'such as "STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì tham mưu", '
                '"Thời gian trình"',
                vi='không thấy dòng tiêu đề của bảng phụ lục: cần các cột như "STT", '
                '"Nội dung nhiệm vụ", "Cơ quan chủ trì tham mưu", "Thời gian trình"',
            )
        if not self.tasks:
            raise ProgrammeFormatError(
                "the appendix table has a header row but no task rows",
                vi="bảng phụ lục có dòng tiêu đề nhưng không có nhiệm vụ nào",
            )
        return self.tasks
