"""Abbreviations and synonyms cadres use, in display form and folded form.

The tables are data, not code: extend them when users type something new.
Keys are matched as whole folded words, so "tp" expands but "tpp" does not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.text import fold

__all__ = ["ABBREVIATIONS", "PROVINCES", "SYNONYMS", "abbreviate", "expand", "expand_display"]

# Abbreviation → expansion, as written in documents of this genre.
ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "CSĐ": "cán sự đảng",
    "BCSĐ": "Ban cán sự đảng",
    "MTTQ": "Mặt trận Tổ quốc",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "BTV": "Ban Thường vụ",
    "BTVTU": "Ban Thường vụ Tỉnh ủy",
    "TTTU": "Thường trực Tỉnh ủy",
    "BCH": "Ban Chấp hành",
    "UBKT": "Ủy ban Kiểm tra",
    "TU": "Tỉnh ủy",
    "TW": "Trung ương",
    "NQ": "Nghị quyết",
    "CTr": "Chương trình",
    "NTM": "nông thôn mới",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "BHTN": "bảo hiểm thất nghiệp",
    "KKT": "khu kinh tế",
    "KCN": "khu công nghiệp",
    "CCN": "cụm công nghiệp",
    "DTTS": "dân tộc thiểu số",
    "ĐBDTTS": "đồng bào dân tộc thiểu số",
    "TP": "thành phố",
    "TX": "thị xã",
    "CĐS": "chuyển đổi số",
    "CNTT": "công nghệ thông tin",
    "KHCN": "khoa học - công nghệ",
    "KH&CN": "khoa học và công nghệ",
    "GDĐT": "giáo dục - đào tạo",
    "GD": "giáo dục",
    "KTXH": "kinh tế - xã hội",
    "KT-XH": "kinh tế - xã hội",
    "CT-XH": "chính trị - xã hội",
    "QP": "quốc phòng",
    "AN": "an ninh",
    "QPAN": "quốc phòng, an ninh",
    "DN": "doanh nghiệp",
    "ĐV": "đảng viên",
    "TCCSĐ": "tổ chức cơ sở đảng",
    "TCCS": "tổ chức cơ sở",
    "CQ": "cơ quan",
    "XK": "xuất khẩu",
    "NSNN": "ngân sách nhà nước",
    "NS": "ngân sách",
    "HTX": "hợp tác xã",
    "ATTP": "an toàn thực phẩm",
    "CLB": "câu lạc bộ",
    "PCTN": "phòng, chống tham nhũng",
    "TTHC": "thủ tục hành chính",
    "CCHC": "cải cách hành chính",
    "DVC": "dịch vụ công",
    "VN": "Việt Nam",
    "QL": "Quốc lộ",
    "SX": "sản xuất",
    "GPMB": "giải phóng mặt bằng",
    "ĐH": "Đại hội",
    "NN": "nông nghiệp",
}

# Provinces and centrally-run cities: a question about another one is not about this
# programme ("Bình Định đặt chỉ tiêu tăng trưởng bao nhiêu").
PROVINCES = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Hồ Chí Minh",
    "Sài Gòn",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)

# Folded phrase a user may type → folded phrase the document uses.
SYNONYMS: dict[str, str] = {
    "ti": "ty",
    "ty dong": "ty dong",
    "ket nap dang vien": "phat trien dang vien",
    "ket nap": "phat trien",
    "dang vien moi": "phat trien dang vien",
    "dang vien phat trien moi": "phat trien dang vien",
    "nganh y": "y te",
    "chi so": "chi so",
    "nha o xa hoi": "nha o xa hoi",
    "rung che phu": "che phu rung",
    "do che phu": "che phu",
    "dien tich rung": "che phu rung",
    "ngheo": "ngheo",
    "ho can ngheo": "ho can ngheo",
    "that nghiep": "that nghiep",
    "bac sy": "bac si",
    "benh vien": "benh vien",
    "nuoc sinh hoat": "nuoc sach",
    "rac thai sinh hoat": "chat thai ran do thi",
    "gdp": "grdp",
    # A member of the provincial Party committee, as the document says it.
    "tinh uy vien": "uy vien ban chap hanh dang bo tinh",
    "d c": "dong chi",  # "đ/c"
    "thu nhap tinh theo grdp": "grdp binh quan dau nguoi",
    "tren moi nguoi dan": "binh quan dau nguoi",
    "thu nhap binh quan": "grdp binh quan dau nguoi",
    "thu nhap dau nguoi": "grdp binh quan dau nguoi",
    "binh quan dau nguoi": "binh quan dau nguoi",
    "tang truong": "tang truong",
    "kim ngach": "kim ngach",
    "dau tu cong": "dau tu",
    "chinh quyen so": "chinh quyen so",
    "chuyen doi so": "chuyen doi so",
    "dong bao dan toc": "dong bao dan toc thieu so",
    "van dan": "10.000 dan",
    "1 van dan": "10.000 dan",
    "mot van dan": "10.000 dan",
    "nghin dan": "10.000 dan",
    "muoi nghin dan": "10.000 dan",
    "10000 dan": "10.000 dan",
    "10k dan": "10.000 dan",
    "phe duyet": "cho y kien",
    "duyet": "cho y kien",
    "xin y kien": "cho y kien",
    "deadline": "thoi gian trinh",
    "han chot": "thoi gian trinh",
    "phu trach": "chu tri",
    "dam nhiem": "chu tri",
    "dau moi": "chu tri",
    "tri tue nhan tao": "tri thong minh nhan tao",
    # Sector names as cadres say them and as programmes write them.
    "doanh nghiep tu nhan": "don vi kinh te tu nhan",
    "doanh nghiep ngoai nha nuoc": "don vi kinh te tu nhan",
    "doan the": "doan thanh nien va cong doan",
    "khoi nong nghiep": "nganh nong nghiep",
    "khoi cong nghiep": "nganh cong nghiep",
    "khoi dich vu": "nganh dich vu",
    "nong nghiep thuy san": "nong lam thuy san",
    "nong nghiep va thuy san": "nong lam thuy san",
    # Chat shorthand.
    "bao h": "bao gio",
    "bh": "bao gio",
    "ntn": "nhu the nao",
    "dc": "duoc",
    "vs": "voi",
    "j": "gi",
    "sp": "san pham",
    "nv": "nhiem vu",
    "cq": "co quan",
    "du lieu lon": "du lieu lon",
    "truong dh": "truong dai hoc",
    "dh khanh hoa": "dai hoc khanh hoa",
    "dh nha trang": "dai hoc nha trang",
    "nha o xh": "nha o xa hoi",
}

_ABBREV_FOLDED = {fold(k): fold(v) for k, v in ABBREVIATIONS.items()}
# "TU" and "AN" are ordinary syllables too ("tu" = tư, "an" = an); expand them
# only in agency names, not in free queries.
_QUERY_SKIP = {"tu", "an", "gd", "ns", "nn", "cq", "sx", "dh", "dv", "ql", "vn", "qp", "xk", "dn"}


def _phrase_pattern(keys: list[str]) -> re.Pattern[str]:
    keys = sorted(keys, key=len, reverse=True)
    return re.compile(r"(?<![\w.,])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")


_QUERY_ABBREV = {k: v for k, v in _ABBREV_FOLDED.items() if k not in _QUERY_SKIP and " " not in k}
_ABBREV_RE = _phrase_pattern(list(_QUERY_ABBREV))
_ALL_ABBREV_RE = _phrase_pattern(list(_ABBREV_FOLDED))
_SYN_RE = _phrase_pattern([k for k, v in SYNONYMS.items() if k != v])


@lru_cache(maxsize=4096)
def expand(folded: str, agency: bool = False) -> str:
    """Expand abbreviations and synonyms in folded text.

    Args:
        folded: Text already passed through :func:`knowledge.text.fold`.
        agency: Expand every abbreviation, including ones that are ordinary
            syllables in free text ("TU" = Tỉnh ủy).

    Returns:
        Folded text with abbreviations spelled out and the user's synonyms
        replaced by the document's words.

    Example:
        >>> expand("ban csd ubnd tinh")
        'ban can su dang uy ban nhan dan tinh'

    """
    pattern, table = (_ALL_ABBREV_RE, _ABBREV_FOLDED) if agency else (_ABBREV_RE, _QUERY_ABBREV)
    text = pattern.sub(lambda m: table[m.group(0)], folded)
    text = re.sub(r"(\d+) van\b", lambda m: f"{int(m.group(1)) * 10000:,}".replace(",", "."), text)
    return _SYN_RE.sub(lambda m: SYNONYMS[m.group(0)], text)


def expand_display(name: str) -> str:
    """Spell out the abbreviations in a name, keeping its diacritics.

    Args:
        name: A name as written, e.g. "Ban CSĐ UBND tỉnh".

    Returns:
        The name with known abbreviations replaced by their expansion, e.g.
        "Ban cán sự đảng Ủy ban nhân dân tỉnh".

    """
    words = name.split()
    out = [ABBREVIATIONS.get(w, w) if w.isupper() or w in ABBREVIATIONS else w for w in words]
    return " ".join(out)


_REVERSE = sorted(
    ((v, k) for k, v in ABBREVIATIONS.items() if len(v.split()) >= 2),
    key=lambda kv: len(kv[0]),
    reverse=True,
)


def abbreviate(name: str) -> str:
    """Return the usual abbreviated spelling of a name ("Ủy ban nhân dân" → "UBND").

    Args:
        name: A name with its diacritics.

    Returns:
        The name with long forms replaced by abbreviations; equal to ``name``
        when nothing applies.

    """
    out = name
    for long, short in _REVERSE:
        if short in {"BTVTU", "UBMTTQ", "MTTQVN", "BCSĐ", "ĐBDTTS", "KH&CN"}:
            continue
        out = re.sub(re.escape(long), short, out, flags=re.IGNORECASE)
    return out
