"""Render the programme's progress as a PNG chart for the Telegram bot.

One figure, two panels: task statuses per part of the programme (or per document)
as horizontal stacked bars, then (when there are any) the targets as bars of the
latest value in percent of the target — under a bold heading per document when
the targets come from several documents. Every text is Vietnamese and drawn with matplotlib's
bundled DejaVu Sans, loaded from matplotlib's own data directory, so the output
never depends on the fonts installed on the server.

Figures are built with :class:`matplotlib.figure.Figure` and the Agg canvas,
never through pyplot's global figure manager, and fonts are passed to every
text as :class:`~matplotlib.font_manager.FontProperties` instead of through
the global ``rcParams``: concurrent calls share no mutable state and every
figure is garbage once its bytes are returned.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from babel.numbers import format_decimal
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Transform, blended_transform_factory

__all__ = ["STATUS_COLOURS", "TargetProgress", "progress_chart"]

#: The five computed task statuses, in display order, with their colours.
STATUS_COLOURS: Mapping[str, str] = {
    "Hoàn thành đúng hạn": "#2e7d32",  # green
    "Hoàn thành quá hạn": "#9e9d24",  # olive, yellow-green
    "Đang thực hiện trong hạn": "#1565c0",  # blue
    "Quá hạn chưa hoàn thành": "#c62828",  # red
    "Chưa có báo cáo": "#9e9e9e",  # grey
}
# Statuses the chart does not know, in order of appearance: neutral, but not the grey above.
_OTHER_COLOURS = ("#bcaaa4", "#90a4ae", "#d7ccc8", "#b0bec5")
_REACHED = "#2e7d32"
_NOT_REACHED = "#ef8f00"
_INK = "#212121"
_MUTED = "#616161"

NO_DATA = "Chưa có dữ liệu"
PANEL_STATUS = "Tình hình thực hiện nhiệm vụ"
PANEL_TARGETS = "Chỉ tiêu chủ yếu (% so với mục tiêu)"

_WIDTH_IN = 8.0  # 1200 px at _DPI
_DPI = 150
_MARGIN = 0.25  # inches around everything
_RIGHT_ROOM = 0.45  # inches right of the bars, for totals and labels past a bar's end
_BAR = 0.32  # bar thickness in inches
_NAME_SIZE = 10.5
_COUNT_SIZE = 11.0
_LABEL_SIZE = 10.5
_DASHED = (0, (4, 3))
_LEGEND: dict[str, Any] = {
    "frameon": False,
    "handlelength": 1.2,
    "columnspacing": 1.6,
    "borderaxespad": 0.0,
    "borderpad": 0.0,
}
_WRAP = 38  # characters per line of a part or target name
_MAX_LINES = 3  # a longer name is cut with an ellipsis
_RATIO_CAP = 150.0  # bars of targets beyond this percent are drawn cut at the edge

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_REGULAR = _FONT_DIR / "DejaVuSans.ttf"
_BOLD = _FONT_DIR / "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class TargetProgress:
    """A target of the programme and its latest reported value.

    Attributes:
        name: The target's name, e.g. ``"Tỷ lệ che phủ rừng"``.
        target: The value to reach, e.g. ``46.5``.
        latest: The latest reported value, e.g. ``46.2``.
        unit: The unit of both values, e.g. ``"%"`` or ``"USD"``; may be empty.
        lower_is_better: True for a "dưới" target (e.g. unemployment below 3,8%).
        document: The document the target is in ("Kế hoạch 45/KH-UBND"); targets of two
            or more documents are drawn under a heading per document. Empty for one.

    """

    name: str
    target: float
    latest: float
    unit: str
    lower_is_better: bool = False
    document: str = ""


_Row = TargetProgress | str  # a target's bar, or a document's heading


def progress_chart(
    status_by_part: Mapping[str, Mapping[str, int]],
    targets: Sequence[TargetProgress] = (),
    *,
    title: str = "Tiến độ thực hiện Chương trình hành động",
    subtitle: str = "",
) -> bytes:
    """Render task statuses per part, and targets if any, as a PNG image.

    Args:
        status_by_part: Part name (e.g. ``"I. Về phát triển kinh tế - xã hội"``) → status
            label → number of tasks. Known labels are drawn in :data:`STATUS_COLOURS`
            order and colours, unknown ones after them in neutral colours. Parts whose
            counts are all zero are skipped; if every count is zero the panel says
            "Chưa có dữ liệu".
        targets: Targets to draw in a second panel, in the given order; no panel when
            empty. Targets of several documents get a heading row per document, where
            the document changes.
        title: Bold heading at the top.
        subtitle: Smaller line under the title (e.g. the date of the data); none if empty.

    Returns:
        The PNG file's bytes: 1200 pixels wide, as tall as the content needs.

    """
    fig = _figure(status_by_part, targets, title=title, subtitle=subtitle)
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, facecolor="white", metadata={"Software": None})
    fig.clear()
    return buf.getvalue()


def _figure(
    status_by_part: Mapping[str, Mapping[str, int]],
    targets: Sequence[TargetProgress] = (),
    *,
    title: str = "Tiến độ thực hiện Chương trình hành động",
    subtitle: str = "",
) -> Figure:
    """Build the chart's figure (see :func:`progress_chart`), laid out and ready to save.

    The layout is computed by hand, in inches from the top, from the measured widths of
    the names: the figure is exactly as tall as its content and nothing depends on a
    layout engine's heuristics.
    """
    parts = _visible_parts(status_by_part)
    part_names = [_wrap_name(name) for name in parts]
    rows = _target_rows(targets)
    # A heading has no name at the axis: it is drawn across its row, from the left margin.
    target_names = ["" if isinstance(r, str) else _wrap_name(r.name) for r in rows]
    labels = _ordered_labels(parts)

    fig = Figure(figsize=(_WIDTH_IN, 1.0), dpi=_DPI)
    FigureCanvasAgg(fig)
    measure = _Measure()
    layout = _layout(title, subtitle, part_names, target_names, len(labels), measure)
    fig.set_size_inches(_WIDTH_IN, layout.height)

    _draw_headings(fig, layout)
    _draw_status(fig, layout, parts, part_names, labels, measure)
    if targets:
        _draw_targets(fig, layout, rows, target_names, measure)
    return fig


def _target_rows(targets: Sequence[TargetProgress]) -> list[_Row]:
    """The targets, with a document's label before its first target when there are several.

    >>> [r if isinstance(r, str) else r.name for r in _target_rows([
    ...     TargetProgress("A", 1, 1, "%", document="CTr 08"),
    ...     TargetProgress("B", 1, 1, "%", document="KH 45")])]
    ['CTr 08', 'A', 'KH 45', 'B']
    """
    if len({t.document for t in targets}) < 2:
        return list(targets)
    rows: list[_Row] = []
    for t in targets:
        if not rows or isinstance(rows[-1], str) or rows[-1].document != t.document:
            rows.append(t.document or "")
        rows.append(t)
    return rows


def _visible_parts(status_by_part: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """The parts with their non-zero counts; parts left without any are dropped."""
    parts = {
        name: {label: n for label, n in counts.items() if n > 0}
        for name, counts in status_by_part.items()
    }
    return {name: counts for name, counts in parts.items() if counts}


@dataclass(frozen=True)
class _Layout:
    """Where everything goes: x in inches from the left, tops in inches from the top."""

    left: float  # the panels' left edge, right of the names
    width: float  # the panels' width
    title_lines: list[str]
    subtitle_lines: list[str]
    y_title: float
    y_subtitle: float
    y_status_title: float
    y_status: float
    status_h: float
    y_status_legend: float
    y_target_title: float
    y_targets: float
    targets_h: float
    y_target_legend: float
    height: float  # of the whole figure

    def place(self, x: float, top: float, w: float, h: float) -> tuple[float, float, float, float]:
        """An axes rectangle in figure coordinates, from inches."""
        return (x / _WIDTH_IN, 1 - (top + h) / self.height, w / _WIDTH_IN, h / self.height)

    def at(self, x: float, top: float) -> tuple[float, float]:
        """A point in figure coordinates, from inches."""
        return x / _WIDTH_IN, 1 - top / self.height


def _layout(
    title: str,
    subtitle: str,
    part_names: Sequence[str],
    target_names: Sequence[str],
    n_labels: int,
    measure: _Measure,
) -> _Layout:
    """Stack the headings and panels from the top; the figure is as tall as they are."""
    names = [*part_names, *target_names]
    name_w = max((measure(s, _NAME_SIZE)[0] for s in names), default=0.0)
    left = _MARGIN + name_w + 0.12
    title_lines = _wrap(title, 50, 3) if title.strip() else []
    subtitle_lines = _wrap(subtitle, 82, 3) if subtitle.strip() else []
    y = _MARGIN
    y_title = y
    y += 0.3 * len(title_lines)
    y_subtitle = y + 0.04
    y += (0.04 + 0.23 * len(subtitle_lines)) if subtitle_lines else 0.0
    y += 0.28 if title_lines or subtitle_lines else 0.0

    y_status_title = y
    y += 0.4
    status_h = _rows_height(part_names) if part_names else 0.7
    y_status = y
    y += status_h
    y_status_legend = y + 0.18
    if part_names:
        y += 0.18 + 0.245 * math.ceil(n_labels / 2)

    y_target_title = y_targets = targets_h = y_target_legend = 0.0
    if target_names:
        y += 0.3
        y_target_title = y
        y += 0.4
        y_targets = y
        targets_h = _rows_height(target_names)
        y += targets_h + 0.3  # tick labels
        y_target_legend = y + 0.05
        y += 0.22
    return _Layout(
        left=left,
        width=_WIDTH_IN - _MARGIN - _RIGHT_ROOM - left,
        title_lines=title_lines,
        subtitle_lines=subtitle_lines,
        y_title=y_title,
        y_subtitle=y_subtitle,
        y_status_title=y_status_title,
        y_status=y_status,
        status_h=status_h,
        y_status_legend=y_status_legend,
        y_target_title=y_target_title,
        y_targets=y_targets,
        targets_h=targets_h,
        y_target_legend=y_target_legend,
        height=y + _MARGIN,
    )


def _draw_headings(fig: Figure, layout: _Layout) -> None:
    """The bold title and the muted subtitle, line by line."""
    for i, line in enumerate(layout.title_lines):
        _fig_text(fig, *layout.at(_MARGIN, layout.y_title + 0.3 * i), line, size=15, bold=True)
    for i, line in enumerate(layout.subtitle_lines):
        y = layout.y_subtitle + 0.23 * i
        _fig_text(fig, *layout.at(_MARGIN, y), line, size=11, colour=_MUTED)


def _draw_status(
    fig: Figure,
    layout: _Layout,
    parts: Mapping[str, Mapping[str, int]],
    part_names: Sequence[str],
    labels: Sequence[str],
    measure: _Measure,
) -> None:
    """The status panel's heading, its bars (or "Chưa có dữ liệu") and its legend."""
    at, place = layout.at, layout.place
    _fig_text(fig, *at(_MARGIN, layout.y_status_title), PANEL_STATUS, size=12.5, bold=True)
    if not parts:  # the whole width, so that "Chưa có dữ liệu" is centred on the image
        whole = place(_MARGIN, layout.y_status, _WIDTH_IN - 2 * _MARGIN, layout.status_h)
        _no_data(fig.add_axes(whole))
        return
    status_ax = fig.add_axes(place(layout.left, layout.y_status, layout.width, layout.status_h))
    colours = _colours(labels)
    _status_panel(status_ax, parts, part_names, labels, colours, layout.width, measure)
    handles = [Patch(facecolor=colours[label], label=label) for label in labels]
    _legend(fig, handles, at(_MARGIN, layout.y_status_legend), ncols=2)


