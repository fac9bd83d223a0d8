"""Normalise the bodies a programme names and find the ones a text mentions.

"Ban CSĐ UBND tỉnh" in the appendix and "Ban cán sự đảng Ủy ban nhân dân tỉnh"
in part D are one body: names are keyed by their folded, abbreviation-expanded
form, displayed in full, and known by every spelling seen plus the usual short
forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from knowledge.programme.model import Agency, Responsibility, Task
from knowledge.qa.lexicon import abbreviate, expand, expand_display
from knowledge.text import clean, fold

__all__ = [
    "AgencyIndex",
    "agency_key",
    "build_agencies",
    "cut_spans",
    "responsibility_subject",
    "split_names",
    "with_mentioned_bodies",
]

# Where the list of bodies at the start of a part D item ends: the first verb.
_SUBJECT_END = re.compile(
    r"\b(?:lanh dao|chi dao|xay dung|can cu|tren co so|chu dong|thuong xuyen|to chuc quan|"
    r"to chuc thuc|giup(?! viec)|chu tri|trien khai|thuc hien|phoi hop|kiem tra|co trach nhiem|"
    r"chiu trach nhiem|co nhiem vu|quan triet|ban hanh|theo doi|huong dan|"
    r"cu the hoa|dinh ky|bao cao|giam sat|van dong|tang cuong|tuyen truyen|dam bao|nang cao|"
    r"day manh|tham gia|ra soat|doi moi)\b"
)


def agency_key(name: str) -> str:
    """Return the identity key of a body: its folded name with abbreviations expanded.

    Args:
        name: A body's name in any spelling.

    Returns:
        The key; two spellings of one body give the same key.

    Example:
        >>> agency_key("Ban CSĐ UBND tỉnh") == agency_key("Ban cán sự đảng Ủy ban nhân dân tỉnh")
        True

    """
    return expand(fold(_DEPARTMENT_KEYS.get(fold(name).strip(), name)), agency=True)


# Words a body's name starts with: a new name begins after a comma or "và"
# only when one of these follows ("Sở Văn hóa, Thể thao và Du lịch" is one body).
_BODY_HEAD = re.compile(
    r"^(?:cac|ban|so|uy ban|ubnd|hdnd|ubmttq|mttq|hoi dong|hoi|dang doan|dang uy|cong an|"
    r"thuong truc|tinh uy|tinh doan|huyen uy|thi uy|thanh uy|mat tran|van phong|truong|bo|"
    r"lien doan|cuc|chi cuc|vien|toa an|dai|bao|doan|btv|tttu|ban can su|kho bac|ngan hang)\b"
)


# Departments' short forms since the 2025 mergers, as plans write them in tables.
DEPARTMENTS = {
    "Sở NN&MT": "Sở Nông nghiệp và Môi trường",
    "Sở KH&CN": "Sở Khoa học và Công nghệ",
    "Sở GD&ĐT": "Sở Giáo dục và Đào tạo",
    "Sở VH,TT&DL": "Sở Văn hóa, Thể thao và Du lịch",
    "Sở VHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "Sở TC": "Sở Tài chính",
    "Sở XD": "Sở Xây dựng",
    "Sở CT": "Sở Công Thương",
}
# A department's short form is keyed as its full name ("Sở NN&MT" is "Sở Nông nghiệp và ...").
_DEPARTMENT_KEYS = {fold(short): full for short, full in DEPARTMENTS.items()}
# "các sở, ban, ngành" names one group of bodies, not three.
_SO_BAN_NGANH = re.compile(r"\b(sở), (ban), (ngành)\b", re.I)


def cut_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each body mention ``spans`` found in it replaced by a space.

    Example:
        >>> cut_spans("ban dan van lam gi", [(0, 11, "Ban Dân vận")])
        '  lam gi'

    """
    for start, end, _ in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def split_names(cell: str) -> list[str]:
    """Split text listing several bodies ("Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy").

    A comma or "và" separates two bodies only when the next piece starts like
    a body's name, so "Sở Văn hóa, Thể thao và Du lịch" stays whole.

    Args:
        cell: A table cell or the subject of a part D item.

    Returns:
        The names, stripped, in order.

    """
    cell = _SO_BAN_NGANH.sub("\\1\u00a0\\2\u00a0\\3", cell)
    names = _split(cell)
    return [n.replace("\u00a0", ", ") for n in names]


