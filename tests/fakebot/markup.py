"""Telegram ``parse_mode`` handling for the fake (HTML, MarkdownV2, legacy Markdown).

Modelled on TDLib's ``parse_html`` / ``parse_markdown_v2`` / ``parse_markdown``: returns the
plain text plus entities (offsets in UTF-16 code units) or raises :class:`MarkupError` with the
wording Telegram uses after "Bad Request: can't parse entities: ".

>>> parse_text("<b>Chào</b> bạn", "HTML")
('Chào bạn', [{'type': 'bold', 'offset': 0, 'length': 4}])
>>> parse_text("*đậm* \\\\.", "MarkdownV2")
('đậm .', [{'type': 'bold', 'offset': 0, 'length': 3}])
"""

from __future__ import annotations

import re
from typing import Any

from .updates import utf16_len

__all__ = ["MarkupError", "parse_text"]

Entity = dict[str, Any]


class MarkupError(ValueError):
    """The text is not valid for the requested parse mode."""


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Parse ``text`` like Telegram does for ``parse_mode`` and trim surrounding whitespace."""
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        plain, entities = _parse_html(text)
    elif mode == "markdownv2":
        plain, entities = _parse_markdown_v2(text)
    elif mode == "markdown":
        plain, entities = _parse_markdown(text)
    elif mode:
        raise MarkupError(f'Unsupported parse_mode "{parse_mode}"')
    else:
        plain, entities = text, []
    return _trim(plain, entities)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    stripped = text.strip()
    if stripped == text:
        return text, _sorted(entities)
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    out = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            out.append({**entity, "offset": start, "length": end - start})
    return stripped, _sorted(out)


def _sorted(entities: list[Entity]) -> list[Entity]:
    return sorted(
        (e for e in entities if e["length"] > 0), key=lambda e: (e["offset"], -e["length"])
    )


# ---------------------------------------------------------------------------------- HTML
_HTML_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")


def _unescape(value: str) -> str:
    def repl(match: re.Match[str]) -> str:
        if match[1]:
            return _NAMED_ENTITIES[match[1]]
        code = int(match[2]) if match[2] else int(match[3], 16)
        return chr(code) if 0 < code <= 0x10FFFF else match[0]

    return _ENTITY_RE.sub(repl, value)


def _parse_html(text: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    utf16 = 0
    stack: list[dict[str, Any]] = []
    entities: list[Entity] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "&":
            match = _ENTITY_RE.match(text, i)
            decoded = _unescape(match[0]) if match else "&"
            out.append(decoded)
            utf16 += utf16_len(decoded)
            i = match.end() if match else i + 1
            continue
        if char != "<":
            out.append(char)
            utf16 += utf16_len(char)
            i += 1
            continue
        begin = i
        if text.startswith("</", i):
            close = text.find(">", i)
            if close < 0:
                raise MarkupError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
            name = text[i + 2 : close].strip().lower()
            if not stack:
                raise MarkupError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
            top = stack.pop()
            if name != top["tag"]:
                raise MarkupError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{top["tag"]}>", found "</{name}>"'
                )
            _close_html(top, utf16, stack, entities)
            i = close + 1
            continue
        i += 1
        start = i
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise MarkupError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        name = text[start:i].lower()
        if name not in _HTML_TYPES:
            raise MarkupError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}'
            )
        attrs: dict[str, str] = {}
        while True:
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise MarkupError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            if text[i] == ">":
                i += 1
                break
            attr_start = i
            while i < n and text[i] not in "= \t\r\n>":
                i += 1
            attr = text[attr_start:i].lower()
            value = ""
            if i < n and text[i] == "=":
                i += 1
                if i < n and text[i] in "'\"":
                    quote = text[i]
                    end = text.find(quote, i + 1)
                    if end < 0:
                        raise MarkupError(
                            f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                        )
                    value = text[i + 1 : end]
                    i = end + 1
                else:
                    value_start = i
                    while i < n and not text[i].isspace() and text[i] != ">":
                        i += 1
                    value = text[value_start:i]
            if not attr:
                raise MarkupError(f"Empty attribute name at byte offset {_byte_offset(text, i)}")
            attrs[attr] = _unescape(value)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise MarkupError(
                'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        stack.append({"tag": name, "attrs": attrs, "offset": utf16})
    if stack:
        raise MarkupError(f'Can\'t find end tag corresponding to start tag "{stack[-1]["tag"]}"')
    return "".join(out), entities


def _close_html(
    top: dict[str, Any], utf16: int, stack: list[dict[str, Any]], entities: list[Entity]
) -> None:
    tag, attrs, offset = top["tag"], top["attrs"], top["offset"]
    entity: Entity = {"type": _HTML_TYPES[tag], "offset": offset, "length": utf16 - offset}
    if tag == "a":
        href = attrs.get("href", "")
        if not href:
            return
        entity["url"] = href
    elif tag == "code" and stack and stack[-1]["tag"] == "pre":
        language = attrs.get("class", "")
        if language.startswith("language-"):
            stack[-1]["language"] = language[len("language-") :]
            return
    elif tag == "pre" and top.get("language"):
        entity["language"] = top["language"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        emoji_id = attrs.get("emoji-id", "")
        if not emoji_id:
            return
        entity["custom_emoji_id"] = emoji_id
    entities.append(entity)


# ---------------------------------------------------------------------------- MarkdownV2
_V2_RESERVED = "_*[]()~`>#+-=|{}.!"
_V2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "code": "Code",
    "pre": "Pre",
    "custom_emoji": "CustomEmoji",
}


def _reserved(char: str) -> MarkupError:
    return MarkupError(
        f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
    )


def _parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    utf16 = 0
    stack: list[dict[str, Any]] = []
    entities: list[Entity] = []
    quote: dict[str, Any] | None = None
    i, n = 0, len(text)

    def at(index: int) -> str:
        return text[index] if index < n else ""

    def emit(chars: str) -> None:
        nonlocal utf16
        out.append(chars)
        utf16 += utf16_len(chars)

    def close_quote() -> None:
        nonlocal quote
        if quote is None:
            return
        end = utf16 - (1 if out and out[-1].endswith("\n") else 0)
        entities.append(
            {"type": quote["type"], "offset": quote["offset"], "length": end - quote["offset"]}
        )
        quote = None

    while i < n:
        in_code = bool(stack) and stack[-1]["type"] in ("code", "pre")
        if not in_code and (i == 0 or text[i - 1] == "\n"):
            if text.startswith("**>", i):
                close_quote()
                quote = {"type": "expandable_blockquote", "offset": utf16}
                i += 3
                continue
            if text[i] == ">":
                if quote is None:
                    quote = {"type": "blockquote", "offset": utf16}
                i += 1
                continue
            close_quote()
        char = text[i]
        if char == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            emit(text[i + 1])
            i += 2
            continue
        reserved = "`" if in_code else _V2_RESERVED
        if char not in reserved:
            emit(char)
            i += 1
            continue
        top = stack[-1]["type"] if stack else None
        is_end = {
            "bold": char == "*",
            "italic": char == "_" and at(i + 1) != "_",
            "code": char == "`",
            "pre": text.startswith("```", i),
            "text_link": char == "]",
            "custom_emoji": char == "]",
            "underline": text.startswith("__", i),
            "strikethrough": char == "~",
            "spoiler": text.startswith("||", i),
            None: False,
        }[top]
        if (
            quote is not None
            and quote["type"] == "expandable_blockquote"
            and top != "spoiler"
            and text.startswith("||", i)
            and at(i + 2) in ("", "\n")
        ):
            i += 2
            close_quote()
            continue
        if not is_end:
            begin = i
            entity: dict[str, Any] = {"offset": utf16, "byte": _byte_offset(text, begin)}
            if char == "_":
                if at(i + 1) == "_":
                    entity["type"] = "underline"
                    i += 1
                else:
                    entity["type"] = "italic"
            elif char == "*":
                entity["type"] = "bold"
            elif char == "~":
                entity["type"] = "strikethrough"
            elif char == "|":
                if at(i + 1) != "|":
                    raise _reserved(char)
                entity["type"] = "spoiler"
                i += 1
            elif char == "[":
                entity["type"] = "text_link"
                entity["begin"] = len("".join(out))
            elif char == "`":
                if text.startswith("```", i):
                    entity["type"] = "pre"
                    i += 3
                    end = i
                    while end < n and not text[end].isspace() and text[end] != "`":
                        end += 1
                    if end != i and end < n and text[end] != "`":
                        entity["language"] = text[i:end]
                        i = end
                    if at(i) in ("\n", "\r"):
                        i += 2 if at(i + 1) in ("\n", "\r") and at(i + 1) != at(i) else 1
                    stack.append(entity)
                    continue
                entity["type"] = "code"
            elif char == "!" and at(i + 1) == "[":
                entity["type"] = "custom_emoji"
                i += 1
            else:
                raise _reserved(char)
            stack.append(entity)
            i += 1
            continue
        entity = stack.pop()
        kind = entity["type"]
        if kind in ("underline", "spoiler"):
            i += 1
        elif kind == "pre":
            i += 2
        elif kind in ("text_link", "custom_emoji"):
            if at(i + 1) != "(":
                if kind == "custom_emoji":
                    raise MarkupError("Custom emoji entity must contain a tg://emoji URL")
                url = "".join(out)[entity["begin"] :]
            else:
                i += 2
                url_begin = i
                url_chars: list[str] = []
                while i < n and text[i] != ")":
                    if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                        url_chars.append(text[i + 1])
                        i += 2
                        continue
                    url_chars.append(text[i])
                    i += 1
                if i >= n:
                    raise MarkupError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, url_begin)}"
                    )
                url = "".join(url_chars)
            if kind == "custom_emoji":
                match = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
                if not match:
                    raise MarkupError("Custom emoji URL must have an emoji identifier")
                entity["custom_emoji_id"] = match[1]
            elif url:
                entity["url"] = url
            else:
                kind = ""
        if kind:
            final: Entity = {"type": kind, "offset": entity["offset"]}
            final["length"] = utf16 - entity["offset"]
            for key in ("url", "language", "custom_emoji_id"):
                if key in entity:
                    final[key] = entity[key]
            entities.append(final)
        i += 1
    if stack:
        top_entity = stack[-1]
        raise MarkupError(
            f"Can't find end of {_V2_NAMES[top_entity['type']]} entity at byte offset "
            f"{top_entity['byte']}"
        )
    close_quote()
    return "".join(out), entities


# ------------------------------------------------------------------------ legacy Markdown
def _parse_markdown(text: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    utf16 = 0
    entities: list[Entity] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            utf16 += 1
            i += 2
            continue
        if char not in "_*`[":
            out.append(char)
            utf16 += utf16_len(char)
            i += 1
            continue
        begin = i
        kind = {"_": "italic", "*": "bold", "`": "code", "[": "text_link"}[char]
        end_tag = "]" if char == "[" else char
        i += 1
        language = ""
        if text.startswith("```", begin):
            kind, end_tag = "pre", "```"
            i = begin + 3
            line_end = i
            while line_end < n and not text[line_end].isspace() and text[line_end] != "`":
                line_end += 1
            if line_end != i and line_end < n and text[line_end] != "`":
                language = text[i:line_end]
                i = line_end
            if at_newline := (i < n and text[i] == "\n"):
                i += int(at_newline)
        close = text.find(end_tag, i)
        if close < 0:
            raise MarkupError(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}"
            )
        inner = text[i:close]
        entity: Entity = {"type": kind, "offset": utf16, "length": utf16_len(inner)}
        i = close + len(end_tag)
        if kind == "text_link":
            url = ""
            if i < n and text[i] == "(":
                url_end = text.find(")", i)
                if url_end >= 0:
                    url = text[i + 1 : url_end]
                    i = url_end + 1
            if url:
                entity["url"] = url
            else:
                entity = {}
        if language:
            entity["language"] = language
        out.append(inner)
        utf16 += utf16_len(inner)
        if entity:
            entities.append(entity)
    return "".join(out), entities
