import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from knowledge.text import bigrams, clean, fold, fold_keep_punct, tokens


def test_fold_tones_vowels_and_d():
    assert fold("Đảng đoàn Hội đồng nhân dân") == "dang doan hoi dong nhan dan"


def test_old_and_new_tone_placement_fold_equal():
    assert fold("Khánh Hoà") == fold("Khánh Hòa") == "khanh hoa"
    assert fold("thuỷ sản") == fold("thủy sản")


def test_nfd_input_folds_like_nfc():
    text = "Tỷ lệ che phủ rừng"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == "ty le che phu rung"


def test_numbers_keep_their_separators_and_percent():
    assert fold("đạt trên 46,5%; 5.685 USD; giảm 1/2") == "dat tren 46,5% 5.685 usd giam 1/2"


def test_punctuation_emoji_and_underscores_become_spaces():
    assert fold("nong-thon_moi!!! 🌾 (NTM)") == "nong thon moi ntm"


def test_clean_drops_control_and_zero_width_characters():
    assert clean("a\u200bb\x00c\n\td ") == "a b c d"


def test_fold_keep_punct_keeps_commas():
    assert fold_keep_punct("Quý II/2026, Hòa") == "quy ii/2026, hoa"


def test_tokens_and_bigrams():
    assert tokens("Nông thôn mới") == ["nong", "thon", "moi"]
    assert bigrams(["nong", "thon", "moi"]) == ["nong thon", "thon moi"]


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_ignores_normal_form(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@given(st.text())
def test_fold_output_has_no_marks_or_uppercase(text):
    out = fold(text)
    assert out == out.strip()
    assert "  " not in out
    assert not any(unicodedata.combining(ch) for ch in out)
    assert "đ" not in out


def test_vietnamese_formatting():
    from datetime import date

    from knowledge.formatting import count, day, number

    assert number(5685) == "5.685"
    assert number(46.5) == "46,5"
    assert count(1700, "đồng chí") == "1.700 đồng chí"
    assert day(date(2021, 6, 30)) == "30/06/2021"