def _draw_targets(
    fig: Figure,
    layout: _Layout,
    rows: Sequence[_Row],
    target_names: Sequence[str],
    measure: _Measure,
) -> None:
    """The target panel's heading, its bars (and documents' headings) and its legend."""
    at, place = layout.at, layout.place
    _fig_text(fig, *at(_MARGIN, layout.y_target_title), PANEL_TARGETS, size=12.5, bold=True)
    target_ax = fig.add_axes(place(layout.left, layout.y_targets, layout.width, layout.targets_h))
    _target_panel(target_ax, rows, target_names, layout.width, measure)
    _document_headings(target_ax, rows, target_names, (_MARGIN - layout.left) / layout.width)
    handles: list[Artist] = [
        Patch(facecolor=_REACHED, label="Đạt, vượt mục tiêu"),
        Patch(facecolor=_NOT_REACHED, label="Chưa đạt"),
        Line2D([], [], color=_INK, linestyle=_DASHED, label="Mức mục tiêu (100%)"),
    ]
    _legend(fig, handles, at(_MARGIN, layout.y_target_legend), ncols=3)


def _legend(
    fig: Figure, handles: Sequence[Artist], anchor: tuple[float, float], *, ncols: int
) -> None:
    """A plain figure legend hanging from ``anchor``, in rows of ``ncols`` entries."""
    legend = fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=anchor,
        ncols=ncols,
        prop=_font(_NAME_SIZE),
        **_LEGEND,
    )
    _plain_legend(legend)


