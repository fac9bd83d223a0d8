"""Split long Telegram HTML into messages that Telegram accepts, whatever text they carry.

Telegram counts a message's length after entity parsing (``1-4096 characters after entities
parsing``); parsing never makes a text longer, so we measure the *raw HTML* of each piece in
UTF-16 code units (tags and ``&amp;`` included).  That over-counts and is therefore safe under
any reading of "character" (code points or UTF-16 units).

Pieces never cut a tag or an entity (``&amp;``, ``&lt;``, ``&#123;``); tags open at a cut are
closed at the end of the piece and reopened at the start of the next, so every piece is
balanced HTML.  Cuts prefer a line break, then a space, in the second half of a piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram.constants import MessageLimit

__all__ = ["LIMIT", "plain_text", "split_message", "truncate", "utf16_len"]

LIMIT = MessageLimit.MAX_TEXT_LENGTH

# One atom: a tag, an entity, a run of other characters, or a stray "<" / "&".
_ATOM = re.compile(
    r"(?P<tag><(?P<close>/?)(?P<name>[a-zA-Z][\w-]*)[^<>]*>)"
    r"|(?P<entity>&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});)"
    r"|(?P<text>[^<&]+|[<&])"
)
_TAG = re.compile(r"</?[a-zA-Z][\w-]*[^<>]*>")
# The entities Telegram decodes; any other "&" is text.
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Telegram's offsets count)."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def plain_text(text: str) -> str:
    """``text`` with its tags removed and entities decoded, as Telegram would show it."""
    return _ENTITY.sub(_decode, _TAG.sub("", text))


def _decode(match: re.Match[str]) -> str:
    if match[1]:
        return _NAMED[match[1]]
    code = int(match[2]) if match[2] else int(match[3], 16)
    valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
    return chr(code) if valid else match[0]  # Telegram keeps "&#0;" as written


@dataclass(frozen=True)
class _Open:
    """A tag open at some point: its raw start tag and its end tag."""

    start: str
    end: str
    dropped: bool  # too long to repeat in every piece: sent without the tag

    @property
    def cost(self) -> int:
        return 0 if self.dropped else utf16_len(self.start) + utf16_len(self.end)


@dataclass(frozen=True)
class _Atom:
    """A piece of HTML that is never cut: a tag, an entity or one character."""

    raw: str
    kind: str  # "open", "close" or "text"
    name: str = ""


def _atoms(text: str) -> list[_Atom]:
    out: list[_Atom] = []
    for match in _ATOM.finditer(text):
        if match["tag"]:
            kind = "close" if match["close"] else "open"
            out.append(_Atom(match["tag"], kind, match["name"].lower()))
        elif match["entity"]:
            out.append(_Atom(match["entity"], "text"))
        else:
            out.extend(_Atom(c, "text") for c in match["text"])
    return out


@dataclass(frozen=True)
class _Cut:
    """Where a piece may end: after atom ``index`` and ``size`` body strings, tags open."""

    index: int
    size: int
    stack: tuple[_Open, ...]
    cost: int


class _Splitter:
    """Greedy packing of atoms into pieces of at most ``limit`` UTF-16 units."""

    def __init__(self, atoms: list[_Atom], limit: int) -> None:
        self.atoms = atoms
        self.limit = limit
        self.pieces: list[str] = []

    def run(self) -> list[str]:
        start = 0
        stack: tuple[_Open, ...] = ()
        while start < len(self.atoms):
            start, stack = self._piece(start, stack)
        return self.pieces

    def _piece(self, start: int, stack: tuple[_Open, ...]) -> tuple[int, tuple[_Open, ...]]:
        """Emit one piece from ``start``; return where the next one starts and its open tags."""
        opened = list(stack)
        body = [t.start for t in stack if not t.dropped]
        cost = sum(t.cost for t in opened)
        last = _Cut(start, len(body), stack, cost)
        line = space = None
        visible = False
        for index in range(start, len(self.atoms)):
            atom = self.atoms[index]
            raw, step = self._step(atom, opened)
            if cost + step > self.limit and index > start:
                break
            cost += step
            if raw:
                body.append(raw)
            last = _Cut(index + 1, len(body), tuple(opened), cost)
            if atom.kind == "text":
                visible = visible or not atom.raw.isspace()
                if visible and atom.raw == "\n":
                    line = last
                elif visible and atom.raw.isspace():
                    space = last
        else:
            self._emit(body, last)
            return last.index, last.stack
        cut = next((c for c in (line, space) if c and c.cost > self.limit // 2), last)
        self._emit(body, cut)
        return cut.index, cut.stack

    def _step(self, atom: _Atom, opened: list[_Open]) -> tuple[str, int]:
        """Apply ``atom`` to the open tags; return what it adds to the body, and its cost."""
        if atom.kind == "text":
            return atom.raw, utf16_len(atom.raw)
        end = f"</{atom.name}>"
        if atom.kind == "open":
            overhead = sum(t.cost for t in opened) + utf16_len(atom.raw) + utf16_len(end)
            # Tags repeated in every piece must leave room for text; else drop the tag.
            tag = _Open(atom.raw, end, dropped=overhead > self.limit // 2)
            opened.append(tag)
            return ("", 0) if tag.dropped else (atom.raw, tag.cost)
        if opened and opened[-1].end == end:
            tag = opened.pop()
            return ("", 0) if tag.dropped else (atom.raw, 0)  # paid with its start tag
        return atom.raw, utf16_len(atom.raw)  # a stray end tag: the text is not valid HTML

    def _emit(self, body: list[str], cut: _Cut) -> None:
        ends = [t.end for t in reversed(cut.stack) if not t.dropped]
        piece = "".join(body[: cut.size] + ends)
        if plain_text(piece).strip():
            self.pieces.append(piece)


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split Telegram HTML ``text`` into balanced pieces of at most ``limit`` UTF-16 units.

    Args:
        text: The whole answer (Telegram HTML: escaped text and our tags).
        limit: Maximum raw length of a piece, in UTF-16 code units.

    Returns:
        Pieces with visible text, in order; joined, their visible text is the original's
        (a blank piece, only possible inside a run of whitespace longer than half the limit,
        is left out).

    """
    if limit < 32:
        raise ValueError("limit must leave room for tags and entities")
    if utf16_len(text) <= limit:
        return [text] if plain_text(text).strip() else []
    return _Splitter(_atoms(text), limit).run()


def truncate(text: str, limit: int = LIMIT) -> str:
    """``text`` if it fits, else its first piece (balanced HTML) ending in "…"."""
    if utf16_len(text) <= limit:
        return text
    return split_message(text, limit - 2)[0].rstrip() + "\n…"
