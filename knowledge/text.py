"""Vietnamese text normalisation: folding, tokenising and n-grams.

Every comparison in ctbot happens on *folded* text: NFC-composed, tone marks and
vowel marks removed, ``đ`` mapped to ``d``, case-folded, punctuation turned into
spaces. Phones send NFC or NFD, old ("hoà") or new ("hòa") tone placement, with
or without diacritics; all of these fold to the same string.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

__all__ = ["bigrams", "clean", "fold", "fold_keep_punct", "tokens"]

# NFD does not decompose đ/Đ (they are letters of their own), so map them first.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
# A token is a number (keeping its inner "," "." "/" so "46,5", "5.685" and "1/2"
# stay whole, with an optional "%") or a run of letters.
_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*%?|[^\W\d_]+")
_SPACES = re.compile(r"\s+")
# Control and format characters (zero-width joiners, BOM, bidi marks) that
# phones and copy-paste sneak into messages.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


def clean(text: str) -> str:
    """Return ``text`` NFC-composed with control characters removed and spaces collapsed.

    Args:
        text: Any string a user may send.

    Returns:
        The string with invisible characters dropped and runs of white space
        collapsed to one space, stripped at both ends.

    """
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # printable text has no control or format characters
        text = "".join(
            " " if unicodedata.category(ch) in _INVISIBLE and not ch.isspace() else ch
            for ch in text
        )
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=8192)
def _fold_chars(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_D_MAP)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def fold_keep_punct(text: str) -> str:
    """Fold diacritics and case but keep punctuation, for pattern matching on values.

    Args:
        text: Text to fold.

    Returns:
        ``text`` without tone or vowel marks, ``đ`` as ``d``, case-folded,
        white space collapsed; punctuation such as ``,`` ``.`` ``/`` ``-`` kept.

    """
    return _SPACES.sub(" ", _fold_chars(text)).strip()


def fold(text: str) -> str:
    """Fold Vietnamese text to a comparable ASCII-like form.

    Folding is idempotent: ``fold(fold(x)) == fold(x)``.

    Args:
        text: Text in any Unicode normal form, with or without diacritics.

    Returns:
        Lower-case words separated by single spaces, without diacritics;
        punctuation becomes a space except inside numbers and a trailing ``%``.

    Example:
        >>> fold("Tỷ lệ che phủ RỪNG: 46,5%")
        'ty le che phu rung 46,5%'
        >>> fold("Hoà") == fold("Hòa") == fold("hoa")
        True

    """
    return " ".join(_TOKEN.findall(_fold_chars(text)))


def tokens(text: str) -> list[str]:
    """Split folded text into syllable tokens (``fold`` is applied first).

    Args:
        text: Any text.

    Returns:
        The folded syllables in order.

    """
    return fold(text).split()


def bigrams(words: list[str]) -> list[str]:
    """Return adjacent syllable pairs joined by a space.

    Vietnamese words are mostly two syllables, so pairs of syllables stand in
    for a word segmenter, which would need diacritics to work.

    Args:
        words: Folded syllables.

    Returns:
        ``["a b", "b c", ...]`` for ``["a", "b", "c", ...]``.

    """
    return [f"{a} {b}" for a, b in itertools.pairwise(words)]
