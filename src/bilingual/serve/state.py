"""What every request handler of one worker shares, and the helpers they all use."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..options import PipelineOptions
from .limits import RateLimiter
from .metrics import Metrics
from .worker import Worker


@dataclass
class State:
    options: PipelineOptions
    worker: Worker
    metrics: Metrics
    keys: dict[str, int | None] | None
    limiter: RateLimiter
    review: Any = None
    """The review (see :mod:`bilingual.serve.review`), with ``--review``."""
    extra: dict[str, Any] = field(default_factory=dict)


def state_of(request: Request) -> State:
    state: State = request.app.state.bilingual
    return state


def error(status: int, message: str, **extra: Any) -> Response:
    """LibreTranslate's error body: ``{"error": message}`` (our extra fields after it)."""
    return JSONResponse({"error": message, **extra}, status_code=status)


class BadRequest(Exception):
    """A request the server refuses: its status and message."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra

    def response(self) -> Response:
        return error(self.status, self.message, **self.extra)


MALFORMED = "The browser (or proxy) sent a request that this server could not understand."


async def parameters(request: Request) -> dict[str, Any]:
    """The request's parameters as LibreTranslate reads them: the JSON object of a JSON
    body, else the query string and the form (urlencoded or multipart)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        body = await request.body()
        try:
            data = json.loads(body) if body.strip() else {}
        except (ValueError, UnicodeDecodeError, RecursionError) as e:  # 5,000 digits, [[[…
            raise BadRequest(400, MALFORMED) from e
        if not isinstance(data, dict):
            raise BadRequest(400, "Invalid JSON format")
        return data
    values: dict[str, Any] = dict(request.query_params)
    if content_type == "multipart/form-data":
        try:
            form = await request.form()
        except Exception as e:  # python-multipart's own errors: a malformed body
            raise BadRequest(400, MALFORMED) from e
        values |= {k: v for k, v in form.items() if isinstance(v, str)}
    elif content_type == "application/x-www-form-urlencoded" or not content_type:
        # Read here, as UTF-8 (percent-encoded or not, as curl -d sends it)
        text = (await request.body()).decode("utf-8", "replace")
        for name, value in parse_qsl(text, keep_blank_values=True):
            values.setdefault(name, value)
    return values


def authorize(request: Request, params: dict[str, Any], route: str, cost: int = 1) -> None:
    """The API key (when the server has keys) and the rate limit, as LibreTranslate answers:
    400 without a key, 403 with a wrong one, 429 over the limit."""
    state = state_of(request)
    key = params.get("api_key") or None
    if key is not None and not isinstance(key, str):
        raise BadRequest(403, "Invalid API key")
    if state.keys is not None:
        if not key:
            raise BadRequest(400, "Please contact the server operator to get an API key")
        if not isinstance(key, str) or key not in state.keys:
            raise BadRequest(403, "Invalid API key")
    who = key if state.keys is not None else (request.client.host if request.client else "-")
    limit = state.limiter.allow(str(who), key, route, cost)
    if limit is not None:
        raise BadRequest(429, f"Slowdown: {limit} per 1 minute")
