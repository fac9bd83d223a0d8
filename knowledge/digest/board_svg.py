"""Small server-drawn SVG charts for the progress board (no JavaScript, no library).

Colours are CSS classes (``s0`` … ``s4`` for the five statuses, ``goal``, ``bar``) so the page's
light and dark themes colour them; text uses ``currentColor``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from knowledge.formatting import number
from knowledge.programme.model import Indicator

__all__ = ["status_bars", "target_bars"]

WIDTH = 320
ROW = 46
BAR = 18


def status_bars(rows: Sequence[tuple[str, Mapping[str, int]]], labels: Sequence[str]) -> str:
    """One stacked horizontal bar per row (part), a segment per status, counts written in.

    >>> svg = status_bars([("I. Đề án", {"a": 2, "b": 1})], ["a", "b"])
    >>> svg.count("<rect"), "I. Đề án (3)" in svg
    (2, True)
    """
    height = ROW * len(rows) + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="Biểu đồ tình trạng nhiệm vụ theo phần">'
    ]
    for i, (title, counts) in enumerate(rows):
        y = i * ROW
        total = sum(counts.get(k, 0) for k in labels)
        out.append(
            f'<text x="0" y="{y + 13}" class="label">{escape(_cut(title, 44))} ({total})</text>'
        )
        x = 0.0
        for j, label in enumerate(labels):
            n = counts.get(label, 0)
            if not n:
                continue
            w = WIDTH * n / total
            out.append(
                f'<rect x="{x:.1f}" y="{y + 20}" width="{w:.1f}" height="{BAR}" class="s{j}">'
                f"<title>{escape(label)}: {n}</title></rect>"
            )
            if w >= 14:
                out.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 33}" class="n" '
                    f'text-anchor="middle">{n}</text>'
                )
            x += w
    out.append("</svg>")
    return "".join(out)


def target_bars(ind: Indicator, values: Sequence[float]) -> str:
    """Check-ins (oldest first) as small columns with the target as a dashed line, or "".

    Only for targets with a number to compare against ("gấp"/"giảm" need a base year).
    """
    if not values or ind.low is None or ind.comparator in ("gấp", "giảm"):
        return ""
    goal = ind.low if ind.comparator != "từ-đến" else (ind.low + (ind.high or ind.low)) / 2
    top = max([*values, goal]) * 1.15 or 1.0
    width, height, col = 160, 56, 22
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Các lần cập nhật">'
    ]
    for i, v in enumerate(values):
        h = max(1.0, (height - 12) * v / top)
        x = 4 + i * (col + 8)
        out.append(
            f'<rect x="{x}" y="{height - 12 - h:.1f}" width="{col}" height="{h:.1f}" class="bar">'
            f"<title>{escape(number(v))}</title></rect>"
        )
    gy = height - 12 - (height - 12) * goal / top
    out.append(
        f'<line x1="0" x2="{width}" y1="{gy:.1f}" y2="{gy:.1f}" class="goal" '
        f'stroke-dasharray="4 3"/>'
    )
    out.append(
        f'<text x="{width - 2}" y="{height - 1}" class="n" text-anchor="end">'
        f"mục tiêu {escape(number(goal))}</text>"
    )
    out.append("</svg>")
    return "".join(out)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
