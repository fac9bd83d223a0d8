"""Real HTTP front-end for :class:`FakeTelegram` on 127.0.0.1 (standard library only).

One daemon thread accepts connections and every connection gets its own daemon thread
(``ThreadingHTTPServer``), so long polls never block other requests.  HTTP/1.1 keep-alive,
``Content-Length`` bodies, GET query strings and POST JSON / urlencoded / multipart bodies
are supported, as PTB's httpx backend uses them.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .api import FakeTelegram, UploadedFile

__all__ = ["FakeBotApiServer", "parse_multipart"]

_API_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/]+)/?")
_FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")
_PARAM_RE = re.compile(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))')


def _header_params(value: str) -> tuple[str, dict[str, str]]:
    main, _, rest = value.partition(";")
    params = {}
    for match in _PARAM_RE.finditer(";" + rest):
        raw = match[2] if match[2] is not None else match[3].strip()
        if match[2] is not None:
            raw = re.sub(r"\\(.)", r"\1", raw)
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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeBotApi/1.0"
    sys_version = ""
    disable_nagle_algorithm = True
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.owner._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    # ------------------------------------------------------------------ body parsing
    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _params(self, query: str, body: bytes) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        files: dict[str, UploadedFile] = {}
        if not body:
            return params, files
        content_type, ctype_params = _header_params(self.headers.get("Content-Type", ""))
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

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self) -> None:
        owner = self.server.owner
        owner._count_request()
        split = urlsplit(self.path)
        path = unquote(split.path)
        body = self._read_body()
        fake = owner.fake

        file_match = _FILE_PATH.fullmatch(path)
        if file_match and self.command == "GET":
            if file_match["token"] != fake.token:
                self._send_json(401, _error(401, "Unauthorized"))
                return
            content = fake.file_content(file_match["path"])
            if content is None:
                self._send_json(404, _error(404, "Not Found"))
            else:
                self._send(200, content, "application/octet-stream")
            return

        match = _API_PATH.fullmatch(path)
        if match is None:
            self._send_json(404, _error(404, "Not Found"))
            return
        if match["token"] != fake.token:
            self._send_json(401, _error(401, "Unauthorized"))
            return
        try:
            params, files = self._params(split.query, body)
        except (ValueError, UnicodeDecodeError) as exc:
            self._send_json(400, _error(400, f"Bad Request: can't parse request body: {exc}"))
            return
        method = match["method"]
        if method.lower() == "getupdates":
            status, answer = fake.poll(
                params, max_timeout=owner.max_poll, cancelled=owner._stopping.is_set
            )
        else:
            status, answer = fake.handle(method, params, files)
        self._send_json(status, answer)

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def _send(self, status: int, payload: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, owner: FakeBotApiServer):
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # Skip HTTPServer.server_bind's socket.getfqdn(): a reverse DNS lookup we don't need.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.owner._stopping.is_set():
            return
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError | BrokenPipeError):
            return
        super().handle_error(request, client_address)


class FakeBotApiServer:
    """HTTP server for a :class:`FakeTelegram`, usable from sync and async tests.

    >>> with FakeBotApiServer() as server:
    ...     server.base_url.startswith("http://127.0.0.1:")
    True
    """

    def __init__(self, fake: FakeTelegram | None = None, *, max_poll: float = 10.0):
        self.fake = fake if fake is not None else FakeTelegram()
        self.max_poll = max_poll
        self.port = 0
        self.request_count = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

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
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _HTTPServer(self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-bot-api:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, release pending long polls and close open keep-alive connections."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()
        self.fake.wake_waiters()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=2)
        self._httpd = None
        self._thread = None

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _count_request(self) -> None:
        with self._lock:
            self.request_count += 1

    def __enter__(self) -> FakeBotApiServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
