"""Detect text typed in the old TCVN3 (ABC, ".VnTime") or VNI font encodings.

Before Unicode, Vietnamese was typed with fonts that draw Vietnamese letters in
place of Latin-1 symbols: "Céng hoµ x· héi chñ nghÜa ViÖt Nam" (TCVN3) or
"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam" (VNI). Such text reaches us as
Latin-1 characters and would load as garbage; it is refused instead.

Unicode Vietnamese uses a few Latin-1 letters (à á â ã è é ê ì í ò ó ô õ ù ú
ý) and many beyond it (ă đ ơ ư ạ ả ấ ...). Legacy text has no letters beyond
Latin-1 and many Latin-1 characters Vietnamese never uses.
"""

from __future__ import annotations

from knowledge.errors import SourceError

__all__ = ["check_unicode", "legacy_encoding"]

_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Characters TCVN3 uses for frequent letters: µ=à ¸=á ¶=ả ·=ã ¹=ạ ¨=ă ©=â ª=ê «=ô ¬=ơ ­=ư ®=đ.
_TCVN3 = set("µ¸¶·¹¨©ª«¬\xad®ÖÜ×ÒÞøñ")
_MIN_SUSPECT = 12


def legacy_encoding(text: str) -> str | None:
    """Name the legacy encoding ``text`` seems typed in, or None when it is Unicode.

    Example:
        >>> legacy_encoding("Céng hoµ x· héi chñ nghÜa ViÖt Nam " * 3)
        'TCVN3'
        >>> legacy_encoding("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam " * 3)
        'VNI'
        >>> legacy_encoding("Cộng hòa xã hội chủ nghĩa Việt Nam " * 3) is None
        True

    """
    beyond = sum(1 for c in text if ord(c) > 0xFF and c.isalpha())
    odd = [c for c in text if 0xA0 <= ord(c) <= 0xFF and c not in _VIETNAMESE_LATIN1]
    if len(odd) < _MIN_SUSPECT or len(odd) < 5 * beyond:
        return None
    tcvn3 = sum(1 for c in odd if c in _TCVN3)
    return "TCVN3" if tcvn3 * 2 >= len(odd) else "VNI"


def check_unicode(text: str, name: str = "the file") -> None:
    """Refuse text in a legacy font encoding, saying how to convert it.

    Raises:
        SourceError: The text looks like TCVN3 or VNI.

    """
    found = legacy_encoding(text)
    if found:
        raise SourceError(
            f"{name}: the text looks typed in the old {found} font encoding, not Unicode; "
            "convert it to Unicode first (e.g. UniKey's converter, Unikey → Công cụ → "
            f"Chuyển mã, from {found} to Unicode) and load it again",
            vi=f"{name}: văn bản gõ bằng bảng mã {found} cũ, không phải Unicode; hãy chuyển "
            f"sang Unicode (UniKey → Công cụ → Chuyển mã, từ {found} sang Unicode) rồi gửi lại",
        )
