"""ctbot's knowledge base: parse an action programme, store it, answer questions about it.

This package never imports telegram: the bot in ``bot/`` and ``handlers/`` is
one client of it, the command line another.
"""

from knowledge.errors import KnowledgeError, ProgrammeFormatError
from knowledge.programme.model import Agency, Indicator, Passage, Programme, Responsibility, Task
from knowledge.programme.parser import parse_programme

__all__ = [
    "Agency",
    "Indicator",
    "KnowledgeError",
    "Passage",
    "Programme",
    "ProgrammeFormatError",
    "Responsibility",
    "Task",
    "parse_programme",
]
