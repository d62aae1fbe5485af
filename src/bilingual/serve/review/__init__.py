"""The review page: ``bilingual serve --review RESULT.jsonl [--report report.json]``.

``/review`` is a static page (``static/``, shipped in the package: no CDN, no network)
that reads ``/review/api/...``: the documents (see :mod:`.model`), accepting or editing a
translation (stored in the memory as a ``human`` unit, which every later run uses), and
adding a term to one of the server's glossary files (only if the file still lints).

Writes take JSON only, from this page's own origin: a browser sends no JSON to another
origin without asking first (a preflight this server never grants for ``/review``), and a
loopback server refuses Host headers that are not loopback names (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ...errors import BilingualError
from ...glossary import Entry
from ...glossary.bundled import bundled_dir, expand, resolve
from ...glossary.edit import add_entry
from ...options import PipelineOptions
from ...translate.memory import HUMAN, Unit
from ..state import BadRequest, state_of
from ..worker import store_dir
from .model import Record, document, read_report, read_result

_STATIC = {"review.js": "text/javascript", "review.css": "text/css"}


@dataclass
class Review:
    """A run's result, its report, and the glossary files terms may be added to."""

    records: list[Record]
    source_lang: str
    target_lang: str
    report: dict[str, Any] | None
    glossaries: list[Path]
    path: str

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], report: str | None, options: PipelineOptions
    ) -> Review:
        records, source, target = read_result(path, options.field_name)
        files = []
        for spec in expand(options.glossaries):
            file = resolve(spec)
            if file.parent != bundled_dir():
                files.append(file)
        return cls(records, source, target, read_report(report), files, os.fspath(path))

    @property
    def unit_documents(self) -> dict[str, int]:
        return {unit: r.index for r in self.records for unit, _, _ in r.units}

    def targets(self) -> list[Path]:
        """Glossary files a term may go to: the server's ``--glossary`` files, then those
        sent with PUT."""
        stored = sorted(store_dir().glob("*.tsv")) if store_dir().is_dir() else []
        return [*self.glossaries, *(p for p in stored if p not in self.glossaries)]


def _review(request: Request) -> Review:
    review = state_of(request).review
    if review is None:
        raise BadRequest(404, "no review here: start the server with --review RESULT.jsonl")
    assert isinstance(review, Review)
    return review


async def page(request: Request) -> Response:
    _review(request)
    return HTMLResponse(_asset("review.html"))


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _STATIC:
        return JSONResponse({"error": "not found"}, status_code=404)
    return Response(_asset(name), media_type=_STATIC[name])


def _asset(name: str) -> str:
    return (resources.files(__package__) / "static" / name).read_text(encoding="utf-8")


async def index(request: Request) -> Response:
    review = _review(request)
    state = state_of(request)
    return JSONResponse(
        {
            "result": review.path,
            "pair": [review.source_lang, review.target_lang],
            "documents": [
                {
                    "index": r.index,
                    "id": r.id,
                    "sentences": len(r.sentences),
                    "issues": len(r.issues),
                    "duplicates": len(r.duplicates),
                }
                for r in review.records
            ],
            "glossaries": [str(p) for p in review.targets()],
            "report": review.report,
            "memory": state.worker.memory.path if state.worker.memory is not None else None,
            "keys": state.keys is not None,
        }
    )


async def _document(request: Request, review: Review, index: int) -> dict[str, Any]:
    record = review.records[index]
    worker = state_of(request).worker
    memory = worker.memory
    human: dict[str, str] = {}
    if memory is not None and record.sentences:
        sentences = [record.sentence_text(n) for n in range(len(record.sentences))]
        human = await worker.run(
            lambda: memory.get_many(
                sentences,
                engine=HUMAN,
                glossary="",
                source_lang=review.source_lang,
                target_lang=review.target_lang,
            )
        )
    return document(record, human, review.unit_documents)


async def get_document(request: Request) -> Response:
    try:
        review = _review(request)
        index = _index(request.path_params["index"], len(review.records), "document")
    except BadRequest as e:
        return e.response()
    return JSONResponse(await _document(request, review, index))


def _index(value: Any, size: int, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as e:
        raise BadRequest(400, f"{what} must be a number") from e
    if not 0 <= number < size:
        raise BadRequest(404, f"no {what} {number}")
    return number


async def _write_request(request: Request) -> dict[str, Any]:
    """The JSON body of a write from the page itself (see the module docs)."""
    state = state_of(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest(415, "send JSON (application/json)")
    host = request.headers.get("host", "")
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != host:
        raise BadRequest(403, "writes come from the review page of this server only")
    try:
        body = await request.json()
    except ValueError as e:
        raise BadRequest(400, "not JSON") from e
    if not isinstance(body, dict):
        raise BadRequest(400, "expected a JSON object")
    if state.keys is not None and body.get("api_key") not in state.keys:
        raise BadRequest(403, "Invalid API key")
    return body


def _text(body: dict[str, Any], name: str, limit: int = 10_000) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise BadRequest(400, f"{name}: a text of 1 to {limit} characters")
    return value.strip()


async def accept(request: Request) -> Response:
    """A person's translation of one sentence (the run's, accepted, or an edit), stored in
    the memory as ``human``; answers with the document as it is now."""
    try:
        review = _review(request)
        body = await _write_request(request)
        index = _index(body.get("document"), len(review.records), "document")
        record = review.records[index]
        n = _index(body.get("sentence"), len(record.sentences), "sentence")
        translation = _text(body, "translation")
    except BadRequest as e:
        return e.response()
    worker = state_of(request).worker
    memory = worker.memory
    if memory is None:
        return JSONResponse({"error": "the server has no memory (--memory none)"}, 409)
    unit = Unit(record.sentence_text(n), translation, review.source_lang, review.target_lang, HUMAN)
    await worker.run(lambda: memory.put_many([unit]))
    return JSONResponse(await _document(request, review, index))


async def add_term(request: Request) -> Response:
    """A glossary entry appended to one of the server's glossary files, if it still lints."""
    try:
        review = _review(request)
        body = await _write_request(request)
        targets = review.targets()
        path = targets[_index(body.get("glossary"), len(targets), "glossary")]
        zh, en = _text(body, "zh", 200), _text(body, "en", 200)
        note = body.get("note") or ""
        if not isinstance(note, str) or len(note) > 500:
            raise BadRequest(400, "note: a text of at most 500 characters")
    except BadRequest as e:
        return e.response()
    entry = Entry(zh, en, note=" ".join(note.split()), source=str(path))
    try:
        problems = await asyncio.to_thread(add_entry, path, entry)
    except BilingualError as e:
        return JSONResponse({"error": str(e)}, 400)
    if problems:
        return JSONResponse(
            {
                "error": "; ".join(f"{f.code}: {f.message}" for f in problems),
                "findings": [f.to_dict() for f in problems],
            },
            400,
        )
    return JSONResponse({"glossary": str(path), "zh": zh, "en": en}, status_code=201)


def review_routes() -> list[BaseRoute]:
    return [
        Route("/review", page, methods=["GET"]),
        Route("/review/static/{name}", static, methods=["GET"]),
        Route("/review/api/index", index, methods=["GET"]),
        Route("/review/api/documents/{index}", get_document, methods=["GET"]),
        Route("/review/api/accept", accept, methods=["POST"]),
        Route("/review/api/terms", add_term, methods=["POST"]),
    ]
