"""Understand a question: normalise it, detect its intent and pull out its slots.

Intent words ("ai chủ trì", "khi nào", "bao nhiêu") say what is asked; the
remaining words say what it is about. Patterns run on folded, expanded text,
so "Ai chu tri", "AI CHỦ TRÌ" and "ai ct" all read the same.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from knowledge.qa.lexicon import PROVINCES, expand
from knowledge.text import clean, fold, fold_keep_punct

__all__ = ["PART_LETTER", "Intent", "ParsedQuery", "other_place", "parse_query"]


class Intent:
    """Names of the intents the engine answers."""

    LEAD = "lead"
    DUE = "due"
    PERIOD = "period"
    APPROVAL = "approval"
    ISSUER = "issuer"
    COORDINATING = "coordinating"
    PRODUCT = "product"
    TASK = "task"
    INDICATOR = "indicator"
    AREA = "indicators_by_area"
    BY_AGENCY = "tasks_by_agency"
    BY_QUARTER = "tasks_by_quarter"
    DUTIES = "duties"
    AGENCY = "agency"
    PASSAGE = "passage"
    EMPTY = "empty"

    TASK_FIELDS = (LEAD, DUE, PERIOD, APPROVAL, ISSUER, COORDINATING, PRODUCT)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Each intent: a pattern on the folded, expanded query, and the spans it
# matches are removed before the topic is searched.
_ISSUER = re.compile(
    r"\b(?:(?:ai|co quan nao|cap nao|ben nao|don vi nao|noi nao) (?:se |ky )?ban hanh|"
    r"ban hanh (?:boi|do|la)(?: ai| co quan nao| cap nao)?|do (?:ai|co quan nao|cap nao) ban hanh|"
    r"co quan ban hanh|cap ban hanh|noi ban hanh|ban hanh o dau|ban hanh\b(?= ?$))(?!\w)"
)
_APPROVAL = re.compile(
    r"\b(?:cap trinh(?: cho y kien)?|trinh (?:cho )?(?:ai|cap nao|co quan nao)(?: cho y kien)?|"
    r"(?:ai|cap nao|co quan nao) (?:cho y kien|thong qua)|cho y kien|thong qua o dau|"
    r"xin y kien (?:ai|cap nao))(?!\w)"
)
_PERIOD = re.compile(
    r"\b(?:thoi gian thuc hien|thuc hien (?:den|toi) (?:nam nao|khi nao|bao gio)|"
    r"thuc hien (?:trong |vao )?(?:giai doan nao|thoi gian nao|bao lau|"
    r"den khi nao|den bao gio|khi nao|nam nao|tu khi nao|trong may nam)|"
    r"giai doan (?:thuc hien|nao)|"
    r"bao lau|ke dai (?:bao lau|den khi nao)|trien khai (?:trong |vao )?(?:giai doan nao|bao lau|"
    r"khi nao)|thoi ky thuc hien)(?!\w)"
)
_DUE = re.compile(
    r"\b(?:thoi gian trinh|thoi gian hoan thanh|han trinh|thoi han(?: trinh)?|han chot|"
    r"khi nao (?:phai |se )?trinh|"
    r"trinh (?:vao |trong )?(?:khi nao|luc nao|bao gio|quy nao|quy may|nam nao|thang nao)|"
    r"(?:bao gio|luc nao|khi nao|quy nao|quy may)(?: thi)?(?: phai| se)? trinh|"
    r"khi nao|bao gio|luc nao|quy may|quy nao|han (?:nop|hoan thanh)|nop khi nao|"
    r"tien do trinh|hoan thanh (?:vao |trong )?(?:nam nao|thang nao|quy nao)|han\b)(?!\w)"
)
# A plan's appendix columns: "cơ quan nào phối hợp", "sản phẩm là gì" ("tổng sản phẩm" is GRDP).
_COORDINATING = re.compile(
    r"\b(?:(?:ai|co quan nao|don vi nao|ben nao|nhung ai|(?:nhung|cac) (?:co quan|don vi) nao)"
    r"(?: se| la| duoc giao| can)? phoi hop(?: thuc hien)?(?: voi)?|"
    r"phoi hop (?:voi )?(?:la )?(?:ai|nhung ai|co quan nao|don vi nao|nhung co quan nao)|"
    r"(?:co quan|don vi) phoi hop(?: thuc hien)?(?: (?:la ai|la|gom|gom nhung ai|nao))?)(?!\w)"
)
_PRODUCT = re.compile(
    r"(?<!tong )\b(?:san pham(?: dau ra| cuoi cung)?(?: cua| la gi| la| gi| nao)+|"
    r"(?:co|cho ra|tao ra|ra|gom|la) (?:nhung )?san pham (?:gi|nao)|ket qua dau ra|"
    r"dau ra (?:la gi|gi)|^san pham)(?!\w)"
)
_LEAD = re.compile(
    r"\b(?:(?:ai|co quan nao|don vi nao|ban nao|noi nao|ben nao|cq nao|ai la nguoi) "
    r"(?:se |la )?(?:chu tri|lam|thuc hien|lo|xay dung|soan|dam nhan|giu)|"
    r"(?:do|la) (?:ai|co quan nao|ban nao|don vi nao)"
    r"(?: chu tri| tham muu| lam| xay dung| thuc hien)?|"
    r"(?:ai|ban nao|co quan nao|don vi nao|do ai|do ban nao|do co quan nao) tham muu|"
    r"co quan chu tri(?: tham muu)?|don vi chu tri|chu tri boi|chu tri(?: tham muu)?|ai lo|"
    r"^ ?ai\b|\bla ai\b|\bai ?$)(?!\w)"
)
_LIST_TASKS = re.compile(
    r"\b(?:(?:nhung|cac|bao nhieu|may) (?:nhiem vu|de an|viec|cong viec|chuong trinh|ke hoach|"
    r"noi dung|van ban)|(?:nhiem vu|de an|viec) (?:nao|gi)|chu tri (?:nhung |cac )?(?:gi|nao)|"
    r"lam nhung (?:gi|viec gi)|danh sach|liet ke|"
    r"(?:chu tri|duoc giao) (?:nhung|cac|bao nhieu)|nhung gi)(?!\w)"
)
_DUTIES = re.compile(
    r"\b(?:trach nhiem|co nhiem vu gi|nhiem vu (?:gi|cua)|phai lam gi|lam gi|can lam gi|"
    r"(?:chi dao|lanh dao) (?:nhung |cac )?(?:gi|viec gi|noi dung gi)|"
    r"to chuc thuc hien|vai tro|duoc giao (?:gi|lam gi)|giao (?:cho )?(?:gi|viec gi))(?!\w)"
)
_QUARTER = re.compile(
    r"\b(?:quy|qui|q)\s*(iv|iii|ii|i|[1-4])\b(?:\s*(?:nam|/|-)?\s*((?:19|20)\d\d))?"
)
_CODE = re.compile(r"(?<![\w.,/])((?:i{1,3}|iv|v)\.\s?\d{1,2}|\d{1,2}\.\d{1,2})(?![\w.,%/])")
# A lettered part of the document named in a question: "phần D", "mục B".
PART_LETTER = re.compile(r"\b(?:phan|muc) ([a-e])\b")
_SPACED_CODE = re.compile(r"\b(?:nhiem vu|nv|de an|muc) (i{1,3}|iv|v) (\d{1,2})\b(?! ?%)")
# Words that only say "a target" or "how much": removed from the topic.
_INDICATOR_MARKERS = re.compile(
    r"\b(?:cac |nhung )?(?:chi tieu|muc tieu)(?: chu yeu| cu the)?\b|\b(?:dat |la )?bao nhieu"
    r"(?: phan tram| %)?|\bphan tram\b|\bbn\b|\bmuc nao\b"
)
_GREETING = re.compile(
    r"^(?:xin chao|chao|chao ban|chao bot|hello|hi|hey|alo|thank you|thanks|thank|cam on|"
    r"cam on ban|ok|oke|good morning|tam biet|bye)(?: ban| bot| nhe| nha| a)*$"
)
_INDICATOR_WORDS = re.compile(
    r"\b(?:chi tieu|muc tieu|bao nhieu|ty le|ty trong|dat (?:bao nhieu|muc)|muc|con so|so lieu)\b"
)
_TASK_WORDS = re.compile(
    r"\b(?:nhiem vu|de an|ke hoach|nghi quyet|quy dinh|chien luoc|phu luc|quy hoach)\b"
)
_AREA_WORDS = {
    "kinh te": ("kinh te",),
    "van hoa xa hoi": ("van hoa", "xa hoi", "van hoa xa hoi"),
    "moi truong": ("moi truong", "tai nguyen", "tai nguyen moi truong"),
    "xay dung dang": ("xay dung dang", "dang", "cong tac dang"),
}
# Question and filler words: they say nothing about the topic.
# Question and filler syllables that never carry the topic. Syllables that are
# also content words once folded stay out: "bao" (bảo hiểm), "cho" (chợ), "thi"
# (thí điểm), "minh" (thông minh), "nha" (Nha Trang).
STOPWORDS = frozenset(
    [
        *("ai", "gi", "nao", "la", "cua", "xin", "oi", "a", "vay", "v", "khong"),
        *("ko", "k", "duoc", "may", "hay", "phai", "voi", "sao", "nhi", "em", "anh", "toi"),
        *("tui", "nhung", "cai", "biet", "xem", "muon", "ok", "oki", "please", "pls", "e"),
        *("r", "j", "ak", "ah", "uh", "um", "nhe", "ne", "nhen", "ad", "admin", "len"),
    ]
)
# Filler phrases removed before the topic is searched.
_FILLER = re.compile(
    r"\b(?:(?:(?:bac|chu|co|anh|chi|ban|thay) )?cho (?:minh|em|toi|tui|anh|chi|chau|con) "
    r"(?:hoi|xin|biet)|xin hoi|vui long|lam on|hien nay|"
    r"(?:bot|ad|admin|ban) oi|cam on|thanks?|cho biet|cho xem|tra cuu|tim kiem|tim|"
    r"thong tin (?:ve|cua)|noi dung (?:ve|cua)|(?:thuoc |la |o )?muc nao(?: trong phu luc)?|"
    r"trong phu luc|o dau|bang cach nao|nhu the nao|the nao|ra sao|duoc noi (?:den|toi) |"
    r"de cap (?:den|toi)|huong toi gi|la gi|gom (?:nhung )?(?:gi|nhung gi)|nhung gi|"
    r"(?:la )?nhung (?:vung|gi|ai|cai) nao|lien quan(?: den| toi)?|thuoc (?:du an|muc|phan) nao|"
    r"(?:cua |trong |theo )?chuong trinh hanh dong(?: nay| cua tinh uy)?(?= |$)(?! thuc hien)|"
    r"(?:chuong trinh |van ban )?(?:co )?(?:nhac|neu|de cap) (?:den|toi) (?:viec )?)\b"
)
# The document as the subject of a question's frame: "chương trình (hành động) đặt ra / yêu cầu /
# xác định ...", "được nhắc (đến) trong phần ...". They say where to look, not what about.
_FRAME = re.compile(
    r"\b(?:(?:chuong trinh|van ban)(?: hanh dong)? nay(?: (?:duoc|da|co))?|"
    r"(?:cua |trong |theo )?(?:chuong trinh|van ban)(?: hanh dong)?(?: nay)? "
    r"(?:co )?(?:dat ra yeu cau|dat yeu cau|dat ra|de ra|dat|yeu cau|xac dinh|neu ra|neu|"
    r"chu truong|quy dinh|nhac|noi gi ve|noi ve|de cap)|"
    r"(?:duoc |co )?(?:nhac|neu)(?: (?:den|toi))?(?: (?:trong|o))? phan(?= [a-z]+ [a-z]+)|"
    r"(?:trong|o|thuoc) phan(?= [a-z]+ [a-z]+)|co nhac(?: (?:den|toi))?|doi voi|"
    r"de (?:thuc hien|trien khai) (?:chuong trinh|van ban)(?: hanh dong)?(?: nay)?(?= ?$)|"
    r"^ ?sau khi|nham (?:muc dich|de lam) gi|nham muc dich nao|muc dich (?:la )?gi|"
    r"con lai|(?:ve )?viec nay|phan dau|^ ?o(?= (?!nhiem\b)[a-z])|co phai|"
    r"(?:theo |trong |o )?phan to chuc thuc hien|"
    r"^ ?(?:mang|linh vuc)(?= \w+ \w+)|"
    r"(?<!tuyen )(?:duoc )?giao(?: cho)?(?= (?:ban|so|uy|hoi|cac|mat|tinh|dang)\b))\b"
)


@dataclass
class ParsedQuery:
    """What the engine needs to know about a question.

    Attributes:
        raw: The question as received.
        text: Cleaned text (NFC, no control characters).
        folded: Folded and expanded text.
        intent: The detected intent (see :class:`Intent`).
        topic: Folded syllables of what the question is about.
        code: A task code named in the question ("5.3", "II.8").
        quarter: ``(quarter, year)`` when the question names one.
        year: A four-digit year named in the question.
        area: An indicator area named in the question (folded).
        wants_list: The question asks for a list ("những nhiệm vụ nào").
        wants_indicator: Words that point to a target ("chỉ tiêu", "bao nhiêu").
        wants_task: Words that point to an appendix task ("đề án", "nhiệm vụ").

    """

    raw: str
    text: str
    folded: str
    intent: str
    topic: list[str] = field(default_factory=list)
    code: str = ""
    quarter: tuple[int, int | None] | None = None
    year: int | None = None
    area: str = ""
    wants_list: bool = False
    wants_duties: bool = False
    wants_indicator: bool = False
    wants_task: bool = False

    def mentions_other_place(self, ambiguous: Callable[[str], bool]) -> str:
        """The first province the question names that is not this programme's, or ""."""
        return other_place(self.folded, ambiguous)


