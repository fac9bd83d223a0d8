"""What the bot says when the records do not answer: help, and "not found" with the nearest."""

from __future__ import annotations

from knowledge.qa.answer import Answer
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.common import result_of
from knowledge.qa.index import Hit
from knowledge.qa.query import Intent, ParsedQuery
from knowledge.qa.retrieve import RANKING
from knowledge.render import Markup

__all__ = ["EXAMPLES", "help_answer", "not_found_answer"]

EXAMPLES = (
    "ai chủ trì đề án chuyển đổi số?",
    "chỉ tiêu che phủ rừng 2025",
    "hạn trình đề án nông nghiệp hữu cơ",
    "Ban Tuyên giáo Tỉnh ủy chủ trì những nhiệm vụ nào",
)


def help_answer(q: ParsedQuery, catalog: Catalog, m: Markup) -> Answer:
    """What the bot answers, with examples to try."""
    text = "\n".join(
        [
            m.text(f"Mình trả lời câu hỏi về {catalog.programme.title}."),
            m.text("Thử hỏi, ví dụ:"),
            *(m.text(f"• {e}") for e in EXAMPLES),
        ]
    )
    return Answer(q.raw, Intent.EMPTY, False, text)


def not_found_answer(q: ParsedQuery, hits: list[Hit], catalog: Catalog, m: Markup) -> Answer:
    """Nothing answers well enough: say so, and name the nearest records."""
    lines = [m.text(f"Chưa tìm thấy nội dung phù hợp trong {catalog.programme.title}.")]
    near = [h for h in hits[:3] if h.score >= RANKING.found * 0.6]
    if near:
        lines.append(m.text("Nội dung gần nhất:"))
        lines.extend(m.text(f"• {catalog.title_of(h.entry.kind, h.entry.key)}") for h in near)
    lines.append(m.italic("Thử hỏi ngắn hơn, ví dụ: “" + EXAMPLES[0] + "”."))
    alternatives = [result_of(h, catalog) for h in near]
    return Answer(q.raw, q.intent, False, "\n".join(lines), alternatives=alternatives)