def _split(cell: str) -> list[str]:
    pieces = [p.strip(" .") for p in re.split(r"(?:[,;]|\s+và\s+|\n)\s*", cell)]
    seps = re.findall(r"(?:[,;]|\s+và\s+|\n)\s*", cell)
    names: list[str] = []
    for i, piece in enumerate(pieces):
        if not piece:
            continue
        if names and not _BODY_HEAD.match(fold(piece)):
            names[-1] = f"{names[-1]}{seps[i - 1].rstrip() if ',' in seps[i - 1] else seps[i - 1]}"
            names[-1] = f"{names[-1].rstrip()} {piece}".replace(" ,", ",")
        else:
            names.append(piece)
    return names


def responsibility_subject(text: str) -> str:
    """Return the bodies a part D item addresses, as written at its start.

    Args:
        text: The item text without its number.

    Returns:
        The words before the first verb ("Đảng đoàn Hội đồng nhân dân tỉnh"),
        without a leading "Giao".

    """
    words = text.split()
    folded_words = [fold(w) for w in words]
    for i in range(1, len(words)):
        tail = " ".join(folded_words[i : i + 3])
        # A capitalised word is part of a name ("Ủy ban Kiểm tra"), not a verb.
        if _SUBJECT_END.match(tail) and not words[i][0].isupper():
            subject = " ".join(words[:i])
            break
    else:
        subject = " ".join(words[:12])
    subject = re.sub(r"^(?:Giao|Đề nghị|Yêu cầu)\s+", "", subject)
    return subject.strip(" ,;:")


def _subject_bodies(subject: str) -> list[str]:
    """Bodies named in a subject ("A, B và C")."""
    return split_names(subject)


def responsibility_subjects(text: str) -> list[str]:
    """Every subject of a part D item, its own first.

    Later clauses that start with a body ("...; Ủy ban Mặt trận Tổ quốc Việt
    Nam tỉnh và ... giám sát") add their subjects.

    Args:
        text: The item text without its number.

    Returns:
        Subjects as written, the item's own first.

    """
    subjects = [responsibility_subject(text)]
    for clause in re.split(r";\s+|\.\s+", text)[1:]:
        clause = clause.strip()
        if clause[:1].isupper() and _BODY_HEAD.match(fold(clause)):
            subject = responsibility_subject(clause)
            if subject and subject not in subjects and len(subject.split()) <= 20:
                subjects.append(subject)
    return subjects


def _short_forms(name: str) -> list[str]:
    """Usual shorter spellings, each rule applied on top of the others."""
    rules: list[Callable[[str], str]] = [
        lambda n: re.sub(r"^Ban Thường vụ (.+)$", r"\1", n),
        lambda n: n[: -len(" Tỉnh ủy")] if n.endswith(" Tỉnh ủy") and len(n.split()) > 3 else n,
        lambda n: n[: -len(" tỉnh")] if n.endswith(" tỉnh") and len(n.split()) > 3 else n,
        lambda n: n.replace("Việt Nam ", ""),
        lambda n: n[len("Ủy ban ") :] if n.startswith("Ủy ban Mặt trận") else n,
    ]
    forms = {name}
    for _ in rules:
        forms |= {rule(f) for f in forms for rule in rules}
    forms |= {abbreviate(f) for f in forms}
    forms.discard(name)
    return sorted(forms, key=lambda f: (-len(f), f))  # ties by spelling: the same on every run


def build_agencies(tasks: Iterable[Task], bodies: Iterable[str]) -> list[Agency]:
    """Collect the bodies named by tasks and responsibilities, merged by key.

    A short form (e.g. "Tỉnh đoàn" for "Ban Thường vụ Tỉnh đoàn", "Ban Tuyên
    giáo" for "Ban Tuyên giáo Tỉnh ủy") becomes an alias only when it names no
    other body.

    Args:
        tasks: Appendix tasks (lead, approval, issuer, coordinating columns).
        bodies: Names of bodies from the responsibilities.

    Returns:
        Agencies sorted by name.

    """
    spellings: dict[str, list[str]] = {}

    def add(raw: str) -> None:
        raw = clean(raw)
        if len(raw) < 3 or (not _BODY_HEAD.match(fold(raw)) and not raw[0].isupper()):
            return
        full = DEPARTMENTS.get(raw)
        if full:
            names = spellings.setdefault(agency_key(full), [])
            names[:0] = [] if full in names else [full]
        spellings.setdefault(agency_key(full or raw), []).append(raw)

    for task in tasks:
        for cell in (task.lead, task.issuer, task.approval, task.coordinating):
            for name in split_names(cell):
                add(name)
    for body in bodies:
        add(body)
    displays = {key: expand_display(names[0]) for key, names in spellings.items()}
    short_owner: dict[str, set[str]] = {}
    for key, display in displays.items():
        for form in _short_forms(display):
            short_owner.setdefault(agency_key(form), set()).add(key)
    agencies = []
    for key, display in displays.items():
        aliases: list[str] = []
        for form in [*spellings[key], *_short_forms(display)]:
            form_key = agency_key(form)
            unique = short_owner.get(form_key, {key}) == {key} and (
                form_key == key or form_key not in displays
            )
            if form != display and form not in aliases and unique and len(form) >= 4:
                aliases.append(form)
        agencies.append(Agency(name=display, aliases=tuple(aliases)))
    return sorted(agencies, key=lambda a: fold(a.name))


