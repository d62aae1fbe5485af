"""A local stand-in for an OpenAI-compatible chat-completions server, on 127.0.0.1.

This is a fake of a paid or heavy service, written for the tests: the real thing is either
a hosted API (paid, over the network) or a local model server whose one-off build takes
longer than CI's budget (llama-cpp-python compiles llama.cpp: 6–12 minutes on two cores).
It follows OpenAI's documented request and response format for ``POST
/v1/chat/completions``: a ``chat.completion`` object, or with ``"stream": true`` server-sent
events of ``chat.completion.chunk`` objects ending with ``data: [DONE]`` (and a usage chunk
with ``stream_options.include_usage``); errors as ``{"error": {"message", "type", "code"}}``
with 401 for a wrong key and 429 with ``Retry-After``. Quirks of real servers are switches:
``stream=False`` answers plain JSON even when a stream was asked for (as some proxies do),
``json_mode=False`` refuses ``response_format`` with a 500 like llama-cpp-python does for
schemas, ``detail_errors`` answers 401 as FastAPI does (``{"detail": …}``).

What the model answers is the test's business: ``answer(sentences, request)`` gets the
request's sentences (``{"id", "text", ...}`` dicts, with ``previous`` and ``problems`` when
it is a revision) and returns the content string, by default JSON translations made by
``translate(text)``. Every request is kept in ``requests`` (headers and JSON body) so tests
can assert what our side sent.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from servers.local import LocalServer, send


@dataclass
class Failure:
    """An error answer to give instead of the next normal one."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeOpenAI(LocalServer):
    translate: Callable[[str], str] = lambda text: _toy(text)
    answer: Callable[[list[dict[str, Any]], dict[str, Any]], str] | None = None
    api_key: str | None = None
    latency: float = 0.0
    stream: bool = True
    json_mode: bool = True
    detail_errors: bool = False
    usage_in_stream: bool = True
    failures: list[Failure] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _address(self, port: int) -> str:
        return f"http://127.0.0.1:{port}/v1"

    # --- one request ---------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length)
        with self._lock:
            record = {"path": h.path, "headers": {k.lower(): v for k, v in h.headers.items()}}
            self.requests.append(record)
            failure = self.failures.pop(0) if self.failures else None
        if self.latency:
            time.sleep(self.latency)
        if h.path != "/v1/chat/completions":
            return send(h, 404, {"detail": "Not Found"})
        if self.api_key is not None and h.headers.get("Authorization") != f"Bearer {self.api_key}":
            if self.detail_errors:
                return send(h, 401, {"detail": "Invalid API key"})
            error = {"message": "Incorrect API key provided.", "type": "invalid_request_error"}
            return send(h, 401, {"error": error | {"param": None, "code": "invalid_api_key"}})
        try:
            body = json.loads(raw)
        except ValueError:
            return send(h, 400, {"error": {"message": "invalid JSON", "type": "bad_request"}})
        record["body"] = body
        if failure is not None:
            return send(h, failure.status, failure.body, failure.headers)
        if "response_format" in body and not self.json_mode:
            message = "1 validation error: response_format: Input should be 'text'"
            return send(h, 500, {"error": {"message": message, "type": "internal_server_error"}})
        sentences = json.loads(body["messages"][-1]["content"])["sentences"]
        content = (self.answer or self._default)(sentences, body)
        prompt_tokens = sum(len(m["content"]) for m in body["messages"]) // 2
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(content) // 2,
            "total_tokens": prompt_tokens + len(content) // 2,
        }
        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if not (body.get("stream") and self.stream):
            message = {"role": "assistant", "content": content}
            choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
            obj = {"id": ident, "object": "chat.completion", "created": created}
            return send(h, 200, obj | {"model": body["model"], "choices": [choice], "usage": usage})
        head = {"id": ident, "object": "chat.completion.chunk", "created": created}
        head["model"] = body["model"]
        events = [head | {"choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
        for i in range(0, len(content), 7):
            delta = {"content": content[i : i + 7]}
            events.append(head | {"choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
        events.append(head | {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if self.usage_in_stream and (body.get("stream_options") or {}).get("include_usage"):
            events.append(head | {"choices": [], "usage": usage})
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream; charset=utf-8")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for event in [*(json.dumps(e) for e in events), "[DONE]"]:
            _chunk(h, f"data: {event}\n\n".encode())
        _chunk(h, b"")

    def _default(self, sentences: list[dict[str, Any]], body: dict[str, Any]) -> str:
        out = [{"id": s["id"], "text": self.translate(s["text"])} for s in sentences]
        return json.dumps({"translations": out}, ensure_ascii=False)


def _toy(text: str) -> str:
    """A stand-in translation: Han characters become ``x``, Chinese marks English ones;
    figures and Latin text stay, so our checks pass."""
    text = re.sub(r"[\u3400-\u9fff]+", " x ", text)
    text = text.translate(str.maketrans("。，；：", ".,;:"))
    return re.sub(r" +([.,;:])", r"\1", re.sub(r" {2,}", " ", text)).strip()


def _chunk(h: BaseHTTPRequestHandler, data: bytes) -> None:
    h.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
    h.wfile.flush()
