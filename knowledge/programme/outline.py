"""Turn the body of a programme text into blocks that know their section.

A scanned programme arrives as lines: headings ("A. ...", "I. ...", "1. ...",
"1.1. ...", "a) ..."), bullets ("- ..."), plain paragraphs, and page breaks that
split a sentence across a blank line (the continuation starts in lower case).
This module joins the fragments and tracks the heading stack, without knowing
anything about what the sections mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.errors import ProgrammeFormatError
from knowledge.text import clean, fold

__all__ = ["Block", "Heading", "missing_appendix", "outline", "split_appendix"]

# Headings, from outermost to innermost. The level of a dotted number grows
# with its depth ("1.1" is inside "1").
_PART = re.compile(r"^([A-ZĐ])\.\s+(.+)$")
_ROMAN = re.compile(r"^([IVXL]+)\.\s+(.+)$")
_ARABIC = re.compile(r"^(\d+)\.\s+(.+)$")
_DOTTED = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+(.+)$")
_LETTER = re.compile(r"^([a-zđ])\)\s+(.+)$")
_BULLET = re.compile(r"^[-–—•+*]\s*(.+)$")
# A numbered line longer than this, or ending like a sentence, is a numbered
# paragraph rather than a heading.
_MAX_HEADING = 320
_LETTER_LEVEL = 9


@dataclass(frozen=True)
class Heading:
    """A heading on the section stack.

    Attributes:
        level: Nesting level (1 = lettered part).
        label: Its number or letter as written ("C", "I", "1.3", "a").
        title: Its text.

    """

    level: int
    label: str
    title: str


@dataclass(frozen=True)
class Block:
    """A paragraph or bullet with the headings above it.

    Attributes:
        kind: ``"bullet"``, ``"paragraph"`` or ``"item"`` (a numbered paragraph).
        text: The joined text (without bullet mark or item number).
        headings: The heading stack, outermost first.
        label: The item's own number for ``"item"`` blocks, else "".

    """

    kind: str
    text: str
    headings: tuple[Heading, ...]
    label: str = ""

    @property
    def ref(self) -> str:
        """Compact reference such as ``"C.I.2.2.a"``, including an item's own number."""
        parts: list[str] = []
        labels = [h.label for h in self.headings] + ([self.label] if self.label else [])
        for label in labels:
            # "1.3" under "1" replaces it rather than giving "1.1.3".
            if parts and label.startswith(parts[-1] + "."):
                parts[-1] = label
            else:
                parts.append(label)
        return ".".join(parts)

    @property
    def path(self) -> str:
        """Readable path: ancestor labels, then the innermost heading with its title."""
        if not self.headings:
            return "Mở đầu"
        *outer, inner = self.headings
        mark = ")" if inner.level == _LETTER_LEVEL else "."
        return " > ".join([h.label for h in outer] + [f"{inner.label}{mark} {inner.title}"])


def split_appendix(text: str) -> tuple[str, str]:
    """Split a programme into its body and its appendix (phụ lục).

    Args:
        text: The whole programme text.

    Returns:
        ``(body, appendix)``; ``appendix`` is "" when there is none.

    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if fold(stripped).startswith("phu luc") and stripped[:6].isupper():
            return "\n".join(lines[:i]), "\n".join(lines[i:])
    return text, ""


def missing_appendix() -> ProgrammeFormatError:
    """The error for a programme or plan that :func:`split_appendix` found no appendix in."""
    return ProgrammeFormatError(
        'no appendix found: expected a line "PHỤ LỤC" followed by a tab-separated table',
        vi='không thấy phụ lục: cần dòng "PHỤ LỤC" và sau đó là bảng danh mục nhiệm vụ',
    )


def _paragraphs(body: str) -> list[str]:
    """Lines of text with page-break fragments joined to the paragraph they continue."""
    out: list[str] = []
    for raw in body.splitlines():
        line = clean(raw)
        if not line:
            continue
        if out and line[0].islower() and not _LETTER.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _is_heading(title: str) -> bool:
    return len(title) <= _MAX_HEADING and not title.rstrip().endswith((".", ";", ":", "…"))


_PART_LETTERS = "ABCDĐEFGH"


def _classify(line: str, next_part: str, roman_parts: bool) -> tuple[str, int, str, str]:
    """Return (kind, level, label, text) for one joined paragraph.

    ``next_part`` is the part letter expected next: "I. ..." is a roman
    section, not part I, unless parts A to H came before it. With
    ``roman_parts`` (a plan), upper-case "I. MỤC ĐÍCH, YÊU CẦU" lines are the parts.
    """
    m = _PART.match(line)
    if m and m.group(1) == next_part and m.group(2)[:3].isupper():
        return ("heading", 1, m.group(1), m.group(2))
    m = _ROMAN.match(line)
    if roman_parts and m and m.group(2)[:3].isupper():
        return ("heading", 1, m.group(1), m.group(2))
    # Numbered lines: (pattern, level from the label). "1.1" sits below "1".
    numbered: list[tuple[re.Pattern[str], Callable[[str], int]]] = [
        (_ROMAN, lambda label: 2),
        (_DOTTED, lambda label: 3 + label.count(".")),
        (_ARABIC, lambda label: 3),
        (_LETTER, lambda label: _LETTER_LEVEL),
    ]
    for pattern, level in numbered:
        m = pattern.match(line)
        if m:
            label, rest = m.group(1), m.group(2)
            return ("heading" if _is_heading(rest) else "item", level(label), label, rest)
    m = _BULLET.match(line)
    if m:
        return ("bullet", 0, "", m.group(1))
    return ("paragraph", 0, "", line)


def outline(body: str, *, roman_parts: bool = False) -> tuple[list[str], list[Block], list[Block]]:
    """Parse the body of a programme (or, with ``roman_parts``, a plan) into blocks.

    Everything before the first lettered part ("A. ...") is the preamble:
    returned separately as its lines, so callers can pick the title and skip
    the stamp. The body ends at the distribution list ("Nơi nhận:").

    Args:
        body: The programme text without its appendix.
        roman_parts: The parts are numbered "I.", "II." (a UBND plan) rather
            than lettered.

    Returns:
        ``(preamble_lines, blocks, headings)``; each heading is returned as a
        block of kind ``"heading"`` whose stack ends with the heading itself.

    """
    preamble: list[str] = []
    blocks: list[Block] = []
    headings: list[Block] = []
    stack: list[Heading] = []
    started = False
    next_part = _PART_LETTERS[0]
    for line in _paragraphs(body):
        if fold(line).startswith("noi nhan"):
            break
        kind, level, label, text = _classify(line, next_part, roman_parts)
        if kind == "heading" and level == 1 and not roman_parts:
            i = _PART_LETTERS.find(label)
            next_part = _PART_LETTERS[i + 1] if i + 1 < len(_PART_LETTERS) else ""
        if not started:
            if kind == "heading" and level == 1:
                started = True
            else:
                preamble.append(line)
                continue
        if kind == "heading":
            while stack and stack[-1].level >= level:
                stack.pop()
            stack.append(Heading(level, label, text))
            headings.append(Block("heading", text, tuple(stack)))
        elif kind == "item":
            while stack and stack[-1].level >= level:
                stack.pop()
            blocks.append(Block("item", text, tuple(stack), label))
        else:
            blocks.append(Block(kind, text, tuple(stack)))
    return preamble, blocks, headings
