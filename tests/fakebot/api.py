"""In-memory fake of the Telegram Bot API (the "brain"; no sockets).

``FakeTelegram.handle(method, params)`` answers like api.telegram.org would, records every call
and lets tests inject faults.  ``FakeRequest`` plugs it straight into PTB without HTTP; the
HTTP front-end lives in :mod:`tests.fakebot.server`.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram.request import BaseRequest, RequestData

from .flood import FloodLimit
from .markup import MarkupError, parse_text

__all__ = [
    "ApiError",
    "Call",
    "FakeRequest",
    "FakeTelegram",
    "UploadedFile",
]

JsonDict = dict[str, Any]
Predicate = Callable[["Call"], bool]

# Parameters PTB sends as JSON strings inside form data.
JSON_PARAMS = frozenset(
    {
        "allowed_updates",
        "button",
        "caption_entities",
        "commands",
        "entities",
        "explanation_entities",
        "link_preview_options",
        "media",
        "menu_button",
        "message_ids",
        "options",
        "permissions",
        "prices",
        "reaction",
        "reply_markup",
        "reply_parameters",
        "results",
        "scope",
    }
)
INT_PARAMS = frozenset(
    {
        "cache_time",
        "chat_id",
        "duration",
        "from_chat_id",
        "height",
        "limit",
        "max_connections",
        "message_id",
        "message_thread_id",
        "offset",
        "reply_to_message_id",
        "until_date",
        "user_id",
        "width",
    }
)
FLOAT_PARAMS = frozenset({"timeout"})
BOOL_PREFIXES = (
    "allow_",
    "can_",
    "disable_",
    "drop_",
    "has_",
    "is_",
    "only_",
    "protect_",
    "revoke_",
    "show_",
)
_INT_RE = re.compile(r"-?\d+")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")

MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
MAX_TEXT = 4096
MAX_CAPTION = 1024
CHAT_NOT_FOUND = "Bad Request: chat not found"
UPGRADED = "Bad Request: group chat was upgraded to a supergroup chat"
BLOCKED = "Forbidden: bot was blocked by the user"
DEACTIVATED = "Forbidden: user is deactivated"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """Raised inside a method implementation to answer ``{"ok": false, ...}``."""

    def __init__(self, error_code: int, description: str, parameters: JsonDict | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def body(self) -> JsonDict:
        body: JsonDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass(frozen=True)
class UploadedFile:
    """One multipart file part: ``(filename, content, mimetype)``."""

    filename: str | None
    content: bytes
    mimetype: str | None = None


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    params: JsonDict
    time: float
    faulted: bool = False
    response: JsonDict = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        """The ``result`` of the answer (``None`` for errors)."""
        return self.response.get("result")

    def __repr__(self) -> str:
        flag = " faulted" if self.faulted else ("" if self.ok else " error")
        return f"Call({self.method}{flag} {self.params!r})"


@dataclass
class _Fault:
    error_code: int
    description: str
    parameters: JsonDict | None


def _decode_params(params: dict[str, Any]) -> JsonDict:
    """Turn form/query strings back into what PTB meant (ints, bools, nested JSON)."""
    out: JsonDict = {}
    for key, value in params.items():
        if isinstance(value, str):
            stripped = value.strip()
            if key in JSON_PARAMS and stripped[:1] in ("{", "["):
                with contextlib.suppress(ValueError):
                    value = json.loads(stripped)
            elif key in INT_PARAMS and _INT_RE.fullmatch(stripped):
                value = int(stripped)
            elif key in FLOAT_PARAMS:
                try:
                    number = float(stripped)
                except ValueError:
                    pass
                else:
                    value = int(number) if number.is_integer() else number
            elif key.startswith(BOOL_PREFIXES) and stripped in ("true", "false"):
                value = stripped == "true"
        out[key] = value
    return out


def _canonical_chat_id(value: Any) -> int | str:
    if isinstance(value, bool):
        raise ApiError(400, "Bad Request: chat not found")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
        return int(value)
    if isinstance(value, str) and value.startswith("@") and len(value) > 1:
        return value
    raise ApiError(400, "Bad Request: chat_id is empty")


class FakeTelegram:
    """Thread-safe in-memory Bot API.

    Messages the bot sends are stored so that edits and deletes behave like Telegram.  With
    ``strict_messages=True`` editing/deleting a message the fake has never seen fails with
    Telegram's 400 error; by default such messages are synthesised.
    """

    CHAT_TYPES = frozenset({"private", "group", "supergroup", "channel"})

    def __init__(
        self,
        token: str = "123456:TEST-token",
        username: str = "ctbot_test_bot",
        bot_id: int = 123456,
        *,
        strict_messages: bool = False,
        flood: FloodLimit | None = None,
    ):
        self.flood = flood  # Telegram's per-group limit, when set
        self._token = token
        self._username = username
        self._bot_id = bot_id
        self.strict_messages = strict_messages
        self._cond = threading.Condition(threading.RLock())
        self._calls: list[Call] = []
        self.polls = 0
        self._updates: list[JsonDict] = []
        self._next_update_id = 1
        self._faults: dict[str, deque[_Fault]] = {}
        self._messages: dict[tuple[int | str, int], JsonDict] = {}
        # Reactions the bot set: (chat_id, message_id) -> emojis.
        self.reactions: dict[tuple[int | str, int], list[str]] = {}
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._files: dict[str, JsonDict] = {}
        self._file_paths: dict[str, bytes] = {}
        self._members: dict[tuple[int | str, int], str] = {}
        self._chat_faults: dict[int | str, ApiError] = {}  # every send to the chat fails
        self._chats: dict[int | str, JsonDict] = {}
        self._users: dict[int, JsonDict] = {}
        self._commands: dict[str, list[JsonDict]] = {}
        self._webhook: JsonDict = {}
        self._generation = 0
        self._listeners: list[Callable[[], None]] = []
        self._methods: dict[str, Callable[[JsonDict, dict[str, UploadedFile]], Any]] = {
            name[len("_m_") :]: getattr(self, name) for name in dir(self) if name.startswith("_m_")
        }
        self._methods_lower = {name.lower(): name for name in self._methods}

    # ------------------------------------------------------------------ identity
    @property
    def token(self) -> str:
        return self._token

    @property
    def username(self) -> str:
        return self._username

    @property
    def bot_id(self) -> int:
        return self._bot_id

    @property
    def bot_user(self) -> JsonDict:
        return {
            "id": self._bot_id,
            "is_bot": True,
            "first_name": "ctbot",
            "username": self._username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    # ------------------------------------------------------------------ dispatch
    def handle(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        files: dict[str, UploadedFile] | None = None,
    ) -> tuple[int, JsonDict]:
        """Answer one Bot API call: ``(http_status, json_body)``.

        ``params`` may hold form strings (JSON-encoded nested values are decoded) or typed
        values; a ``bytes`` value is treated as an uploaded file part.
        """
        raw = dict(params or {})
        all_files = dict(files or {})
        for key, value in list(raw.items()):
            if isinstance(value, bytes | bytearray):
                all_files.setdefault(key, UploadedFile(None, bytes(value)))
                del raw[key]
        decoded = _decode_params(raw)
        for key, upload in all_files.items():
            decoded.setdefault(key, upload.content)

        with self._cond:
            canonical = self._methods_lower.get(method.lower())
            name = canonical or method
            fault = self._pop_fault(name) or self._flood_fault(name, decoded)
            faulted = fault is not None
            result: Any = None
            if fault is not None:
                status, body = (
                    fault.error_code,
                    ApiError(fault.error_code, fault.description, fault.parameters).body(),
                )
            elif canonical is None:
                status, body = (
                    404,
                    {
                        "ok": False,
                        "error_code": 404,
                        "description": "Not Found: method not found",
                    },
                )
            else:
                try:
                    result = self._methods[canonical](decoded, all_files)
                except ApiError as exc:
                    status, body = exc.error_code, exc.body()
                else:
                    status, body = 200, {"ok": True, "result": result}
            if name == "getUpdates" and status == 200 and not result:
                self.polls += 1
            else:
                self._calls.append(
                    Call(
                        method=name,
                        params=decoded,
                        time=time.time(),
                        faulted=faulted,
                        response=body,
                        files=all_files,
                    )
                )
            self._changed()
            return status, copy.deepcopy(body)

    def poll(
        self,
        params: dict[str, Any] | None = None,
        *,
        max_timeout: float = 10.0,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[int, JsonDict]:
        """``getUpdates`` with long polling, blocking the calling thread up to ``timeout`` s."""
        offset, timeout = self.poll_arguments(params or {}, max_timeout)
        if timeout and not self.poll_ready(offset):
            self.confirm_updates(offset)
            self.wait_updates(offset, timeout, cancelled=cancelled)
        return self.handle("getUpdates", params)

    # ------------------------------------------------------------------ recording
    @property
    def calls(self) -> list[Call]:
        """Snapshot of all recorded calls (empty getUpdates polls are only counted)."""
        with self._cond:
            return list(self._calls)

    def reset_calls(self) -> None:
        with self._cond:
            self._calls.clear()
            self.polls = 0

    def calls_of(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if c.method == method]

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        """Texts (as sent, i.e. before parse_mode) of successful ``sendMessage`` calls."""
        with self._cond:
            return [
                str(c.params.get("text"))
                for c in self._calls
                if c.method == "sendMessage"
                and c.ok
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def sent_messages(self, chat_id: int | str | None = None) -> list[JsonDict]:
        """Message dicts the fake returned for successful ``sendMessage`` calls."""
        with self._cond:
            return [
                copy.deepcopy(c.result)
                for c in self._calls
                if c.method == "sendMessage"
                and c.ok
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def _matching(self, method: str, predicate: Predicate | None) -> list[Call]:
        return [
            c
            for c in self._calls
            if c.method == method and not c.faulted and (predicate is None or predicate(c))
        ]

    def _timeout_message(
        self, method: str, count: int, timeout: float, predicate: Predicate | None
    ) -> str:
        got = len(self._matching(method, predicate))
        counts = Counter(c.method + (" (faulted)" if c.faulted else "") for c in self._calls)
        summary = ", ".join(f"{name} x{n}" for name, n in counts.most_common())
        recent = "\n  ".join(repr(c) for c in self._calls[-8:]) or "(none)"
        where = " matching predicate" if predicate else ""
        return (
            f"timed out after {timeout}s waiting for {count} {method} call(s){where}; got {got}."
            f"\nRecorded methods: {summary or 'none'}; empty getUpdates polls: {self.polls}"
            f"\nLast calls:\n  {recent}"
        )

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        predicate: Predicate | None = None,
    ) -> list[Call]:
        """Block until ``count`` non-faulted ``method`` calls exist; return all matching ones."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self._matching(method, predicate)
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._timeout_message(method, count, timeout, predicate))
                self._cond.wait(remaining)

    async def wait_for_async(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        predicate: Predicate | None = None,
    ) -> list[Call]:
        """Like :meth:`wait_for` but yields to the event loop while waiting."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self._cond:
                found = self._matching(method, predicate)
                if len(found) >= count:
                    return found
                if loop.time() >= deadline:
                    raise AssertionError(self._timeout_message(method, count, timeout, predicate))
            await asyncio.sleep(0.005)

    # ------------------------------------------------------------------ faults
    def fail_next(
        self,
        method: str,
        count: int = 1,
        error_code: int = 429,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail like Telegram does."""
        parameters: JsonDict | None = None
        if error_code == 429:
            description = description or f"Too Many Requests: retry after {retry_after}"
            parameters = {"retry_after": retry_after}
        elif description is None:
            description = {
                400: "Bad Request: fake error",
                401: "Unauthorized",
                403: "Forbidden: bot was blocked by the user",
                404: "Not Found",
                409: "Conflict: terminated by other getUpdates request",
                502: "Bad Gateway",
            }.get(error_code, f"Error {error_code}")
        canonical = self._methods_lower.get(method.lower(), method)
        with self._cond:
            queue = self._faults.setdefault(canonical, deque())
            for _ in range(count):
                queue.append(_Fault(error_code, description, parameters))

    def clear_faults(self) -> None:
        with self._cond:
            self._faults.clear()

    def _flood_fault(self, method: str, params: JsonDict) -> _Fault | None:
        wait = self.flood.check(method, params.get("chat_id")) if self.flood else None
        if wait is None:
            return None
        return _Fault(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    def _pop_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if queue:
            return queue.popleft()
        return None

    # ------------------------------------------------------------------ updates
    def push_update(self, update: JsonDict) -> int:
        """Queue an update (assigning ``update_id`` if missing); returns its id."""
        update = copy.deepcopy(update)
        with self._cond:
            if update.get("update_id") is None:
                update["update_id"] = self._next_update_id
            update_id = int(update["update_id"])
            self._next_update_id = max(self._next_update_id, update_id + 1)
            self._register_entities(update)
            self._updates.append(update)
            self._updates.sort(key=lambda u: u["update_id"])
            self._changed()
            return update_id

    def push_updates(self, updates: Iterable[JsonDict]) -> list[int]:
        return [self.push_update(u) for u in updates]

    def pending_updates(self) -> list[JsonDict]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        with self._cond:
            return copy.deepcopy(self._updates)

    def _available(self, offset: int) -> list[JsonDict]:
        return [u for u in self._updates if u["update_id"] >= offset]

    def wait_updates(
        self,
        offset: int | None,
        timeout: float,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[JsonDict]:
        """Block up to ``timeout`` s until updates with ``update_id >= offset`` exist."""
        offset = offset or 0
        deadline = time.monotonic() + timeout
        with self._cond:
            generation = self._generation
            while True:
                found = self._available(offset)
                if found or (cancelled is not None and cancelled()):
                    return copy.deepcopy(found)
                if generation != self._generation:
                    return []
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(remaining)

    def wake_waiters(self) -> None:
        """Release every blocked :meth:`wait_updates` (used when a server stops)."""
        with self._cond:
            self._generation += 1
            self._changed()

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` (from any thread, lock held: keep it tiny) on every change."""
        with self._cond:
            self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[], None]) -> None:
        with self._cond:
            if callback in self._listeners:
                self._listeners.remove(callback)

    def _changed(self) -> None:
        self._cond.notify_all()
        for callback in self._listeners:
            callback()

    def poll_ready(self, offset: int) -> bool:
        """Whether ``getUpdates(offset)`` would answer at once (updates, fault or webhook)."""
        with self._cond:
            return bool(
                self._faults.get("getUpdates")
                or self._webhook.get("url")
                or self._available(offset)
            )

    @staticmethod
    def poll_arguments(params: dict[str, Any], max_timeout: float) -> tuple[int, float]:
        """``(offset, timeout)`` of a getUpdates request, timeout capped at ``max_timeout``."""
        decoded = _decode_params(dict(params))
        offset = decoded.get("offset")
        timeout = decoded.get("timeout")
        timeout = float(timeout) if isinstance(timeout, int | float) else 0.0
        return (offset if isinstance(offset, int) else 0), max(0.0, min(timeout, max_timeout))

    def confirm_updates(self, offset: int) -> None:
        """Forget updates below ``offset`` (what a getUpdates with that offset does first)."""
        with self._cond:
            self._confirm(offset)

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _register_entities(self, obj: Any) -> None:
        """Remember users and chats seen in pushed updates (for getChat, sendMessage...)."""
        if isinstance(obj, dict):
            if "id" in obj and obj.get("type") in self.CHAT_TYPES:
                self._chats.setdefault(obj["id"], dict(obj))
            elif "id" in obj and "is_bot" in obj and "first_name" in obj:
                self._users.setdefault(obj["id"], dict(obj))
            if "message_id" in obj and isinstance(obj.get("chat"), dict):
                key = (obj["chat"]["id"], obj["message_id"])
                self._messages.setdefault(key, copy.deepcopy(obj))
            for value in obj.values():
                self._register_entities(value)
        elif isinstance(obj, list):
            for value in obj:
                self._register_entities(value)

    # ------------------------------------------------------------------ state helpers
    def set_member_status(self, chat_id: int | str, user_id: int, status: str) -> None:
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {MEMBER_STATUSES}, not {status!r}")
        with self._cond:
            self._members[(chat_id, user_id)] = status

    def register_chat(self, chat: JsonDict) -> None:
        with self._cond:
            self._chats[chat["id"]] = dict(chat)

    def register_user(self, user: JsonDict) -> None:
        with self._cond:
            self._users[user["id"]] = dict(user)

    @property
    def commands(self) -> dict[str, list[JsonDict]]:
        """Latest commands per scope key (see :meth:`scope_key`)."""
        with self._cond:
            return copy.deepcopy(self._commands)

    @staticmethod
    def scope_key(scope: JsonDict | None = None, language_code: str = "") -> str:
        """Key of :attr:`commands`: the scope as sorted JSON, plus ``#lang`` if given."""
        key = json.dumps(scope or {"type": "default"}, sort_keys=True, ensure_ascii=False)
        return f"{key}#{language_code}" if language_code else key

    def commands_for(self, scope: JsonDict | None = None, language_code: str = "") -> list[str]:
        """Command names registered for a scope (``[]`` if none)."""
        with self._cond:
            entries = self._commands.get(self.scope_key(scope, language_code), [])
            return [c["command"] for c in entries]

    def message(self, chat_id: int | str, message_id: int) -> JsonDict | None:
        """The current state of a stored message (sent by the bot or pushed)."""
        with self._cond:
            found = self._messages.get((chat_id, message_id))
            return copy.deepcopy(found) if found else None

    def upload_file(self, content: bytes, name: str, mime: str | None = None) -> JsonDict:
        """A file a user sent (``file_id``, ``file_path``...): getFile and downloads serve it."""
        with self._cond:
            return self._new_file("document", content, name, mime)

    def file_content(self, file_path: str) -> bytes | None:
        with self._cond:
            return self._file_paths.get(file_path)

    @property
    def webhook_url(self) -> str:
        with self._cond:
            return str(self._webhook.get("url", ""))

    # ------------------------------------------------------------------ per-chat faults
    # From then on every send to the chat (and sendChatAction) answers like Telegram.
    def chat_not_found(self, chat_id: int | str) -> None:
        """The chat is gone: 400 "Bad Request: chat not found"."""
        self._fail_chat(chat_id, ApiError(400, CHAT_NOT_FOUND))

    def kick_bot(self, chat_id: int | str) -> None:
        """The bot was removed from a group: 403, worded for a group or a supergroup."""
        kind = "supergroup" if self._chat(chat_id)["type"] != "group" else "group"
        self._fail_chat(chat_id, ApiError(403, f"Forbidden: bot was kicked from the {kind} chat"))
        self.set_member_status(chat_id, self._bot_id, "kicked")

    def block_bot(self, user_id: int, *, deactivated: bool = False) -> None:
        """A user blocked the bot (or deleted the account): 403 in the private chat."""
        self._fail_chat(user_id, ApiError(403, DEACTIVATED if deactivated else BLOCKED))

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> JsonDict:
        """Upgrade a group to a supergroup: sends to the old id answer 400 with
        ``parameters.migrate_to_chat_id`` (PTB raises ``ChatMigrated``). Returns the new chat.
        """
        old = self._chat(old_chat_id)
        new: JsonDict = {"id": new_chat_id, "title": old.get("title", ""), "type": "supergroup"}
        self.register_chat(new)
        self._fail_chat(old_chat_id, ApiError(400, UPGRADED, {"migrate_to_chat_id": new_chat_id}))
        return dict(new)

    def restore_chat(self, chat_id: int | str) -> None:
        """Sends to the chat work again (the bot was re-added, the user unblocked it)."""
        with self._cond:
            self._chat_faults.pop(chat_id, None)

    def _fail_chat(self, chat_id: int | str, error: ApiError) -> None:
        with self._cond:
            self._chat_faults[chat_id] = error

    def _check_chat(self, chat_id: int | str) -> None:
        error = self._chat_faults.get(chat_id)
        if error is not None:
            raise ApiError(error.error_code, error.description, copy.deepcopy(error.parameters))

    # ------------------------------------------------------------------ builders
    def _user(self, user_id: int) -> JsonDict:
        if user_id == self._bot_id:
            return self.bot_user
        known = self._users.get(user_id)
        if known:
            return dict(known)
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}

    def _chat(self, chat_id: int | str) -> JsonDict:
        known = self._chats.get(chat_id)
        if known:
            return dict(known)
        if isinstance(chat_id, str):
            by_name = [c for c in self._chats.values() if c.get("username") == chat_id[1:]]
            if by_name:
                return dict(by_name[0])
            fake_id = -1000000000000 - (abs(hash(chat_id)) % 10**9)
            return {
                "id": fake_id,
                "type": "channel",
                "title": chat_id[1:],
                "username": chat_id[1:],
            }
        if chat_id > 0:
            user = self._user(chat_id)
            chat: JsonDict = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if user.get(key):
                    chat[key] = user[key]
            return chat
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}

    def _new_message(self, params: JsonDict) -> JsonDict:
        chat_id = _canonical_chat_id(params.get("chat_id"))
        self._check_chat(chat_id)
        chat = self._chat(chat_id)
        msg: JsonDict = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
        }
        if chat["type"] == "channel":
            msg["sender_chat"] = chat
        else:
            msg["from"] = self.bot_user
        if params.get("message_thread_id"):
            msg["message_thread_id"] = params["message_thread_id"]
            msg["is_topic_message"] = True
        if params.get("protect_content"):
            msg["has_protected_content"] = True
        return msg

    def _store(self, msg: JsonDict) -> JsonDict:
        self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        return copy.deepcopy(msg)

    @staticmethod
    def _echo_markup(msg: JsonDict, params: JsonDict) -> None:
        markup = params.get("reply_markup")
        # Telegram only echoes inline keyboards (PTB parses reply_markup as one).
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)

    @staticmethod
    def _formatted(
        text: Any, parse_mode: Any, entities: Any, *, limit: int, what: str
    ) -> tuple[str, list[JsonDict]]:
        if text is None or not str(text).strip():
            raise ApiError(400, f"Bad Request: {what} is empty")
        try:
            plain, found = parse_text(
                str(text), parse_mode if isinstance(parse_mode, str) else None
            )
        except MarkupError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        if isinstance(entities, list) and not parse_mode:
            found = entities
        if not plain.strip():
            raise ApiError(400, f"Bad Request: {what} is empty")
        # TDLib counts code points of the parsed text (utf8_length), not UTF-16 units.
        if len(plain) > limit:
            too_long = "message is too long" if what == "message text" else f"{what} is too long"
            raise ApiError(400, f"Bad Request: {too_long}")
        return plain, found

    def _find_message(self, params: JsonDict, action: str) -> JsonDict:
        chat_id = _canonical_chat_id(params.get("chat_id"))
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        found = self._messages.get((chat_id, message_id))
        if found is None:
            if self.strict_messages:
                raise ApiError(400, f"Bad Request: message to {action} not found")
            found = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self.bot_user,
                "text": "",
            }
            self._messages[(chat_id, message_id)] = found
        return found

    def _new_file(self, kind: str, upload: Any, name: str | None, mime: str | None) -> JsonDict:
        if isinstance(upload, str) and upload in self._files:
            return dict(self._files[upload])
        number = next(self._file_ids)
        content = upload if isinstance(upload, bytes) else b""
        prefix = {"photo": "AgACAgIAAxkBAAI", "document": "BQACAgIAAxkBAAI"}.get(kind, "CAACAgIA")
        file_id = f"{prefix}{number:06d}fake{kind}"
        path = f"{kind}s/file_{number}{_extension(name, mime, kind)}"
        info: JsonDict = {
            "file_id": file_id,
            "file_unique_id": f"AQAD{number:06d}{kind[:3]}",
            "file_size": len(content) if content else 1024,
            "file_path": path,
        }
        self._files[file_id] = info
        self._file_paths[path] = content
        return dict(info)

    # ------------------------------------------------------------------ methods
    # Each _m_<method>(params, files) returns the "result" or raises ApiError.
    def _m_getMe(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        return self.bot_user

    def _m_getUpdates(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        if self._webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        offset = offset if isinstance(offset, int) else 0
        limit = params.get("limit")
        limit = max(1, min(int(limit), 100)) if isinstance(limit, int) and limit else 100
        self._confirm(offset)
        allowed = params.get("allowed_updates")
        found = self._updates if offset < 0 else self._available(offset)
        if isinstance(allowed, list) and allowed:
            found = [u for u in found if any(k in u for k in allowed)]
        return copy.deepcopy(found[:limit])

    def _m_deleteWebhook(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        self._webhook = {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_setWebhook(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        url = params.get("url")
        if not isinstance(url, str):
            raise ApiError(400, "Bad Request: bad webhook: URL must be provided")
        if url and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        self._webhook = {"url": url}
        if isinstance(params.get("allowed_updates"), list):
            self._webhook["allowed_updates"] = params["allowed_updates"]
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_getWebhookInfo(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        info: JsonDict = {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if "allowed_updates" in self._webhook:
            info["allowed_updates"] = self._webhook["allowed_updates"]
        return info

    def _m_setMyCommands(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for entry in commands:
            if not isinstance(entry, dict) or not _COMMAND_RE.fullmatch(
                str(entry.get("command", ""))
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(entry.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self.scope_key(_dict_or_none(params.get("scope")), params.get("language_code", ""))
        self._commands[key] = copy.deepcopy(commands)
        return True

    def _m_deleteMyCommands(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        key = self.scope_key(_dict_or_none(params.get("scope")), params.get("language_code", ""))
        self._commands.pop(key, None)
        return True

    def _m_getMyCommands(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        key = self.scope_key(_dict_or_none(params.get("scope")), params.get("language_code", ""))
        return copy.deepcopy(self._commands.get(key, []))

    def _m_sendMessage(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        msg = self._new_message(params)
        text, entities = self._formatted(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT,
            what="message text",
        )
        msg["text"] = text
        if entities:
            msg["entities"] = entities
        if isinstance(params.get("link_preview_options"), dict):
            msg["link_preview_options"] = params["link_preview_options"]
        self._echo_markup(msg, params)
        return self._store(msg)

    def _edit(self, params: JsonDict, change: Callable[[JsonDict], None]) -> Any:
        if params.get("inline_message_id"):
            probe: JsonDict = {}
            change(probe)
            return True
        found = self._find_message(params, "edit")
        edited = copy.deepcopy(found)
        change(edited)
        if edited == found:
            raise ApiError(400, NOT_MODIFIED)
        edited["edit_date"] = int(time.time())
        self._messages[(found["chat"]["id"], found["message_id"])] = edited
        return copy.deepcopy(edited)

    def _m_editMessageText(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        text, entities = self._formatted(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT,
            what="message text",
        )

        def change(msg: JsonDict) -> None:
            msg["text"] = text
            if entities:
                msg["entities"] = entities
            else:
                msg.pop("entities", None)
            self._echo_markup(msg, params)

        return self._edit(params, change)

    def _m_editMessageCaption(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        caption = params.get("caption")
        plain, entities = "", list[JsonDict]()
        if caption:
            plain, entities = self._formatted(
                caption,
                params.get("parse_mode"),
                params.get("caption_entities"),
                limit=MAX_CAPTION,
                what="message caption",
            )

        def change(msg: JsonDict) -> None:
            msg.pop("caption_entities", None)
            msg.pop("caption", None)
            if plain:
                msg["caption"] = plain
            if entities:
                msg["caption_entities"] = entities
            self._echo_markup(msg, params)

        return self._edit(params, change)

    def _m_editMessageReplyMarkup(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        return self._edit(params, lambda msg: self._echo_markup(msg, params))

    def _m_deleteMessage(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        chat_id = _canonical_chat_id(params.get("chat_id"))
        key = (chat_id, params.get("message_id"))
        if key not in self._messages and self.strict_messages:
            raise ApiError(400, "Bad Request: message to delete not found")
        self._messages.pop(key, None)  # type: ignore[arg-type]
        return True

    def _m_deleteMessages(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        chat_id = _canonical_chat_id(params.get("chat_id"))
        for message_id in params.get("message_ids") or []:
            self._messages.pop((chat_id, message_id), None)
        return True

    def _m_answerCallbackQuery(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        if len(str(params.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_answerInlineQuery(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(r.get("id")) for r in results if isinstance(r, dict)]
        if len(ids) != len(set(ids)):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        if any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        return True

    def _m_sendChatAction(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        self._check_chat(_canonical_chat_id(params.get("chat_id")))
        return True

    def _send_media(self, params: JsonDict, msg: JsonDict) -> JsonDict:
        if params.get("caption"):
            caption, entities = self._formatted(
                params["caption"],
                params.get("parse_mode"),
                params.get("caption_entities"),
                limit=MAX_CAPTION,
                what="message caption",
            )
            msg["caption"] = caption
            if entities:
                msg["caption_entities"] = entities
        self._echo_markup(msg, params)
        return self._store(msg)

    def _upload(self, params: JsonDict, files: dict[str, UploadedFile], key: str) -> Any:
        value = params.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
            return upload, (upload.content if upload else None)
        upload = files.get(key)
        if upload is not None:
            return upload, upload.content
        if value in (None, ""):
            raise ApiError(400, f"Bad Request: there is no {key} in the request")
        return None, value

    def _m_sendPhoto(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        msg = self._new_message(params)
        upload, content = self._upload(params, files, "photo")
        info = self._new_file("photo", content, upload and upload.filename, "image/jpeg")
        sizes = []
        for width, suffix in ((90, "s"), (320, "m"), (800, "x")):
            sizes.append(
                {
                    "file_id": info["file_id"] + suffix,
                    "file_unique_id": info["file_unique_id"] + suffix,
                    "file_size": info["file_size"],
                    "width": width,
                    "height": width * 3 // 4,
                }
            )
            self._files[info["file_id"] + suffix] = {**info, "file_id": info["file_id"] + suffix}
        msg["photo"] = sizes
        return self._send_media(params, msg)

    def _m_sendDocument(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        msg = self._new_message(params)
        upload, content = self._upload(params, files, "document")
        name = (upload and upload.filename) or "document"
        mime = (upload and upload.mimetype) or "application/octet-stream"
        info = self._new_file("document", content, name, mime)
        msg["document"] = {
            "file_name": name,
            "mime_type": mime,
            "file_id": info["file_id"],
            "file_unique_id": info["file_unique_id"],
            "file_size": info["file_size"],
        }
        return self._send_media(params, msg)

    def _m_sendSticker(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        msg = self._new_message(params)
        upload, content = self._upload(params, files, "sticker")
        info = self._new_file("sticker", content, upload and upload.filename, "image/webp")
        msg["sticker"] = {
            "file_id": info["file_id"],
            "file_unique_id": info["file_unique_id"],
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "file_size": info["file_size"],
        }
        self._echo_markup(msg, params)
        return self._store(msg)

    def _m_getFile(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        info = self._files.get(str(params.get("file_id")))
        if info is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return dict(info)

    def _m_getChat(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        chat = self._chat(_canonical_chat_id(params.get("chat_id")))
        chat.setdefault("accent_color_id", 0)
        chat.setdefault("max_reaction_count", 11)
        chat.setdefault(
            "accepted_gift_types",
            {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return chat

    def _member(self, chat_id: int | str, user_id: int, status: str) -> JsonDict:
        user = self._user(user_id)
        if status == "creator":
            return {"status": status, "user": user, "is_anonymous": False}
        if status == "administrator":
            rights = dict.fromkeys(
                (
                    "is_anonymous",
                    "can_be_edited",
                ),
                False,
            )
            rights.update(
                dict.fromkeys(
                    (
                        "can_manage_chat",
                        "can_delete_messages",
                        "can_manage_video_chats",
                        "can_restrict_members",
                        "can_promote_members",
                        "can_change_info",
                        "can_invite_users",
                        "can_post_stories",
                        "can_edit_stories",
                        "can_delete_stories",
                        "can_pin_messages",
                        "can_manage_topics",
                    ),
                    True,
                )
            )
            return {"status": status, "user": user, **rights}
        if status == "restricted":
            flags = dict.fromkeys(
                (
                    "can_change_info",
                    "can_invite_users",
                    "can_pin_messages",
                    "can_send_messages",
                    "can_send_polls",
                    "can_send_other_messages",
                    "can_add_web_page_previews",
                    "can_manage_topics",
                    "can_send_audios",
                    "can_send_documents",
                    "can_send_photos",
                    "can_send_videos",
                    "can_send_video_notes",
                    "can_send_voice_notes",
                    "can_edit_tag",
                    "can_react_to_messages",
                ),
                False,
            )
            return {"status": status, "user": user, "is_member": True, "until_date": 0, **flags}
        if status == "kicked":
            return {"status": status, "user": user, "until_date": 0}
        return {"status": status, "user": user}

    def _m_getChatMember(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        chat_id = _canonical_chat_id(params.get("chat_id"))
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: invalid user_id specified")
        status = self._members.get((chat_id, user_id), "member")
        return self._member(chat_id, user_id, status)

    def _m_getChatAdministrators(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        chat_id = _canonical_chat_id(params.get("chat_id"))
        return [
            self._member(chat_id, user_id, status)
            for (member_chat, user_id), status in sorted(
                self._members.items(), key=lambda item: item[1] != "creator"
            )
            if member_chat == chat_id and status in ("creator", "administrator")
        ]

    def _m_getChatMemberCount(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        chat_id = _canonical_chat_id(params.get("chat_id"))
        members = [
            status
            for (member_chat, _), status in self._members.items()
            if member_chat == chat_id and status not in ("left", "kicked")
        ]
        return max(2, len(members))

    def _true(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        return True

    def _m_setMessageReaction(self, params: JsonDict, files: dict[str, UploadedFile]) -> Any:
        """Validate the reaction (emoji, at most one for a bot) and record it on the message."""
        self._check_chat(_canonical_chat_id(params.get("chat_id")))
        if not isinstance(params.get("message_id"), int):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        reaction = params.get("reaction") or []
        if not isinstance(reaction, list) or len(reaction) > 1:
            raise ApiError(400, "Bad Request: REACTIONS_TOO_MANY")
        for item in reaction:
            if not isinstance(item, dict) or item.get("type") != "emoji" or not item.get("emoji"):
                raise ApiError(400, "Bad Request: REACTION_INVALID")
        key = (_canonical_chat_id(params.get("chat_id")), params["message_id"])
        self.reactions[key] = [item["emoji"] for item in reaction]
        return True

    _m_close = _true
    _m_logOut = _true
    _m_leaveChat = _true
    _m_pinChatMessage = _true
    _m_unpinChatMessage = _true
    _m_setMyDescription = _true
    _m_setMyShortDescription = _true
    _m_setMyName = _true
    _m_setChatMenuButton = _true
    _m_banChatMember = _true
    _m_unbanChatMember = _true
    _m_restrictChatMember = _true


def _dict_or_none(value: Any) -> JsonDict | None:
    return value if isinstance(value, dict) else None


def _extension(name: str | None, mime: str | None, kind: str) -> str:
    if name and "." in name:
        return "." + name.rsplit(".", 1)[1]
    return {"photo": ".jpg", "sticker": ".webp"}.get(kind, ".bin")


class FakeRequest(BaseRequest):
    """PTB request backend that talks to a :class:`FakeTelegram` in-process (no sockets).

    ``getUpdates`` long-polls by sleeping on the event loop (capped at ``max_poll``).
    """

    def __init__(self, fake: FakeTelegram, *, max_poll: float = 10.0):
        self.fake = fake
        self.max_poll = max_poll
        self.initialized = False

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        self.initialized = True

    async def shutdown(self) -> None:
        self.initialized = False

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        path = unquote(urlsplit(url).path)
        match = re.fullmatch(r"/(?P<kind>file/)?bot(?P<token>[^/]+)/(?P<rest>.+)", path)
        if match is None:
            return _encode(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        if match["token"] != self.fake.token:
            return _encode(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if match["kind"]:
            content = self.fake.file_content(match["rest"])
            if content is None:
                return _encode(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return 200, content

        params: dict[str, Any] = dict(request_data.json_parameters) if request_data else {}
        files: dict[str, UploadedFile] = {}
        if request_data is not None and request_data.contains_files:
            for name, (filename, payload, mimetype) in request_data.multipart_data.items():
                data = payload if isinstance(payload, bytes) else payload.read()
                files[name] = UploadedFile(filename, bytes(data or b""), mimetype)

        method_name = match["rest"]
        if method_name.lower() == "getupdates":
            await self._long_poll(params)
        return _encode(*self.fake.handle(method_name, params, files))

    async def _long_poll(self, params: dict[str, Any]) -> None:
        offset, timeout = self.fake.poll_arguments(params, self.max_poll)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline and not self.fake.poll_ready(offset):
            await asyncio.sleep(0.005)


def _encode(status: int, body: JsonDict) -> tuple[int, bytes]:
    return status, json.dumps(body, ensure_ascii=False).encode("utf-8")