class _Measure:
    """Size in inches of a (multi-line) text in DejaVu Sans, from the font's own metrics."""

    def __init__(self) -> None:
        self._text_to_path = TextToPath()

    def __call__(self, s: str, size: float, *, bold: bool = False) -> tuple[float, float]:
        prop = _font(size, bold=bold)
        sizes = [
            self._text_to_path.get_text_width_height_descent(line, prop, ismath=False)
            for line in s.split("\n")
        ]
        points = max(w for w, _, _ in sizes), sum(h for _, h, _ in sizes)
        return points[0] / 72, points[1] / 72


def _status_panel(
    ax: Axes,
    parts: Mapping[str, Mapping[str, int]],
    names: Sequence[str],
    labels: Sequence[str],
    colours: Mapping[str, str],
    width: float,
    measure: _Measure,
) -> None:
    """Horizontal stacked bars of task counts, one per part; a count where it fits."""
    positions = _positions(names)
    largest = max(sum(counts.values()) for counts in parts.values())
    right = largest * 1.02
    inch = right / width  # data units per inch
    for y, counts in zip(positions, parts.values(), strict=True):
        start = 0
        for label in labels:
            n = counts.get(label, 0)
            if not n:
                continue
            colour = colours[label]
            ax.barh(y, n, left=start, height=_BAR, color=colour, edgecolor="white", linewidth=1.5)
            text = _number(n)
            if measure(text, _COUNT_SIZE, bold=True)[0] + 0.05 <= n / inch:
                _text(
                    ax,
                    start + n / 2,
                    y,
                    text,
                    size=_COUNT_SIZE,
                    bold=True,
                    colour=_contrast(colour),
                    ha="center",
                )
            start += n
        _text(ax, start + 0.08 * inch, y, _number(start), size=_COUNT_SIZE, bold=True)
    ax.set_xlim(0, right)
    ax.set_xticks([])
    _name_axis(ax, positions, names)
    ax.spines[["top", "right", "bottom"]].set_visible(False)


