"""Telegram HTML for the engine's answers: every piece of programme or user text escaped."""

from __future__ import annotations

import html

__all__ = ["HTML", "HtmlMarkup"]


class HtmlMarkup:
    """Renders :class:`knowledge.render.Markup` calls as Telegram HTML."""

    def text(self, s: str) -> str:
        """Escape ``&``, ``<`` and ``>`` (quotes are safe outside attributes)."""
        return html.escape(s, quote=False)

    def bold(self, s: str) -> str:
        """Escaped text in ``<b>``."""
        return f"<b>{self.text(s)}</b>"

    def italic(self, s: str) -> str:
        """Escaped text in ``<i>``."""
        return f"<i>{self.text(s)}</i>"


HTML = HtmlMarkup()