def other_place(folded: str, ambiguous: Callable[[str], bool]) -> str:
    """The first province named in the question that is not this programme's.

    Args:
        folded: The question, folded and expanded.
        ambiguous: Tells whether a folded name is also ordinary text of
            the programme ("hòa bình" = peace, and the province); those
            never count.

    Returns:
        The province as written in :data:`knowledge.qa.lexicon.PROVINCES`, or "".

    """
    words = folded.split()
    if _PROVINCE_PAIRS.isdisjoint(map(" ".join, itertools.pairwise(words))):
        return ""  # no province's first two syllables: most questions
    hay = f" {folded} "
    for name, key in _PROVINCE_KEYS:
        if f" {key} " not in hay or ambiguous(key):
            continue
        # "huyện Khánh Sơn là …" holds "son la" inside a longer name the programme knows.
        first = key.split()[0]
        inside = [
            m.group(1)
            for m in re.finditer(rf"(\w+) {re.escape(key)}(?= )", hay)
            if m.group(1) not in _BEFORE_PLACE and ambiguous(f"{m.group(1)} {first}")
        ]
        if len(inside) < hay.count(f" {key} "):
            return name
    return ""


# Words that come before a place's name, never as part of it ("tỉnh Ninh Thuận").
_BEFORE_PLACE = frozenset(["tinh", "uy", "o", "cua", "tai", "thuoc", "ve", "va", "voi", "cho"])
# Provinces by folded name; one-syllable names are too ambiguous to count.
_PROVINCE_KEYS = tuple((n, fold(n)) for n in PROVINCES if len(fold(n).split()) >= 2)
_PROVINCE_PAIRS = frozenset(" ".join(key.split()[:2]) for _, key in _PROVINCE_KEYS)
# A province opening the question, as its subject.
_SUBJECT_PLACE = re.compile(
    r"^ (?:tinh )?(?:"
    + "|".join(re.escape(k) for _, k in sorted(_PROVINCE_KEYS, key=lambda p: -len(p[1])))
    + r") "
)

