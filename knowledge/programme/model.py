"""Records parsed from an action programme, shared by the parser, the store and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Agency",
    "Indicator",
    "Passage",
    "Programme",
    "Responsibility",
    "Section",
    "Task",
]


@dataclass(frozen=True)
class Indicator:
    """One numeric target (chỉ tiêu).

    Attributes:
        id: 1-based position in the document.
        area: The area heading it sits under, e.g. ``"kinh tế"``.
        name: What is measured, in the source's words.
        subject: The head of the bullet the target belongs to (equals ``name``
            for the first target of a bullet); gives context to later targets.
        value: The target exactly as written, e.g. ``"trên 46,5%"``.
        comparator: One of ``đạt``, ``trên``, ``dưới``, ``từ-đến``, ``gấp``,
            ``giảm``, ``ít nhất``.
        low: Numeric lower bound (or the single value), when it parses.
        high: Numeric upper bound for ranges, else equal to ``low``.
        unit: The unit as written (``"%"``, ``"USD"``, ``"nghìn tỷ đồng"`` ...).
        year: The year the target refers to, when stated.
        detail: Parenthesised figures that qualify the value, e.g. the public
            share ``"10 bác sĩ công lập"``.
        sentence: The full source bullet (for a targets table: the row, spelled out).
        ref: Source reference such as ``"B.II.3"``.
        values: For a targets table whose columns are years, every year
            column's cell by its header as written, e.g. ``{"Thực hiện năm
            2025": "7,2", "Kế hoạch năm 2026": "7,8", "Mục tiêu đến năm 2030":
            "8,0 - 8,5"}``; ``value`` is then the main target (the "Mục tiêu"
            column, else the last one) with its unit. Empty for bullets.

    """

    id: int
    area: str
    name: str
    subject: str
    value: str
    comparator: str
    low: float | None
    high: float | None
    unit: str
    year: int | None
    detail: str
    sentence: str
    ref: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    """One row of the appendix table (đề án, nghị quyết, kế hoạch ...).

    Attributes:
        code: Stable code: ``"1.1"`` .. for dotted numbers, ``"II.3"`` for
            plain numbers under part II.
        part: Roman numeral of the appendix part (``"I"``, ``"II"``).
        part_title: Title of that part.
        group: Title of the group heading the row sits under ("" if none).
        content: The task itself (nội dung nhiệm vụ).
        lead: Lead agency (cơ quan chủ trì tham mưu), as written.
        approval: Approval level (cấp trình cho ý kiến), as written.
        issuer: Issuing body (cơ quan ban hành), as written.
        due: Submission time (thời gian trình), as written.
        period: Implementation period (thời gian thực hiện), as written.
        coordinating: Coordinating agencies (cơ quan phối hợp), when the table
            has that column.
        product: What the task delivers (sản phẩm), when the table has that
            column.
        extra: Any other column, by its header text.
        position: 1-based row order in the appendix.

    """

    code: str
    part: str
    part_title: str
    group: str
    content: str
    lead: str
    approval: str
    issuer: str
    due: str
    period: str
    coordinating: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    position: int = 0
    product: str = ""


@dataclass(frozen=True)
class Responsibility:
    """One numbered item of the implementation part (tổ chức thực hiện).

    Attributes:
        number: The item's number as written (``"III"`` or ``"3"``).
        subject: The bodies the item addresses, as written at its start.
        bodies: Normalised agency names the item names.
        text: The full item text without its number.
        ref: Source reference such as ``"D.III"``.

    """

    number: str
    subject: str
    bodies: tuple[str, ...]
    text: str
    ref: str


@dataclass(frozen=True)
class Passage:
    """One bullet or paragraph of the body, page-break fragments joined.

    Attributes:
        id: 1-based position in the document.
        path: Human-readable section path, e.g.
            ``"C > I > 1 > 1.3. Nông, lâm, thủy sản"``.
        ref: Compact reference, e.g. ``"C.I.1.3"``.
        heading: Title of the innermost heading.
        text: The passage text.

    """

    id: int
    path: str
    ref: str
    heading: str
    text: str


@dataclass(frozen=True)
class Section:
    """A heading of the body, so questions about a whole section can be answered.

    Attributes:
        ref: Compact reference, e.g. ``"C.I.2.2"``.
        path: Readable path ending with the heading itself.
        title: The heading's text.

    """

    ref: str
    path: str
    title: str


@dataclass(frozen=True)
class Agency:
    """A body named by the programme, with the spellings it goes by.

    Attributes:
        name: Canonical, expanded name ("Ban cán sự đảng Ủy ban nhân dân tỉnh").
        aliases: Other spellings: as written in the source and abbreviated.

    """

    name: str
    aliases: tuple[str, ...]


@dataclass
class Programme:
    """Everything parsed from one document: a Party programme or a UBND plan.

    A document's identity is ``(issuer, number, issued)``.

    Attributes:
        title: Document title, e.g. ``"Chương trình hành động số 08-CTr/TU"``.
        subtitle: What it implements.
        indicators: Numeric targets.
        tasks: Appendix tasks.
        responsibilities: Items of the implementation part.
        passages: Bullets and paragraphs of the body.
        agencies: Normalised bodies.
        sections: Headings of the body, in order.
        issued: The document's date, ``dd/mm/yyyy``.
        signer: Who signed it.
        signer_title: The signature block's titles, e.g. ``"TM. Ủy ban nhân
            dân, Chủ tịch"``.
        kind: ``"programme"`` (chương trình hành động) or ``"plan"`` (kế hoạch).
        number: Its number as written, e.g. ``"08-CTr/TU"``, ``"45/KH-UBND"``.
        issuer: Who issued it, e.g. ``"Tỉnh ủy Khánh Hòa"``,
            ``"Ủy ban nhân dân tỉnh Hải Bình"``.
        implements: For a plan, the number of the programme it implements
            (``"12-CTr/TU"``), else "".

    """

    title: str
    subtitle: str
    indicators: list[Indicator]
    tasks: list[Task]
    responsibilities: list[Responsibility]
    passages: list[Passage]
    agencies: list[Agency]
    sections: list[Section] = field(default_factory=list)
    issued: str = ""
    signer: str = ""
    signer_title: str = ""
    kind: str = "programme"
    number: str = ""
    issuer: str = ""
    implements: str = ""
