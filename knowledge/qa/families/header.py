"""Questions about the document itself: its number, the date it was issued, who signed it."""

from __future__ import annotations

import re

from knowledge.programme.model import Programme
from knowledge.qa.answer import Answer
from knowledge.qa.query import Intent, ParsedQuery
from knowledge.render import Markup, header_lines

__all__ = ["Header"]

_ABOUT_DOCUMENT = re.compile(
    r"\b(?:ai ky|nguoi ky|ky ngay|ngay ky|ky (?:vao )?(?:ngay nao|khi nao|luc nao)|"
    r"ngay ban hanh|ban hanh ngay nao|so hieu|so van ban|ai la bi thu|bi thu tinh uy la ai|"
    r"(?:chuong trinh|van ban)(?: nay)? (?:ban hanh|ky) (?:khi nao|ngay nao|nam nao)|"
    r"(?:chuong trinh|van ban)(?: hanh dong)?(?: nay)? (?:la )?so (?:bao nhieu|may|gi)|"
    r"ke hoach (?:nay |nay la |la )?so (?:bao nhieu|may|gi)|"
    r"(?:ke hoach|chuong trinh|van ban) nay (?:ban hanh |ky )?(?:ngay nao|khi nao))\b"
)


class Header:
    """Answers from the document's own header and signature."""

    def __init__(self, programme: Programme) -> None:
        """Keep the programme whose header is read."""
        self.programme = programme

    def answer(self, q: ParsedQuery, m: Markup) -> Answer | None:
        """When the programme was issued and who signed it, or None when not asked."""
        if not _ABOUT_DOCUMENT.search(q.folded):
            return None
        p = self.programme
        lines = header_lines(p, m)
        return Answer(q.raw, Intent.PASSAGE, bool(p.issued or p.signer), "\n".join(lines))
