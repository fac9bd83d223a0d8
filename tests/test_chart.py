"""The progress chart: a valid, small PNG with Vietnamese text and nothing missing."""

from __future__ import annotations

import logging
import struct
import warnings
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from itertools import combinations
from pathlib import Path

import matplotlib
import matplotlib.image
import matplotlib.text
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from knowledge.digest.chart import (
    NO_DATA,
    STATUS_COLOURS,
    TargetProgress,
    _figure,
    _ratio,
    _target_label,
    progress_chart,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

PARTS = {
    "I. Về phát triển kinh tế - xã hội": {
        "Hoàn thành đúng hạn": 9,
        "Hoàn thành quá hạn": 2,
        "Đang thực hiện trong hạn": 5,
        "Quá hạn chưa hoàn thành": 3,
        "Chưa có báo cáo": 1,
    },
    "II. Về xây dựng Đảng, hoàn thiện bộ máy chính quyền các cấp": {
        "Hoàn thành đúng hạn": 4,
        "Hoàn thành quá hạn": 1,
        "Đang thực hiện trong hạn": 2,
        "Quá hạn chưa hoàn thành": 0,
        "Chưa có báo cáo": 2,
    },
}
TARGETS = [
    TargetProgress("Tỷ lệ che phủ rừng", 46.5, 46.2, "%"),
    TargetProgress("GRDP bình quân đầu người", 5685, 4800, "USD"),
    TargetProgress("Tỷ lệ thất nghiệp khu vực thành thị", 3.8, 3.5, "%", lower_is_better=True),
    TargetProgress(
        "Tốc độ tăng trưởng kinh tế (GRDP) bình quân giai đoạn 2025 - 2030", 10, 8.2, "%"
    ),
    TargetProgress("Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều", 1.5, 2.1, "%", True),
    TargetProgress("Tỷ lệ xã đạt chuẩn nông thôn mới", 80, 82, "%"),
]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def render(*args, **kwargs) -> bytes:
    """``progress_chart`` that fails on any warning (a missing glyph is one) or font log."""
    font_log = logging.getLogger("matplotlib.font_manager")
    handler = Collect()
    font_log.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            png = progress_chart(*args, **kwargs)
    finally:
        font_log.removeHandler(handler)
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in handler.records] == []
    return png


