"""Logging set-up: quiet httpx (its request lines carry the token) and redact the token.

The token is masked in the message, its arguments, exception text and stack info of every
record, and once more in the formatted line; :func:`install_excepthooks` does the same for
uncaught exceptions (main thread and other threads).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import TextIO

__all__ = ["MASK", "RedactToken", "Redactor", "install_excepthooks", "setup_logging"]

MASK = "<token>"


class Redactor:
    """Mask a bot token, and its secret half on its own, in any text (and ``extra`` secrets)."""

    def __init__(self, token: str, *extra: str) -> None:
        self.secrets = [token] if token else []
        _, sep, secret = token.partition(":")
        if sep and len(secret) >= 8:
            self.secrets.append(secret)
        self.secrets.extend(s for s in extra if s)

    def __call__(self, text: str) -> str:
        """``text`` with every secret replaced by :data:`MASK`."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text


class RedactToken(logging.Filter):
    """Replace the bot token wherever it appears in a log record."""

    def __init__(self, token: str, *extra: str) -> None:
        super().__init__()
        self.token = token
        self.redact = Redactor(token, *extra)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite message, exception text and stack with the token masked; keep the record."""
        if not self.redact.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep what can be shown safely
            message = f"{record.msg!s} {record.args!r}"
        masked = self.redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class _RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, redact: Redactor) -> None:
        super().__init__(fmt)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


def setup_logging(token: str, level: int = logging.INFO, *, extra: tuple[str, ...] = ()) -> None:
    """Log to stderr with timestamps; never let the token reach a log line.

    Args:
        token: The bot token to mask.
        level: Root log level.
        extra: Other secrets to mask (the webhook secret).

    """
    handler = logging.StreamHandler()
    handler.setFormatter(
        _RedactingFormatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s", Redactor(token, *extra)
        )
    )
    handler.addFilter(RedactToken(token, *extra))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.captureWarnings(True)  # warnings go through the same redaction
    # httpx logs every request URL at INFO, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def install_excepthooks(
    token: str, stream: TextIO | None = None, *, extra: tuple[str, ...] = ()
) -> None:
    """Print uncaught exceptions (any thread) with the token masked.

    Args:
        token: The bot token to mask.
        stream: Where to print (default: ``sys.stderr`` at the time of the exception).
        extra: Other secrets to mask (the webhook secret).

    """
    redact = Redactor(token, *extra)

    def show(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        out = stream if stream is not None else sys.stderr
        out.write(redact(text))
        out.flush()

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        show(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = show
    threading.excepthook = thread_hook