_PATTERNS = (
    _COORDINATING,
    _PRODUCT,
    _ISSUER,
    _APPROVAL,
    _PERIOD,
    _DUE,
    _LEAD,
    _LIST_TASKS,
    _DUTIES,
    _INDICATOR_MARKERS,
    _INDICATOR_WORDS,
    _TASK_WORDS,
    _FILLER,
    _FRAME,
    _GREETING,
)


def _without_subject_place(rest: str) -> str:
    """A province as the question's subject ("Khánh Hòa phấn đấu ..."): where, not what."""
    return _SUBJECT_PLACE.sub(" ", rest, count=1)


def intent_vocabulary() -> frozenset[str]:
    """Every word the intent patterns and filler lists know, for typo correction."""
    words = {w for p in _PATTERNS for w in re.findall(r"[a-z]{2,}", p.pattern)}
    return frozenset(words | STOPWORDS)


def intent_pairs() -> frozenset[str]:
    """Adjacent word pairs of the intent phrases ("bao nhieu", "khi nao")."""
    pairs: set[str] = set()
    for p in _PATTERNS:
        for phrase in re.findall(r"[a-z]{2,}(?: [a-z]{2,})+", p.pattern):
            words = phrase.split()
            pairs.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return frozenset(pairs)


def _strip(pattern: re.Pattern[str], text: str) -> tuple[bool, str]:
    found = bool(pattern.search(text))
    return found, pattern.sub(" ", text) if found else text