def size_of(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert png.startswith(PNG_SIGNATURE)
    length, kind, width, height = struct.unpack(">I4sII", png[8:24])
    assert (length, kind) == (13, b"IHDR")
    return width, height


def texts(fig: Figure) -> list[str]:
    return [
        t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()
    ]


def check_png(png: bytes) -> tuple[int, int]:
    width, height = size_of(png)
    assert width == 1200
    assert 200 < height < 4000
    assert len(png) < 1_000_000
    pixels = matplotlib.image.imread(BytesIO(png))
    assert pixels.shape[:2] == (height, width)
    assert pixels.min() < 0.5  # something is drawn
    return width, height


def test_full_chart_is_a_small_png():
    png = render(PARTS, TARGETS, subtitle="Số liệu đến ngày 15/06/2025")
    _, height = check_png(png)
    assert height > check_png(render(PARTS))[1]  # the targets panel adds height


def test_vietnamese_labels_are_drawn():
    found = texts(_figure(PARTS, TARGETS, subtitle="Số liệu đến ngày 15/06/2025"))
    for expected in [
        "Tiến độ thực hiện Chương trình hành động",
        "Số liệu đến ngày 15/06/2025",
        *STATUS_COLOURS,
        "I. Về phát triển kinh tế - xã hội",
        "46,2% / mục tiêu 46,5%",
        "4.800 USD / mục tiêu 5.685 USD",
        "3,5% / mục tiêu dưới 3,8%",
        "20",  # total of part I
        "9",  # total of part II, and the on-time count of part I
    ]:
        assert expected in found
    assert "II. Về xây dựng Đảng, hoàn thiện\nbộ máy chính quyền các cấp" in found


def test_every_text_uses_bundled_dejavu_sans():
    fig = _figure(PARTS, TARGETS, subtitle="Phụ đề")
    bundled = {str(FONTS / "DejaVuSans.ttf"), str(FONTS / "DejaVuSans-Bold.ttf")}
    for t in fig.findobj(matplotlib.text.Text):
        if t.get_text():
            assert str(t.get_fontproperties().get_file()) in bundled, t.get_text()


def test_missing_glyph_would_be_caught():
    # The no-warning check is not vacuous: DejaVu Sans has no CJK, and matplotlib warns.
    with pytest.raises(AssertionError, match="Glyph"):
        render({"Phần 漢字": {"Hoàn thành đúng hạn": 1}})


@pytest.mark.parametrize(
    "parts", [{}, {"I. Về phát triển kinh tế - xã hội": {"Hoàn thành đúng hạn": 0}}]
)
def test_no_data(parts):
    check_png(render(parts))
    found = texts(_figure(parts))
    assert NO_DATA in found
    assert "Hoàn thành đúng hạn" not in found


def test_no_data_but_targets():
    check_png(render({}, TARGETS[:2], title="", subtitle=""))
    found = texts(_figure({}, TARGETS[:2], title=""))
    assert NO_DATA in found
    assert "46,2% / mục tiêu 46,5%" in found


def test_status_order_and_unknown_labels_last():
    fig = _figure({"Phần": {"Tạm dừng": 2, "Chưa có báo cáo": 1, "Hoàn thành đúng hạn": 3}})
    (legend,) = fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == [*STATUS_COLOURS, "Tạm dừng"]
    colours = {
        h.get_label(): h.get_facecolor() for h in legend.legend_handles if isinstance(h, Patch)
    }
    assert matplotlib.colors.to_hex(colours["Tạm dừng"]) not in STATUS_COLOURS.values()


def test_long_names_wrap_and_nothing_overflows_or_overlaps():
    long = "Về nhiệm vụ có tên rất dài để kiểm tra việc xuống dòng khi tên vượt quá độ rộng"
    parts = {f"{i}. {long}": {"Hoàn thành đúng hạn": i, "Chưa có báo cáo": 30} for i in (1, 2)}
    targets = [*TARGETS, TargetProgress(long, 1_000_000, 12_345.678, "tỷ đồng")]
    fig = _figure(parts, targets, title=long * 2, subtitle=long * 3)
    check_png(render(parts, targets, title=long * 2, subtitle=long * 3))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    page = fig.bbox
    visible = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()]
    for t in visible:
        box = t.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1, t.get_text()
        assert page.y0 <= box.y0 and box.y1 <= page.y1, t.get_text()
    for a, b in combinations(visible, 2):
        assert not a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer)), (
            a.get_text(),
            b.get_text(),
        )


def test_names_wrap_at_about_38_characters():
    name = "Tốc độ tăng trưởng kinh tế (GRDP) bình quân giai đoạn 2025 - 2030"
    found = texts(_figure({name: {"Hoàn thành đúng hạn": 1}}))
    (wrapped,) = [t for t in found if t.startswith("Tốc độ")]
    assert wrapped.replace("\n", " ") == name
    assert all(len(line) <= 38 for line in wrapped.split("\n"))


def test_dollar_signs_are_not_mathtext():
    found = texts(_figure({"Phần $5$": {"Hoàn thành đúng hạn": 1}}))
    assert "Phần $5$" in found
    check_png(render({"Phần $5$": {"Hoàn thành đúng hạn": 1}}))


def test_ratio_and_label():
    assert _ratio(TargetProgress("x", 46.5, 46.5, "%")) == pytest.approx(100)
    assert _ratio(TargetProgress("x", 3.8, 3.5, "%", True)) == pytest.approx(108.571, abs=1e-3)
    assert _ratio(TargetProgress("x", 0, 0, "vụ", lower_is_better=True)) == 100
    assert _ratio(TargetProgress("x", 0, -1, "")) == 0
    assert _ratio(TargetProgress("x", 10, float("nan"), "%")) == 0
    assert _target_label(TargetProgress("x", 10, 8.25, "%")) == "8,25% / mục tiêu 10%"
    assert _target_label(TargetProgress("x", 10, float("nan"), "")).startswith("chưa có số liệu")


def test_concurrent_renders_are_identical_and_leave_no_pyplot_figures():
    from matplotlib import pyplot

    serial = progress_chart(PARTS, TARGETS)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: progress_chart(PARTS, TARGETS), range(8)))
    assert all(png == serial for png in results)
    assert pyplot.get_fignums() == []
    assert matplotlib.get_backend().lower() == "agg"
