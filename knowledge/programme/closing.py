"""The closing blocks of a document as passages: where it was sent, and its appendix's title.

"Nơi nhận" lists who receives the document ("Bộ Chính trị, Ban Bí thư (để báo cáo)") and
where the original is filed ("Lưu Văn phòng Tỉnh ủy"); the appendix opens with its title
("PHỤ LỤC / CÁC CHƯƠNG TRÌNH, ĐỀ ÁN ... / (Ban hành kèm theo ...)"). Both are asked about
("gửi báo cáo lên cơ quan nào", "phụ lục tên là gì"), so both become searchable passages.
"""

from __future__ import annotations

import re

from knowledge.programme.model import Passage
from knowledge.text import clean, fold

__all__ = ["CLOSING_REFS", "appendix_title", "closing_passages", "recipients"]

# The refs of the passages made here: ranked below the body's own text.
CLOSING_REFS = frozenset(["Nơi nhận", "Phụ lục"])

_BULLET = re.compile(r"^[-–•+]\s*")
_FILED = re.compile(r"^lưu\b[:\s]*", re.IGNORECASE)


def recipients(body: str) -> tuple[list[str], str]:
    r"""The receivers listed under "Nơi nhận", and where the original is filed.

    Example:
        >>> recipients("Nơi nhận:\n- Bộ Chính trị (để báo cáo),\n- Lưu Văn phòng Tỉnh ủy.\nBÍ THƯ")
        (['Bộ Chính trị (để báo cáo)'], 'Văn phòng Tỉnh ủy')

    """
    lines = [clean(x) for x in body.splitlines()]
    start = next((i for i, x in enumerate(lines) if fold(x).startswith("noi nhan")), None)
    if start is None:
        return [], ""
    out: list[str] = []
    filed = ""
    for line in lines[start + 1 :]:
        if not line:
            continue
        if not _BULLET.match(line):
            break
        item = _BULLET.sub("", line).rstrip(" ,.;")
        if _FILED.match(item):
            filed = _FILED.sub("", item).strip()
        elif item:
            out.append(item)
    return out, filed


def appendix_title(appendix: str) -> str:
    r"""The appendix's title lines before its table, joined.

    Example:
        >>> appendix_title("PHỤ LỤC\nCÁC ĐỀ ÁN\n(Kèm theo Kế hoạch số 45)\nSTT\tNhiệm vụ")
        'CÁC ĐỀ ÁN (Kèm theo Kế hoạch số 45)'

    """
    lines = [clean(x) for x in appendix.splitlines()]
    title: list[str] = []
    for line in lines[1:]:
        if not line:
            continue
        if "\t" in line or fold(line).startswith("stt") or len(title) == 3:
            break
        title.append(line)
    return " ".join(title)


def closing_passages(body: str, appendix: str, first_id: int) -> list[Passage]:
    """The "Nơi nhận" block and the appendix title as passages numbered from ``first_id``."""
    out: list[Passage] = []
    sent, filed = recipients(body)
    if sent or filed:
        parts = [f"Văn bản được gửi đến: {'; '.join(sent)}."] if sent else []
        if filed:
            parts.append(f"Bản lưu tại: {filed}.")
        text = " ".join(parts)
        out.append(Passage(first_id, "Nơi nhận", "Nơi nhận", "Nơi nhận", text))
    title = appendix_title(appendix)
    if title:
        text = f"Phụ lục kèm theo văn bản: {title}"
        out.append(Passage(first_id + len(out), "Phụ lục", "Phụ lục", "Phụ lục", text))
    return out
