"""Split long answers into Telegram-sized messages at line boundaries."""

from __future__ import annotations

from telegram.constants import MessageLimit

__all__ = ["split_message"]

LIMIT = MessageLimit.MAX_TEXT_LENGTH


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters.

    Pieces end at line breaks; a single line longer than the limit is cut at
    the last space before it (our HTML tags never span lines, so every piece
    stays well-formed).

    Args:
        text: The whole answer.
        limit: Maximum piece length.

    Returns:
        Non-empty pieces, in order.

    """
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            head, line = line[:cut], line[cut:].lstrip()
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()]