def _document_headings(ax: Axes, rows: Sequence[_Row], names: Sequence[str], x: float) -> None:
    """Each document's label in bold across its heading row, from ``x`` (axes fraction)."""
    across = blended_transform_factory(ax.transAxes, ax.transData)
    for y, row in zip(_positions(names), rows, strict=True):
        if isinstance(row, str):
            text = _text(ax, x, y, row, size=_NAME_SIZE + 0.5, bold=True, transform=across)
            text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1.5})


def _target_panel(
    ax: Axes,
    rows: Sequence[_Row],
    names: Sequence[str],
    width: float,
    measure: _Measure,
) -> None:
    """Horizontal bars of each target's latest value in percent of the target."""
    positions = _positions(names)
    ratios = [min(_ratio(t), _RATIO_CAP) for t in rows if not isinstance(t, str)]
    right = max(110.0, max(ratios) + 5)
    inch = right / width  # data units per inch
    bars = [(y, t) for y, t in zip(positions, rows, strict=True) if not isinstance(t, str)]
    for (y, t), ratio in zip(bars, ratios, strict=True):
        colour = _REACHED if _ratio(t) >= 100 else _NOT_REACHED
        ax.barh(y, ratio, height=_BAR, color=colour, zorder=2)
        label = _target_label(t)
        if measure(label, _LABEL_SIZE)[0] + 0.2 <= ratio / inch:
            _text(ax, 0.1 * inch, y, label, size=_LABEL_SIZE, colour=_contrast(colour))
        else:
            text = _text(ax, ratio + 0.08 * inch, y, label, size=_LABEL_SIZE)
            # The 100% line and the grid stop at the text rather than strike through it.
            text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    ax.axvline(100, color=_INK, linewidth=1.2, linestyle=_DASHED, zorder=3)
    ax.set_xlim(0, right)
    ticks = list(range(0, int(right) + 1, 25))
    ax.set_xticks(ticks, [f"{x}%" for x in ticks], fontproperties=_font(10), color=_MUTED)
    ax.tick_params(axis="x", length=0, pad=4)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    _name_axis(ax, positions, names)
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines["bottom"].set_color("#bdbdbd")


