"""split_message: every piece is balanced Telegram HTML within the limit, text kept whole."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.chunks import LIMIT, plain_text, split_message, truncate, utf16_len
from tests.fakebot import FakeTelegram
from tests.fakebot.markup import parse_text


class _Balanced(HTMLParser):
    """Reference reader (stdlib): collects visible text, fails on unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible(piece: str) -> str:
    """The text a reader sees, checking on the way that ``piece`` is balanced."""
    reader = _Balanced()
    reader.feed(piece)
    reader.close()
    assert reader.stack == [], f"unclosed {reader.stack}"
    return "".join(reader.text)


def check(text: str, limit: int, *, exact: bool = True) -> list[str]:
    """Split ``text`` and check every piece; return the pieces.

    With ``exact=False`` blank pieces may be left out (a run of whitespace longer than half
    the limit, or whitespace between tags that fill a small limit), so only the non-blank text
    is compared.
    """
    pieces = split_message(text, limit)
    for piece in pieces:
        assert utf16_len(piece) <= limit
        plain, _ = parse_text(piece, "HTML")  # Telegram's rules (the fake): no MarkupError
        assert plain.strip() and plain_text(piece).strip() == plain
    joined, original = "".join(visible(p) for p in pieces), visible(text)
    if not exact:
        joined, original = re.sub(r"\s", "", joined), re.sub(r"\s", "", original)
    # Whole text, in order; only whitespace after the last visible character may go.
    assert original.startswith(joined) and original[len(joined) :].strip() == ""
    return pieces


# ----------------------------------------------------------------------- generated HTML
_SEP = st.sampled_from([" ", "\n", "  ", " \n", "\n\n"])
_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
_WORD = st.one_of(
    st.text(_CHARS, min_size=1, max_size=12).map(lambda w: html.escape(w, quote=False)),
    st.sampled_from(["&", "<", ">", "&amp;", "<b>", "Tỉnh ủy", "😀👍", "x<y", "a&b"]).map(
        lambda w: html.escape(w, quote=False)
    ),
    st.integers(0x21, 0xD7FF).filter(lambda c: chr(c).strip() != "").map(lambda c: f"&#{c};"),
)
_LEAF = st.builds(lambda w, s: w + s, _WORD, st.one_of(st.just(""), _SEP))
_TEXT = st.lists(_LEAF, min_size=1, max_size=8).map("".join)
_HREF = st.text(_CHARS, max_size=30).map(
    lambda t: f'<a href="https://vd.gov.vn/{html.escape(t, quote=True)}">'
)


