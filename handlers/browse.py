"""/chitieu, /nhiemvu and /coquan: browse targets, tasks and bodies."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.context import engine
from handlers.markup import HTML
from handlers.replies import send_answer

__all__ = ["agency_command", "indicators_command", "tasks_command"]


def _args(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or [])


async def indicators_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List targets by area, or those matching a keyword."""
    if update.message is not None:
        await send_answer(update.message, engine(context).browse_indicators(_args(context), HTML))


async def tasks_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a task by code, or list tasks matching a keyword."""
    if update.message is not None:
        await send_answer(update.message, engine(context).browse_tasks(_args(context), HTML))


async def agency_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show what a body leads and its duties."""
    if update.message is not None:
        await send_answer(update.message, engine(context).browse_agency(_args(context), HTML))
