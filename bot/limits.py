"""The fairness limits: per-chat lanes, budgets and rates, as plain settings.

Kept apart from :mod:`bot.fairness` (the update processor, which needs python-telegram-bot)
so that reading settings, as ``ctbot ask`` does, never imports Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Fairness"]


@dataclass(frozen=True)
class Fairness:
    """Every scheduling parameter in one place (rates are per minute).

    Attributes:
        concurrency: Updates handled at once over all chats.
        chat_in_flight: Updates of one chat handled at once (1 keeps a chat's order).
        chat_backlog: Updates of one chat waiting their turn; beyond, they are dropped.
        group_user_rate: Questions per minute one user may ask in a group.
        group_user_burst: Questions one user may ask in a group at once.
        group_rate: Questions per minute a group may ask (Telegram sends 20 a minute there).
        group_burst: Questions a group may ask at once.
        private_rate: Questions per minute in a private chat (and inline queries of a user);
            generous, as a private flood only delays its sender.
        private_burst: Questions at once in a private chat.
        note_window: Seconds between two :data:`SLOW_DOWN` notes in one chat.
        stop_timeout: Seconds ``ctbot run`` waits for a clean stop before exiting anyway.

    """

    concurrency: int = 16
    chat_in_flight: int = 1
    chat_backlog: int = 60
    group_user_rate: float = 10.0
    group_user_burst: int = 5
    group_rate: float = 20.0
    group_burst: int = 20
    private_rate: float = 60.0
    private_burst: int = 60
    note_window: float = 60.0
    stop_timeout: float = 8.0