def _wrap(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Our tags: <b>/<i> hold anything, <code> and <a> only text (Telegram's nesting rules)."""
    inline = st.lists(children, min_size=1, max_size=4).map("".join)
    return st.one_of(
        _TEXT,
        st.builds(lambda t, s: f"<{t}>{s}</{t}>", st.sampled_from(["b", "i"]), inline),
        _TEXT.map(lambda s: f"<code>{s}</code>"),
        st.builds(lambda a, s: f"{a}{s}</a>", _HREF, _TEXT),
    )


MESSAGES = st.lists(st.recursive(_TEXT, _wrap, max_leaves=25), min_size=1, max_size=12).map(
    "".join
)


@settings(max_examples=150, deadline=None)
@given(text=MESSAGES, limit=st.integers(40, 400))
def test_pieces_are_balanced_short_and_keep_the_text(text: str, limit: int) -> None:
    # A piece that would hold only whitespace (tags can fill a small limit) is left out, as
    # Telegram refuses blank messages and trims every message anyway: compare visible text.
    check(text, limit, exact=False)


@settings(max_examples=20, deadline=None)
@given(text=MESSAGES)
def test_at_telegrams_limit(text: str) -> None:
    long = "\n".join([text] * (3 * LIMIT // len(text) + 1))  # three pieces or more
    assert len(check(long, LIMIT)) >= 3


# ------------------------------------------------------------------------- known cases
def test_a_short_text_is_one_piece_unchanged() -> None:
    text = "<b>Nhiệm vụ 5.3</b>: 60% &amp; &lt;đúng hạn&gt;"
    assert split_message(text) == [text]
    assert split_message(" \n ") == []


def test_entities_are_never_cut() -> None:
    text = "&amp;&lt;&gt;&#123;&#x1F600;" * 100
    pieces = check(text, 50)
    assert len(pieces) > 10
    for piece in pieces:
        assert re.fullmatch(r"(&(?:amp|lt|gt|#123|#x1F600);)+", piece), piece


def test_tags_open_at_a_cut_are_closed_and_reopened() -> None:
    text = '<b>đậm <i>nghiêng <a href="https://vd.gov.vn/?a=1&amp;b=2">' + "liên kết " * 40
    text += "</a></i></b> hết"
    pieces = check(text, 120)
    assert pieces[0].startswith('<b>đậm <i>nghiêng <a href="https://vd.gov.vn/?a=1&amp;b=2">')
    assert pieces[0].endswith("</a></i></b>")
    assert pieces[1].startswith('<b><i><a href="https://vd.gov.vn/?a=1&amp;b=2">liên kết')
    assert pieces[-1].endswith("</a></i></b> hết")


def test_cuts_prefer_line_breaks_then_spaces() -> None:
    lines = [f"Dòng {n}: " + "chữ " * 8 for n in range(30)]
    pieces = check("\n".join(lines), 200)
    assert all(p.endswith("\n") for p in pieces[:-1])
    words = check("chữ " * 300, 100)
    assert all(p.endswith(" ") for p in words[:-1])


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    pieces = check("<code>" + "x" * 500 + "</code>", 100)
    assert all(len(p) == 100 for p in pieces[:-1])


def test_length_is_counted_in_utf16_units_of_the_raw_html() -> None:
    pieces = check("😀" * 300, 101)  # 2 units each
    assert [utf16_len(p) for p in pieces] == [100, 100, 100, 100, 100, 100]
    assert utf16_len("&amp;") == 5 and utf16_len("ủy") == 2


def test_a_long_run_of_whitespace_gives_no_blank_piece() -> None:
    pieces = check("đầu" + " " * 500 + "\n" * 300 + "cuối", 64, exact=False)
    assert pieces[0].startswith("đầu") and pieces[-1].endswith("cuối")


def test_tags_too_long_to_repeat_are_dropped_not_the_text() -> None:
    href = '<a href="https://vd.gov.vn/' + "q" * 60 + '">'
    text = f"<b>{href}{'chữ ' * 50}</a></b>"
    pieces = check(text, 100)
    assert all("href" not in p for p in pieces) and all(p.startswith("<b>") for p in pieces)


def test_an_invalid_input_still_gives_pieces_within_the_limit() -> None:
    pieces = split_message("<b>mở " * 200 + "</i>" * 50, 100)
    assert pieces and all(utf16_len(p) <= 100 for p in pieces)


def test_a_too_small_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        split_message("x" * 100, 10)


def test_truncate_keeps_the_first_piece_balanced() -> None:
    card = "<b>Mục C.I.7</b>\n" + "<i>đoạn &amp; đoạn</i> " * 400
    short = truncate(card, 1000)
    assert utf16_len(short) <= 1000 and short.endswith("</i>\n…")
    assert visible(short).startswith("Mục C.I.7\nđoạn & đoạn")
    assert truncate("ngắn", 1000) == "ngắn"


def test_plain_text_removes_tags_and_decodes_entities() -> None:
    assert plain_text('<b>a &amp; <a href="x">b</a></b> &lt;c&gt;') == "a & b <c>"


def test_every_piece_of_a_long_note_is_accepted_by_the_fake() -> None:
    note = html.escape("Ghi chú <dài> & có ký tự đặc biệt; 😀 " * 120, quote=False)
    text = f"✅ <b>Đã ghi nhận nhiệm vụ 5.3</b>\n<i>{note}</i>\n<code>{note}</code>"
    fake = FakeTelegram()
    for piece in check(text, LIMIT):
        status, body = fake.handle(
            "sendMessage", {"chat_id": "1", "text": piece, "parse_mode": "HTML"}
        )
        assert status == 200, body
    assert len(fake.sent_texts()) >= 3
