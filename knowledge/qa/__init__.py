"""The question pipeline: understand → retrieve → decide → compose.

Each stage is a module of its own with its own tests:

- :mod:`knowledge.qa.normalise` — keystroke decoding, long messages, several questions in one;
- :mod:`knowledge.qa.understand` — the immutable :class:`~knowledge.qa.understand.Question`;
- :mod:`knowledge.qa.retrieve` — records by filters (body and role, quarter, year, part);
- :mod:`knowledge.qa.decide` — refusals: a year or a body the document does not give;
- :mod:`knowledge.qa.compose` — the direct answers (counts, lists, checks, several parts);
- :mod:`knowledge.qa.records` — record questions, asked of :mod:`knowledge.qa.families` in order
  (one module per family: a body, a quarter, an area, a task, search, browsing);
- :mod:`knowledge.qa.conversation` — the context of a follow-up question;
- :mod:`knowledge.qa.pipeline` — runs the stages for :class:`knowledge.engine.Engine`.
"""