def _no_data(ax: Axes) -> None:
    """An empty status panel that says so."""
    ax.set_axis_off()
    _text(
        ax,
        0.5,
        0.5,
        NO_DATA,
        size=14,
        colour=_MUTED,
        ha="center",
        transform=ax.transAxes,
    )


def _name_axis(ax: Axes, positions: Sequence[float], names: Sequence[str]) -> None:
    """Wrapped names as y tick labels, top to bottom; y data units are inches."""
    ax.set_yticks(list(positions), list(names), fontproperties=_font(_NAME_SIZE))
    for label in ax.get_yticklabels():
        label.set_parse_math(False)
    ax.tick_params(axis="y", length=0, pad=8, labelcolor=_INK)
    ax.set_ylim(_rows_height(names), 0)
    ax.spines["left"].set_color("#9e9e9e")


def _plain_legend(legend: Legend) -> None:
    """Legend texts without mathtext, in the ink colour."""
    for t in legend.get_texts():
        t.set_parse_math(False)
        t.set_color(_INK)


def _positions(names: Sequence[str]) -> list[float]:
    """Centre of each row in inches from the top of its panel."""
    positions: list[float] = []
    top = 0.0
    for name in names:
        h = _row_height(name)
        positions.append(top + h / 2)
        top += h
    return positions


def _rows_height(names: Sequence[str]) -> float:
    """Height in inches of a panel's rows."""
    return sum(_row_height(name) for name in names)


def _row_height(name: str) -> float:
    """Height in inches of a row whose wrapped name is ``name``."""
    return max(0.5, 0.2 * (name.count("\n") + 1) + 0.18)


