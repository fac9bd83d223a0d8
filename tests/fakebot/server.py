"""Real HTTP front-end for :class:`FakeTelegram` on 127.0.0.1 (standard library only).

The server runs an asyncio event loop (asyncio streams) in one daemon thread, so it works from
synchronous tests and from async tests whose loop runs PTB alike.  Every connection is a task:
long polls wait on an :class:`asyncio.Event` bumped by a FakeTelegram listener and never block
other requests.  HTTP/1.1 keep-alive, ``Content-Length`` and chunked request bodies, GET query
strings and POST JSON / urlencoded / multipart bodies are supported (PTB's httpx backend posts
form data, multipart when uploading).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import threading
from email.utils import formatdate
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .api import FakeTelegram, UploadedFile

__all__ = ["FakeBotApiServer", "parse_multipart"]

_API_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/]+)/?")
_FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")
_PARAM_RE = re.compile(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))')
_MAX_HEAD = 64 * 1024


class _BadRequest(Exception):
    pass


def _header_params(value: str) -> tuple[str, dict[str, str]]:
    main, _, rest = value.partition(";")
    params = {}
    for match in _PARAM_RE.finditer(";" + rest):
        raw = re.sub(r"\\(.)", r"\1", match[2]) if match[2] is not None else match[3].strip()
        params[match[1].lower()] = raw
    return main.strip().lower(), params


def parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a ``multipart/form-data`` body into text fields and file parts."""
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, content = chunk.partition(b"\r\n\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, sep, value = line.partition(":")
            if sep:
                headers[key.strip().lower()] = value.strip()
        _, disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name")
        if name is None:
            continue
        name = unquote(name)
        if "filename" in disposition or "filename*" in disposition:
            filename = disposition.get("filename") or disposition.get("filename*", "")
            mimetype = headers.get("content-type")
            files[name] = UploadedFile(unquote(filename) or None, content, mimetype)
        else:
            fields[name] = content.decode("utf-8", "replace")
    return fields, files


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


def _json(status: int, body: dict[str, Any]) -> tuple[int, bytes, str]:
    return status, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json"


class FakeBotApiServer:
    """HTTP server for a :class:`FakeTelegram`, usable from sync and async tests.

    >>> with FakeBotApiServer() as server:
    ...     server.base_url.startswith("http://127.0.0.1:")
    True
    """

    def __init__(
        self, fake: FakeTelegram | None = None, *, max_poll: float = 10.0, poll_delay: float = 0.0
    ):
        self.fake = fake if fake is not None else FakeTelegram()
        self.max_poll = max_poll
        self.poll_delay = poll_delay  # a slow Bot API: every getUpdates answers this much later
        self.port = 0
        self.request_count = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._changed: asyncio.Event | None = None
        self._stopping = False

    # ------------------------------------------------------------------ public
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def api_url(self) -> str:
        """``base_url`` with the token: append ``/<method>``."""
        return f"{self.base_url}{self.fake.token}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> FakeBotApiServer:
        if self._thread is not None:
            return self
        self._stopping = False
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []
        thread = threading.Thread(
            target=self._run, args=(loop, ready, failure), name="fake-bot-api", daemon=True
        )
        self._loop, self._thread = loop, thread
        thread.start()
        if not ready.wait(10) or failure:
            self.stop()
            raise RuntimeError("fake Bot API server failed to start") from (
                failure[0] if failure else None
            )
        return self

    def stop(self) -> None:
        """Close the listener and every connection (pending long polls included)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._stopping = True
        if thread.is_alive() and not loop.is_closed():
            future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            with contextlib.suppress(Exception):
                future.result(timeout=5)
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        self._loop = self._thread = None

    def __enter__(self) -> FakeBotApiServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ loop thread
    def _run(
        self, loop: asyncio.AbstractEventLoop, ready: threading.Event, failure: list[BaseException]
    ) -> None:
        asyncio.set_event_loop(loop)
        try:
            self._changed = asyncio.Event()
            self._server = loop.run_until_complete(
                asyncio.start_server(self._connection, "127.0.0.1", 0, backlog=512)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            self.fake.add_listener(self._on_fake_change)
        except BaseException as exc:  # reported to start()
            failure.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            self.fake.remove_listener(self._on_fake_change)
            with contextlib.suppress(Exception):
                loop.run_until_complete(self._shutdown())
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _on_fake_change(self) -> None:
        # Called from any thread while the fake holds its lock: only schedule.
        loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._bump)

    def _bump(self) -> None:
        if self._changed is not None:
            self._changed.set()
        self._changed = asyncio.Event()

    async def _connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while not self._stopping:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    break
                try:
                    keep_alive = await self._exchange(head, reader, writer)
                except _BadRequest as exc:
                    await self._write(writer, *_json(400, _error(400, str(exc))), close=True)
                    break
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # stop() cancels open connections; ending quietly spares Python 3.11's stream
            # callback a logged CancelledError.
            pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _exchange(
        self, head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        lines = head.decode("latin-1").split("\r\n")
        try:
            verb, target, version = lines[0].split(" ", 2)
        except ValueError:
            raise _BadRequest(f"Bad Request: malformed request line {lines[0]!r}") from None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            key, sep, value = line.partition(":")
            if sep:
                headers[key.strip().lower()] = value.strip()
        body = await self._read_body(headers, reader)
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        self.request_count += 1
        status, payload, content_type = await self._respond(verb, target, headers, body)
        await self._write(writer, status, payload, content_type, close=not keep_alive)
        return keep_alive

    @staticmethod
    async def _read_body(headers: dict[str, str], reader: asyncio.StreamReader) -> bytes:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts: list[bytes] = []
            while True:
                size_line = await reader.readuntil(b"\r\n")
                try:
                    size = int(size_line.split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise _BadRequest("Bad Request: malformed chunk size") from None
                if size == 0:
                    while await reader.readuntil(b"\r\n") != b"\r\n":
                        pass
                    return b"".join(parts)
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            raise _BadRequest("Bad Request: malformed Content-Length") from None
        return await reader.readexactly(length) if length > 0 else b""

    @staticmethod
    async def _write(
        writer: asyncio.StreamWriter,
        status: int,
        payload: bytes,
        content_type: str,
        *,
        close: bool,
    ) -> None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        head = (
            f"HTTP/1.1 {status} {phrase}\r\n"
            "Server: FakeBotApi/1.0\r\n"
            f"Date: {formatdate(usegmt=True)}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(payload)}\r\n"
            f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + payload)
        await writer.drain()

    # ------------------------------------------------------------------ Bot API
    async def _respond(
        self, verb: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        split = urlsplit(target)
        path = unquote(split.path)
        fake = self.fake

        file_match = _FILE_PATH.fullmatch(path)
        if file_match and verb == "GET":
            if file_match["token"] != fake.token:
                return _json(401, _error(401, "Unauthorized"))
            content = fake.file_content(file_match["path"])
            if content is None:
                return _json(404, _error(404, "Not Found"))
            return 200, content, "application/octet-stream"

        match = _API_PATH.fullmatch(path)
        if match is None or verb not in ("GET", "POST"):
            return _json(404, _error(404, "Not Found"))
        if match["token"] != fake.token:
            return _json(401, _error(401, "Unauthorized"))
        try:
            params, files = self._params(split.query, headers, body)
        except (ValueError, UnicodeDecodeError) as exc:
            return _json(400, _error(400, f"Bad Request: can't parse request body: {exc}"))
        method = match["method"]
        if method.lower() == "getupdates":
            if self.poll_delay > 0:
                await asyncio.sleep(self.poll_delay)
            await self._long_poll(params)
        return _json(*fake.handle(method, params, files))

    @staticmethod
    def _params(
        query: str, headers: dict[str, str], body: bytes
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        files: dict[str, UploadedFile] = {}
        if not body:
            return params, files
        content_type, ctype_params = _header_params(headers.get("content-type", ""))
        if content_type == "application/json":
            decoded = json.loads(body.decode("utf-8"))
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            params.update(decoded)
        elif content_type == "multipart/form-data":
            fields, files = parse_multipart(body, ctype_params.get("boundary", ""))
            params.update(fields)
        else:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return params, files

    async def _long_poll(self, params: dict[str, Any]) -> None:
        """Wait (without blocking the loop) until getUpdates has something to answer."""
        offset, timeout = self.fake.poll_arguments(params, self.max_poll)
        if not timeout:
            return
        self.fake.confirm_updates(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._stopping and not self.fake.poll_ready(offset):
            remaining = deadline - loop.time()
            changed = self._changed
            if remaining <= 0 or changed is None:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
