"""Limits: the request body size, API keys and the rate limit per key and route.

The rate limit works like LibreTranslate's (a moving window of one minute, counted per
key, or per client address without keys, and per route; a batch of N texts costs N
requests) and answers like it: 429 ``{"error": "Slowdown: N per 1 minute"}``. It is kept
in each worker process.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ..errors import ConfigError, InputError
from ..io import read_file

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def read_api_keys(path: str | os.PathLike[str]) -> dict[str, int | None]:
    """Key → its requests a minute (None: the server's ``req_limit``), from a file of
    ``KEY`` or ``KEY<TAB or space>LIMIT`` lines; ``#`` starts a comment."""
    try:
        text = read_file(path).decode("utf-8")
    except (InputError, UnicodeDecodeError) as e:
        reason = e.reason if isinstance(e, InputError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot read the API keys: {reason}") from e
    keys: dict[str, int | None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) > 2 or (len(fields) == 2 and not fields[1].isdigit()):
            raise ConfigError(f"{path}:{number}: expected KEY or KEY<TAB>requests a minute")
        keys[fields[0]] = int(fields[1]) if len(fields) == 2 else None
    if not keys:
        raise ConfigError(f"{path}: no API keys in the file")
    return keys


class RateLimiter:
    """A moving window of 60 s per (who, route)."""

    def __init__(self, default: int, per_key: dict[str, int | None] | None = None) -> None:
        self.default = default
        self.per_key = per_key or {}
        self._hits: dict[tuple[str, str], deque[float]] = {}

    def limit_of(self, key: str | None) -> int:
        if key is not None and self.per_key.get(key) is not None:
            return self.per_key[key] or 0
        return self.default

    def allow(self, who: str, key: str | None, route: str, cost: int = 1) -> int | None:
        """None if the request may go on, else the limit it would exceed."""
        limit = self.limit_of(key)
        if limit <= 0:
            return None
        now = time.monotonic()
        hits = self._hits.setdefault((who, route), deque())
        while hits and hits[0] <= now - 60:
            hits.popleft()
        if len(hits) + cost > limit:
            return limit
        hits.extend([now] * cost)
        if len(self._hits) > 100_000:  # forget idle clients
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - 60}
        return None


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes is answered 413 before the
    application sees it (by its Content-Length, or as it streams in: the body is read
    here, at most ``limit`` bytes, and handed on whole)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # http.disconnect, when it comes

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": f"Request body too large (limit {self.limit} bytes)"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
