"""Yes/no checks of a guess: "… là 80% phải không?" gets the right figure, not a "yes".

:func:`plain_question` turns the check into the question it checks ("… là bao nhiêu"), the
pipeline answers that, and :func:`verdict` puts "Đúng" or "Chưa đúng" with the figure first.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.programme.agencies import agency_key, split_names
from knowledge.programme.indicators import parse_vi_number
from knowledge.programme.model import Indicator, Task
from knowledge.programme.quarters import quarter_of
from knowledge.qa.answer import Answer
from knowledge.render import Markup, agency_display

__all__ = ["plain_question", "verdict"]

_PARTICLES = re.compile(
    r"\b(?:(?:co )?phai (?:khong|ko|k|hong|ha|chua)|dung (?:vay |the )?(?:khong|ko|k|hong|chua)|"
    r"^co phai|ha(?= ad| ban| bot|$)|phai(?= (?:tren|duoi|dat|la)\b))\b"
)
_FIGURE = re.compile(
    r"\b(?:la |dat |o muc |chiem )?(?:tren |duoi |khoang |it nhat )?"
    r"(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)*\s*(?:%|phan tram|usd|ty usd)?(?!\w)"
)
_DUE_GUESS = re.compile(
    r"\btrinh (?:vao |trong )?(?:quy (?:iv|iii|ii|i|[1-4])(?: nam (?:19|20)\d\d)?|"
    r"nam (?:19|20)\d\d)\b"
)
_ROLE = re.compile(r"\b(?:chu tri|ban hanh|cho y kien)\b")


def plain_question(folded: str, spans: Callable[[str], list[tuple[int, int, str]]]) -> str:
    """The question a check asks, without its guess ("… do ai ban hành", "… là bao nhiêu")."""
    text = _PARTICLES.sub(" ", folded)
    if _DUE_GUESS.search(text):
        return re.sub(r"\s+", " ", _DUE_GUESS.sub(" trinh khi nao ", text)).strip()
    submitted = _submitted_to(text, spans)
    if submitted is not None:
        start, end = submitted
        return re.sub(r"\s+", " ", f"{text[:start]} cap nao cho y kien {text[end:]}").strip()
    role = _ROLE.search(text)
    named = [s for s in spans(text) if role and s[1] <= role.start()]
    if named:
        start, end, _ = named[-1]
        return re.sub(r"\s+", " ", f"{text[:start]} ai {text[end:]}").strip()
    return re.sub(r"\s+", " ", _FIGURE.sub(" bao nhieu ", text)).strip()


def _guess_number(guess: str) -> float | None:
    return parse_vi_number(guess) if guess else None


def _indicator_verdict(ind: Indicator, guess: str) -> tuple[bool, str] | None:
    value = _guess_number(guess)
    if value is None or ind.low is None:
        return None
    high = ind.high if ind.high is not None else ind.low
    right = ind.low <= value <= high
    return right, f"{ind.name}: {ind.value}"


Spans = Callable[[str], list[tuple[int, int, str]]]


def _due_verdict(task: Task, folded: str) -> tuple[bool, str] | None:
    guess = _DUE_GUESS.search(folded)
    if guess is None:
        return None
    asked, actual = quarter_of(guess.group(0)), quarter_of(task.due)
    if asked is None:
        year = re.search(r"(?:19|20)\d\d", guess.group(0))
        right = year is not None and actual is not None and str(actual[1]) == year.group(0)
    else:
        right = actual is not None and asked[0] == actual[0] and asked[1] in (None, actual[1])
    return right, f"thời gian trình nhiệm vụ {task.code}: {task.due}"


def _submitted_to(text: str, spans: Spans) -> tuple[int, int] | None:
    """Where "trình <a body>" guesses the approval level ("có phải trình Tỉnh ủy không")."""
    for start, end, _ in spans(text):
        if text[:start].endswith("trinh ") and "cho y kien" not in text:
            return start, end
    return None


def _task_verdict(task: Task, folded: str, spans: Spans) -> tuple[bool, str] | None:
    due = _due_verdict(task, folded)
    if due is not None:
        return due
    submitted = _submitted_to(folded, spans)
    if submitted is not None:
        guessed = folded[submitted[0] : submitted[1]]
        right = agency_key(guessed) in [agency_key(n) for n in split_names(task.approval)]
        return right, f"cấp trình cho ý kiến nhiệm vụ {task.code}: {task.approval}"
    for role, label in (("chu tri", "lead"), ("ban hanh", "issuer"), ("cho y kien", "approval")):
        if role not in folded:
            continue
        named = [name for _, _, name in spans(folded)]
        if not named:
            return None
        cell = getattr(task, label)
        right = agency_key(named[0]) in [agency_key(n) for n in split_names(cell)]
        return right, f"nhiệm vụ {task.code}: {agency_display(cell)}"
    return None


def verdict(
    answer: Answer,
    record: Indicator | Task | None,
    folded: str,
    guess: str,
    spans: Callable[[str], list[tuple[int, int, str]]],
    m: Markup,
) -> Answer:
    """The answer with "Đúng." or "Chưa đúng." and the right figure before it."""
    if isinstance(record, Indicator):
        judged = _indicator_verdict(record, guess)
    elif isinstance(record, Task):
        judged = _task_verdict(record, folded, spans)
    else:
        judged = None
    if judged is None or not answer.found:
        return answer
    right, fact = judged
    head = m.bold(("Đúng. " if right else "Chưa đúng. ") + f"Theo chương trình, {fact}.")
    text = f"{head}\n{answer.text}"
    return Answer(answer.query, "check", True, text, answer.results, answer.alternatives)