# The column intents, the first found winning; their phrases leave the topic.
_FIELD_INTENTS = (
    (Intent.COORDINATING, _COORDINATING),
    (Intent.PRODUCT, _PRODUCT),
    (Intent.ISSUER, _ISSUER),
    (Intent.APPROVAL, _APPROVAL),
    (Intent.PERIOD, _PERIOD),
    (Intent.DUE, _DUE),
    (Intent.LEAD, _LEAD),
)


def _area(folded: str) -> str:
    """The indicator area a target question names ("chỉ tiêu về môi trường"), or ""."""
    if "chi tieu" not in folded:
        return ""
    for area, names in _AREA_WORDS.items():
        if any(re.search(rf"\b{w}\b", folded) for w in names):
            return area
    return ""


def parse_query(raw: str, fix: Callable[[list[str]], list[str]] | None = None) -> ParsedQuery:
    """Parse a question.

    Args:
        raw: Any text a user may send.
        fix: Corrects misspelt words of the folded question before intents are
            detected ("bao nhiu" → "bao nhieu"); see
            :meth:`knowledge.qa.index.SearchIndex.correct_unknown`.

    Returns:
        The parsed query; ``intent`` is :attr:`Intent.EMPTY` when nothing
        searchable is left.

    """
    folded = _folded(raw)
    if fix is not None:
        folded = " ".join(fix(folded.split()))
    parsed = _parsed(raw, folded)
    return replace(parsed, topic=list(parsed.topic))  # the caller's own: stages refine it


