"""An area's targets: "các chỉ tiêu về môi trường", "tất cả chỉ tiêu"."""

from __future__ import annotations

from knowledge.programme.model import Indicator
from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.common import GENERIC
from knowledge.qa.query import Intent, ParsedQuery
from knowledge.render import Markup, indicator_line
from knowledge.text import fold

__all__ = ["AreaAnswers"]

# Words that name an area or "all targets", not one target.
_AREA_WORDS = frozenset(
    [
        "chi",
        "tieu",
        "chu",
        "yeu",
        "tat",
        "ca",
        "ve",
        "linh",
        "vuc",
        "danh",
        "sach",
        "tai",
        "nguyen",
        "phat",
        "trien",
        "ben",
        "vung",
        "he",
        "thong",
        "chinh",
        "tri",
        "nhom",
        "cac",
        "nhung",
        "toan",
        "bo",
        "nam",
        "2025",
        "den",
    ]
)


class AreaAnswers:
    """Lists targets by area when a question asks for an area's (or all) targets."""

    def __init__(self, catalog: Catalog) -> None:
        """Keep the records."""
        self.catalog = catalog

    def answer(self, q: ParsedQuery, m: Markup) -> Answer | None:
        """The targets of the area ``q`` names (or all of them), or None."""
        if "chi tieu" not in q.folded:
            return None
        area_words = set(q.area.split()) | _AREA_WORDS
        if [w for w in q.topic if w not in area_words and w not in GENERIC]:
            return None
        targets = self._targets(q)
        return None if targets is None else self._list(q, targets, m)

    def _targets(self, q: ParsedQuery) -> list[Indicator] | None:
        """The area's targets; all of them when it asks for all (or names none); else None."""
        indicators = self.catalog.programme.indicators
        inds = self.catalog.indicators_in(q.area) if q.area else []
        if q.area and not inds:
            inds = [i for i in indicators if q.area.split()[0] in fold(i.area)]
        if inds:
            return inds
        if q.wants_list or {"tat", "ca"} <= set(q.topic) or q.topic in ([], ["chi", "tieu"]):
            return list(indicators)
        return None

    def _list(self, q: ParsedQuery, inds: list[Indicator], m: Markup) -> Answer:
        areas = list(dict.fromkeys(i.area for i in inds))
        total = f"Có {len(inds)} chỉ tiêu, thuộc {len(areas)} lĩnh vực:"
        lines = [m.bold(total)] if len(areas) > 1 else []
        for area in areas:
            group = [i for i in inds if i.area == area]
            lines.append(m.bold(f"Chỉ tiêu về {area} ({len(group)}):"))
            lines.extend(indicator_line(i, m) for i in group)
        refs = ", ".join(dict.fromkeys(f"mục {i.ref}" for i in inds))
        lines.append(m.italic(f"Nguồn: {refs}"))
        title_of = self.catalog.title_of
        results = [
            Result("indicator", str(i.id), 1.0, title_of("indicator", str(i.id))) for i in inds
        ]
        return Answer(q.raw, Intent.AREA, True, "\n".join(lines), results)