def _as_typed(form: str) -> str:
    """A spelling as a question reads it, when that differs from its key.

    Questions expand fewer abbreviations than names do ("NN" stays "nn" in free text), so
    "Sở NN&MT" is also known as "so nn mt". Only names of two words or more get this form.
    """
    typed = expand(fold(form))
    return typed if len(typed.split()) >= 2 else agency_key(form)


class AgencyIndex:
    """Finds which known bodies a text mentions, by any of their spellings."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        """Index the spellings of ``agencies``.

        Args:
            agencies: The bodies to recognise.

        """
        self._forms: list[tuple[str, str]] = []
        for agency in agencies:
            for form in (agency.name, *agency.aliases):
                self._forms.append((agency_key(form), agency.name))
                typed = _as_typed(form)
                if typed != agency_key(form):
                    self._forms.append((typed, agency.name))
        self._forms.sort(key=lambda kv: len(kv[0]), reverse=True)
        # Which forms start with each word: a text is only checked for the forms its words start.
        self._starting: dict[str, list[int]] = {}
        for n, (form, _) in enumerate(self._forms):
            self._starting.setdefault(form.split(" ", 1)[0], []).append(n)

    def _candidates(self, hay: str) -> list[tuple[str, str]]:
        """The forms (longest first, as :attr:`_forms`) whose first word the text holds."""
        found = {n for w in set(hay.split()) for n in self._starting.get(w, ())}
        return [self._forms[n] for n in sorted(found)]

    def forms(self) -> list[str]:
        """Every known spelling, folded as :func:`agency_key` folds."""
        return [form for form, _ in self._forms]

    def mentioned(self, text: str, *, folded: bool = False) -> list[str]:
        """Names of the bodies mentioned in ``text``, longest spelling first, no overlaps.

        Args:
            text: Text to search.
            folded: ``text`` is already folded and expanded.

        Returns:
            Canonical names, in order of first appearance.

        """
        hay = f" {text if folded else agency_key(text)} "
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for form, name in self._candidates(hay):
            if f" {form} " not in hay:
                continue
            for m in re.finditer(rf"(?<= ){re.escape(form)}(?= )", hay):
                span = (m.start(), m.end())
                if any(a < span[1] and span[0] < b for a, b in taken):
                    continue
                taken.append(span)
                if name not in (n for _, n in found):
                    found.append((span[0], name))
        return [name for _, name in sorted(found)]

    def spans(self, folded_text: str) -> list[tuple[int, int, str]]:
        """Character spans of body mentions in folded, expanded text.

        Args:
            folded_text: Text already folded and expanded.

        Returns:
            ``(start, end, canonical name)`` without overlaps, in order.

        """
        hay = f" {folded_text} "
        taken: list[tuple[int, int, str]] = []
        for form, name in self._candidates(hay):
            if f" {form} " not in hay:
                continue
            for m in re.finditer(rf"(?<= ){re.escape(form)}(?= )", hay):
                if any(a < m.end() and m.start() < b for a, b, _ in taken):
                    continue
                taken.append((m.start() - 1, m.end() - 1, name))
        return sorted(taken)


_ = _subject_bodies  # re-exported through parser


def with_mentioned_bodies(
    responsibilities: list[Responsibility], index: AgencyIndex
) -> list[Responsibility]:
    """Each duty's bodies: those it addresses, then other bodies its text names.

    A bare "Tỉnh ủy" in "Chương trình hành động của Tỉnh ủy" is no duty, so only names of
    three words or more are added.
    """
    return [
        Responsibility(
            r.number,
            r.subject,
            tuple(
                dict.fromkeys(
                    [*r.bodies, *(n for n in index.mentioned(r.text) if len(n.split()) >= 3)]
                )
            ),
            r.text,
            r.ref,
        )
        for r in responsibilities
    ]