@lru_cache(maxsize=64)
def _folded(raw: str) -> str:
    """The question cleaned, folded and expanded (the same for every document)."""
    return expand(fold(clean(raw)[:1000]))


@lru_cache(maxsize=64)
def _parsed(raw: str, folded: str) -> ParsedQuery:
    """The question parsed from its folded, corrected text; shared, so never changed.

    A library asks every document the same question: only typo correction depends on the
    document, so each corrected text is parsed once (kept for the last few questions).
    """
    text = clean(raw)[:1000]
    punct = fold_keep_punct(text)
    q = ParsedQuery(raw=raw, text=text, folded=folded, intent=Intent.PASSAGE)
    code = _CODE.search(punct)
    if code:
        q.code = re.sub(r"\s", "", code.group(1)).upper().replace("IV.", "IV.")
    elif spaced := _SPACED_CODE.search(folded):  # "nv ii 8": a part-II code without its dot
        q.code = f"{spaced.group(1).upper()}.{spaced.group(2)}"
    quarter = _QUARTER.search(folded)
    if quarter:
        q.quarter = (_ROMAN[quarter.group(1)], int(quarter.group(2)) if quarter.group(2) else None)
    years = re.findall(r"\b((?:19|20)\d\d)\b", folded)
    q.year = int(years[-1]) if years else None

    rest = _without_subject_place(f" {_FRAME.sub(' ', _FILLER.sub(' ', folded))} ")
    rest = _QUARTER.sub(" ", rest)
    if q.code:
        rest = rest.replace(f" {fold(q.code)} ", " ")
    q.wants_indicator = bool(_INDICATOR_WORDS.search(rest))
    if _GREETING.match(folded.strip()):
        q.intent = Intent.EMPTY
        return q
    rest = _INDICATOR_MARKERS.sub(" ", rest)
    q.wants_task = bool(_TASK_WORDS.search(rest))
    q.wants_duties, rest = _strip(_DUTIES, rest)
    q.wants_list, rest = _strip(_LIST_TASKS, rest)
    for intent, pattern in _FIELD_INTENTS:
        found, rest = _strip(pattern, rest)
        if found and q.intent == Intent.PASSAGE:
            q.intent = intent
    q.area = _area(folded)
    words = [w for w in rest.split() if w not in STOPWORDS]
    q.topic = words
    if not words and not q.code and not q.quarter and q.intent == Intent.PASSAGE:
        q.intent = Intent.EMPTY
    return q
