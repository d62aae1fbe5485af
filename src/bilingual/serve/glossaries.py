"""``GET /glossaries``, ``GET /glossaries/{name}`` (TSV, or TBX) and ``PUT /glossaries/{name}``.

Bundled glossaries are read-only. A PUT body is a TSV or TBX glossary; it is parsed and
linted like ``bilingual glossary lint``, refused (400, with every finding) when lint finds
an error, and otherwise kept under ``$BILINGUAL_HOME/glossaries/{name}.tsv``, where
requests name it (``"glossary": "name"``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import BilingualError, GlossaryError
from ..glossary import bundled_names, lint, read_glossary
from ..glossary.bundled import resolve
from ..glossary.edit import rewrite
from ..glossary.formats import parse_tbx, parse_tsv, tbx_text, tsv_text
from .state import BadRequest, authorize, error, parameters
from .worker import glossary_names, glossary_path, is_name, store_dir

TSV = "text/tab-separated-values; charset=utf-8"
TBX = "application/x-tbx+xml; charset=utf-8"


async def list_glossaries(request: Request) -> Response:
    out = []
    for name in glossary_names():
        path = Path(glossary_path(name)) if name not in bundled_names() else resolve(name)
        entries = await asyncio.to_thread(read_glossary, path)
        out.append({"name": name, "entries": len(entries), "bundled": name in bundled_names()})
    return JSONResponse(out)


async def get_glossary(request: Request) -> Response:
    name = request.path_params["name"]
    try:
        params = await parameters(request)
        authorize(request, params, "/glossaries")
        source = glossary_path(name)
    except BadRequest as e:
        return e.response()
    except BilingualError as e:
        return error(404, str(e))
    path = resolve(source) if isinstance(source, str) else Path(source)
    wanted = (params.get("format") or request.headers.get("accept", "")).lower()
    tbx = "tbx" in wanted or "xml" in wanted
    try:
        entries = await asyncio.to_thread(read_glossary, path)
        body = tbx_text(entries) if tbx else tsv_text(entries)  # a term XML cannot hold: 422
    except BilingualError as e:
        return error(422, str(e))
    return Response(body, media_type=TBX if tbx else TSV)


async def put_glossary(request: Request) -> Response:
    name = request.path_params["name"]
    try:
        authorize(request, dict(request.query_params), "/glossaries")
    except BadRequest as e:
        return e.response()
    if not is_name(name) or name in ("bundled", "none"):
        return error(400, f"a glossary name is letters, digits, - and _ (at most 64), not {name!r}")
    if name in bundled_names():
        return error(403, f"{name!r} is a bundled glossary: it cannot be replaced")
    body = await request.body()
    content_type = request.headers.get("content-type", "").lower()
    try:
        if "xml" in content_type or "tbx" in content_type or body.lstrip()[:1] == b"<":
            entries = parse_tbx(body, name)
        else:
            entries = parse_tsv(body.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        return error(400, f"{name}: not UTF-8 text")
    except GlossaryError as e:
        return error(400, str(e))
    findings = lint(entries)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        return error(
            400,
            f"{name}: {len(errors)} lint error(s); nothing was stored",
            findings=[f.to_dict() for f in findings],
        )
    folder = store_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.tsv"
    created = not path.exists()
    await asyncio.to_thread(rewrite, path, entries)
    return JSONResponse(
        {
            "name": name,
            "entries": len(entries),
            "warnings": [f.to_dict() for f in findings],
        },
        status_code=201 if created else 200,
    )
