"""The Starlette application of ``bilingual serve``.

:func:`create_app` builds it for one worker process: the LibreTranslate routes, our own
(``/glossaries``, ``/memory/stats``, ``/health``, ``/metrics``), the review page with
``--review``; the body limit, CORS headers for API clients (not for the review page), and
a metric for every request. Unknown routes and methods get HTML 404/405 pages, as
LibreTranslate's do.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..options import PipelineOptions, options_fields
from . import glossaries, libre
from .limits import ASGIApp, BodyLimit, Message, RateLimiter, Receive, Scope, Send, read_api_keys
from .metrics import CONTENT_TYPE, Metrics
from .state import State, state_of
from .worker import Worker, describe

ENVIRONMENT = "BILINGUAL_SERVE"
"""Where ``bilingual serve`` leaves its options for worker processes (JSON)."""

_CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-headers", b"Authorization, Content-Type"),
    (b"access-control-allow-methods", b"GET, POST"),
    (b"access-control-max-age", b"1728000"),
]
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
"""The host names a server listening on loopback answers for."""
_ROUTES = ("/translate", "/detect", "/languages", "/frontend/settings", "/glossaries")


def _route_label(path: str) -> str:
    for route in (*_ROUTES, "/memory/stats", "/health", "/metrics", "/review"):
        if path == route or path.startswith(route + "/"):
            return route
    return "other"


class _Observe:
    """ASGI middleware: CORS headers on API routes (and their preflight requests), the
    request metrics by route and status, and, on a loopback server, a 403 for a request
    that names another host (a page on another site reaching it by DNS rebinding)."""

    def __init__(self, app: ASGIApp, metrics: Metrics, *, loopback: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.loopback = loopback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if self.loopback and (hostname := _host_of(scope)) not in LOOPBACK:
            body = json.dumps({"error": f"a loopback server does not answer for {hostname!r}"})
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body.encode()})
            self.metrics.request(_route_label(path), 403, 0.0)
            return
        cors = not path.startswith("/review")
        if cors and scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 200, "headers": _CORS})
            await send({"type": "http.response.body", "body": b""})
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # as LibreTranslate: none on routing errors, except at / (its web page)
                if cors and (status not in (404, 405) or path == "/"):
                    message["headers"] = [*message.get("headers", []), *_CORS]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.metrics.request(_route_label(path), status, time.perf_counter() - started)


def _host_of(scope: Scope) -> str:
    """The host name a request names in its Host header (loopback when it has none)."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            return urlsplit("//" + value.decode("latin-1")).hostname or ""
    return "localhost"


_PAGE = """<!doctype html>
<html lang=en>
<title>{code} {title}</title>
<h1>{title}</h1>
<p>{text}</p>
"""


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    texts = {
        404: "The requested URL was not found on the server.",
        405: "The method is not allowed for the requested URL.",
    }
    title = {404: "Not Found", 405: "Method Not Allowed"}.get(exc.status_code, "Error")
    page = _PAGE.format(code=exc.status_code, title=title, text=texts.get(exc.status_code, ""))
    return HTMLResponse(page, status_code=exc.status_code, headers=exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": f"{type(exc).__name__}: {exc}"}, status_code=500)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok", **describe(state_of(request).worker)})


async def metrics(request: Request) -> Response:
    return Response(state_of(request).metrics.exposition(), media_type=CONTENT_TYPE)


async def memory_stats(request: Request) -> Response:
    worker = state_of(request).worker
    memory = worker.memory
    if memory is None:
        return JSONResponse({"path": None, "units": 0, "by_engine": []})
    return JSONResponse(await worker.run(memory.stats))


def create_app(
    options: PipelineOptions, *, report: str | None = None, worker: Worker | None = None
) -> ASGIApp:
    """The application of one worker. ``worker``: engines already loaded (one worker: the
    command loads them before it listens, so a bad option is a one-line error); without
    it they load at start-up."""
    metrics_ = worker.metrics if worker is not None else Metrics()
    keys = read_api_keys(options.api_keys) if options.api_keys is not None else None
    routes: list[BaseRoute] = [
        Route("/translate", libre.translate_route, methods=["POST"]),
        Route("/detect", libre.detect_route, methods=["POST"]),
        Route("/languages", libre.languages, methods=["GET"]),
        Route("/frontend/settings", libre.frontend_settings, methods=["GET"]),
        Route("/glossaries", glossaries.list_glossaries, methods=["GET"]),
        Route("/glossaries/{name}", glossaries.get_glossary, methods=["GET"]),
        Route("/glossaries/{name}", glossaries.put_glossary, methods=["PUT"]),
        Route("/memory/stats", memory_stats, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    review = None
    if options.review is not None:
        from .review import Review, review_routes

        review = Review.load(options.review, report, options)
        routes += review_routes()
    state = State(
        options,
        worker or Worker(options, metrics_),
        metrics_,
        keys,
        RateLimiter(options.req_limit, keys),
        review,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if worker is None:
            await asyncio.to_thread(state.worker.load)
        await state.worker.start()
        try:
            yield
        finally:
            await state.worker.stop()

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.bilingual = state
    observed = _Observe(app, metrics_, loopback=options.host in LOOPBACK)
    return BodyLimit(observed, options.body_limit)


def options_to_environment(options: PipelineOptions, report: str | None) -> str:
    """The options as JSON, for worker processes (:func:`app_from_environment`)."""
    values: dict[str, Any] = {}
    for name in options_fields():
        value = getattr(options, name)
        values[name] = os.fspath(value) if isinstance(value, os.PathLike) else value
    values["glossaries"] = [os.fspath(g) for g in options.glossaries]
    return json.dumps({"options": values, "report": report, "parent": os.getpid()})


def _end_with_parent(parent: int) -> None:
    """Stop this worker process (SIGTERM: requests under way finish) once ``parent``, the
    process that started it, is gone (also when it went before this worker got here):
    ``bilingual serve`` killed with SIGKILL cannot stop its workers, which would otherwise
    go on serving its port alone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="bilingual-parent", daemon=True).start()


def app_from_environment() -> ASGIApp:
    """The application of a worker process started by ``bilingual serve --workers N``."""
    data = json.loads(os.environ[ENVIRONMENT])
    _end_with_parent(data["parent"])
    values = data["options"]
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(value)
    return create_app(PipelineOptions(**values), report=data["report"])
