"""The progress board's web server: aiohttp, started and stopped in the bot's own event loop.

The HTML shell, its script and style are public and hold no data. Every ``/api/...`` request
must carry the Mini App's signed ``initData`` in the ``X-Telegram-Init-Data`` header; it is
checked on every request (signature, age, and the sender's rights *now*), so a removed member
loses the board at once. The server only reads.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from importlib.resources import files
from typing import Any

from aiohttp import web

from knowledge.digest.board import Board, Source, scope_for
from knowledge.digest.initdata import InitDataError, verify
from knowledge.progress.reporting import Reporting

__all__ = ["HEADER", "BoardServer"]

log = logging.getLogger(__name__)

HEADER = "X-Telegram-Init-Data"
ASSETS = files("bot") / "board_assets"
STATIC = {
    "/": ("index.html", "text/html"),
    "/board.js": ("board.js", "text/javascript"),
    "/board.css": ("board.css", "text/css"),
}
# The shell may load Telegram's script; everything else comes from the board itself.
CSP = (
    "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
)
FORBIDDEN = "Không có quyền xem bảng tiến độ: hãy mở bảng từ nút trong Telegram."
_dumps = partial(json.dumps, ensure_ascii=False)


class BoardServer:
    """Serves the board on ``host:port`` until :meth:`stop`."""

    def __init__(
        self,
        service: Callable[[], Reporting],
        *,
        token: str,
        host: str,
        port: int,
        max_age: int,
        clock: Callable[[], datetime],
    ) -> None:
        """Prepare the routes; nothing listens until :meth:`start`.

        Args:
            service: The current reporting service (its documents and progress store), read
                only; asked on every request, so a document loaded since start-up is shown.
            token: The bot token, the key material of initData signatures.
            host: Address to listen on (behind the reverse proxy, usually 127.0.0.1).
            port: Port (0 picks a free one; see :attr:`port`).
            max_age: Seconds a signed initData stays valid.
            clock: The current time in the bot's time zone.

        """
        self.service = service
        self._token = token
        self.host, self.max_age, self.clock = host, max_age, clock
        self._port = port
        self.app = web.Application(middlewares=[_headers])
        for path in STATIC:
            self.app.router.add_get(path, self._static)
        self.app.router.add_get("/api/overview", self._view(lambda b: b.overview()))
        self.app.router.add_get("/api/bodies", self._view(lambda b: b.bodies()))
        self.app.router.add_get("/api/targets", self._view(lambda b: b.targets()))
        self.app.router.add_get("/api/task/{key}", self._task)
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """The port actually listened on."""
        if self._runner is not None and self._runner.addresses:
            return int(self._runner.addresses[0][1])
        return self._port

    async def start(self) -> None:
        """Listen (in the running event loop)."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self._port).start()
        log.info("progress board listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- handlers -------------------------------------------------------------

    async def _static(self, request: web.Request) -> web.Response:
        name, content_type = STATIC[request.path]
        body = (ASSETS / name).read_text("utf-8")
        return web.Response(text=body, content_type=content_type, charset="utf-8")

    def _board(self, request: web.Request) -> Board:
        """The viewer's board, or 403: bad, old or missing initData, or not a member now."""
        now = self.clock()
        try:
            user = verify(
                request.headers.get(HEADER, ""),
                self._token,
                now=now.timestamp(),
                max_age=self.max_age,
            )
        except InitDataError as error:
            log.info("board request refused: %s", error)
            raise _forbidden() from None
        service = self.service()
        store, documents = service.store, sources(service)
        scope = scope_for(store.member(user.id), store, documents)
        if scope is None:
            log.info("board request refused: user %s is not a member", user.id)
            raise _forbidden()
        return Board(documents, store, scope, now.date())

    def _view(
        self, build: Callable[[Board], Any]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handler(request: web.Request) -> web.Response:
            return web.json_response(build(self._board(request)), dumps=_dumps)

        return handler

    async def _task(self, request: web.Request) -> web.Response:
        found = self._board(request).task(request.match_info["key"])
        if found is None:
            # Not in the viewer's scope looks the same as not existing.
            raise web.HTTPNotFound(
                text=_dumps({"error": "Không tìm thấy nhiệm vụ."}), content_type="application/json"
            )
        return web.json_response(found, dumps=_dumps)


def sources(service: Reporting) -> list[Source]:
    """Every document of the write path as the board shows it (unnamed when only one)."""
    several = service.several
    return [
        Source(d.id, d.label if several else "", d.engine.programme) for d in service.documents
    ]


def _forbidden() -> web.HTTPForbidden:
    return web.HTTPForbidden(text=_dumps({"error": FORBIDDEN}), content_type="application/json")


@web.middleware
async def _headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Security headers on every answer; data answers are never cached."""
    try:
        response = await handler(request)
    except web.HTTPException as error:
        _secure(request, error)
        raise
    _secure(request, response)
    return response


def _secure(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = (
        "no-store" if request.path.startswith("/api/") else "no-cache"
    )