def _wrap_name(name: str) -> str:
    """A part or target name wrapped to lines of about 38 characters, at most 3 lines."""
    return "\n".join(_wrap(name, _WRAP, _MAX_LINES))


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Lines of at most ``width`` characters, balanced, the last cut with an ellipsis if need be.

    Balanced: the narrowest width that needs no more lines, so a name does not end in an
    orphan word.

    >>> _wrap("Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều", 38, 3)
    ['Tỷ lệ hộ nghèo theo', 'chuẩn nghèo đa chiều']
    """
    text = " ".join(text.split())
    lines = textwrap.wrap(text, width, max_lines=max_lines, placeholder=" …")
    if len(lines) < 2 or (len(lines) == max_lines and lines[-1].endswith("…")):
        return lines or [""]
    longest_word = max(len(word) for word in text.split())
    for narrower in range(max(math.ceil(len(text) / len(lines)), longest_word), width):
        balanced = textwrap.wrap(text, narrower)
        if len(balanced) == len(lines):
            return balanced
    return lines


def _ordered_labels(parts: Mapping[str, Mapping[str, int]]) -> list[str]:
    """The five known statuses in order, then unknown ones in order of appearance."""
    unknown = [
        label for counts in parts.values() for label in counts if label not in STATUS_COLOURS
    ]
    return list(STATUS_COLOURS) + list(dict.fromkeys(unknown))


def _colours(labels: Sequence[str]) -> dict[str, str]:
    """Colour of each status label: its own if known, a neutral one otherwise."""
    unknown = [label for label in labels if label not in STATUS_COLOURS]
    colours = dict(STATUS_COLOURS)
    for i, label in enumerate(unknown):
        colours[label] = _OTHER_COLOURS[i % len(_OTHER_COLOURS)]
    return colours


def _ratio(t: TargetProgress) -> float:
    """Latest value in percent of the target (the inverse for a "dưới" target), ≥ 0.

    >>> _ratio(TargetProgress("Tỷ lệ che phủ rừng", 50, 40, "%"))
    80.0
    >>> _ratio(TargetProgress("Tỷ lệ thất nghiệp", 3.8, 1.9, "%", lower_is_better=True))
    200.0
    """
    num, den = (t.target, t.latest) if t.lower_is_better else (t.latest, t.target)
    if not (math.isfinite(num) and math.isfinite(den)):
        return 0.0
    if den <= 0:
        reached = t.latest <= t.target if t.lower_is_better else t.latest >= t.target
        return 100.0 if reached else 0.0
    return max(0.0, 100 * num / den)


def _target_label(t: TargetProgress) -> str:
    """``"46,2% / mục tiêu 46,5%"``; ``"3,5% / mục tiêu dưới 3,8%"`` for a "dưới" target.

    >>> _target_label(TargetProgress("GRDP bình quân đầu người", 5685, 4800, "USD"))
    '4.800 USD / mục tiêu 5.685 USD'
    """
    unit = t.unit.strip()
    sep = "" if unit in ("", "%", "‰") else " "

    def value(x: float) -> str:
        return f"{_number(x)}{sep}{unit}" if math.isfinite(x) else "chưa có số liệu"

    below = "dưới " if t.lower_is_better else ""
    return f"{value(t.latest)} / mục tiêu {below}{value(t.target)}"


def _number(x: float) -> str:
    """Vietnamese decimal: ``5685`` → ``"5.685"``, ``46.2`` → ``"46,2"`` (as formatting.number)."""
    return str(format_decimal(x, format="#,##0.##", locale="vi"))


def _contrast(colour: str) -> str:
    """White or near-black, whichever reads better on ``colour``."""
    r, g, b = to_rgb(colour)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return _INK if luminance > 0.55 else "white"


def _font(size: float, *, bold: bool = False) -> FontProperties:
    """Bundled DejaVu Sans (regular or bold) at ``size`` points."""
    return FontProperties(fname=_BOLD if bold else _REGULAR, size=size)


def _text(
    ax: Axes,
    x: float,
    y: float,
    s: str,
    *,
    size: float,
    bold: bool = False,
    colour: str = _INK,
    ha: str = "left",
    transform: Transform | None = None,
) -> Text:
    """Plain (no mathtext) text in DejaVu Sans, vertically centred on ``y``."""
    return ax.text(
        x,
        y,
        s,
        fontproperties=_font(size, bold=bold),
        color=colour,
        ha=ha,
        va="center_baseline",
        parse_math=False,
        transform=ax.transData if transform is None else transform,
        zorder=4,
    )


def _fig_text(
    fig: Figure,
    x: float,
    y: float,
    s: str,
    *,
    size: float,
    bold: bool = False,
    colour: str = _INK,
) -> Text:
    """Plain text in DejaVu Sans hanging from ``(x, y)`` in figure coordinates."""
    return fig.text(
        x,
        y,
        s,
        fontproperties=_font(size, bold=bold),
        color=colour,
        ha="left",
        va="top",
        parse_math=False,
    )
