"""The LibreTranslate API: ``/translate``, ``/detect``, ``/languages``, ``/frontend/settings``.

Parameters, validation order, status codes and error bodies follow LibreTranslate 1.9
(checked by a test that sends the same requests to both servers). Our extras are fields
clients may ignore: ``glossary`` (names) in a request; ``engine``, ``issues``, ``terms``
and ``memory_hit`` in a response (lists for a list ``q``, like ``translatedText``).
"""

from __future__ import annotations

import asyncio
import html
import re
from html.parser import HTMLParser
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import BilingualError
from ..text.language import Weights, language_of
from ..translate import Translation
from .state import BadRequest, authorize, parameters, state_of
from .worker import GlossaryKey, glossary_path

NAMES = {"en": "English", "zh": "Chinese"}
CODES = {"en": "en", "zh": "zh-Hans"}
"""Our languages by the codes LibreTranslate gives them in /languages."""
_ALIASES = {"zt": "zh", "zh-hans": "zh", "zh-hant": "zh", "zh-cn": "zh", "zh-tw": "zh"}


def language(code: str) -> str | None:
    """``zh``, ``zh-Hans``, ``zh-TW``, ``en-GB``, ... → ``zh`` or ``en``; None for others."""
    code = code.strip().lower().replace("_", "-")
    code = _ALIASES.get(code, code)
    base = code.split("-")[0]
    return base if base in NAMES else None


def detect(text: str) -> tuple[str, float]:
    """The language of ``text`` (our detector) and a confidence in percent: the share of
    its letters in the script that decided."""
    weights = Weights.of(text)
    script = weights.script()
    lang = language_of(text, script)
    if lang == "zh":
        lang = "zh-Hans"
    confidence = round(100 * (1 - weights.share_not(script)), 1) if script else 0.0
    return lang, confidence


async def languages(request: Request) -> Response:
    worker = state_of(request).worker
    out = []
    for lang in ("en", "zh"):
        targets = {CODES[lang]} | {CODES[b] for a, b in worker.engines if a == lang}
        out.append({"code": CODES[lang], "name": NAMES[lang], "targets": sorted(targets)})
    return JSONResponse(out)


async def frontend_settings(request: Request) -> Response:
    state = state_of(request)
    return JSONResponse(
        {
            "apiKeys": state.keys is not None,
            "charLimit": state.options.char_limit,
            "filesTranslation": False,
            "frontendTimeout": 500,
            "keyRequired": state.keys is not None,
            "language": {
                "source": {"code": "auto", "name": "Auto Detect"},
                "target": {"code": "en", "name": "English"},
            },
            "suggestions": False,
            "supportedFilesFormat": [],
        }
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _texts(params: dict[str, Any]) -> list[str] | str:
    q = params.get("q")
    if not q:
        raise BadRequest(400, "Invalid request: missing q parameter")
    texts: list[Any] = q if isinstance(q, list) else [q]
    if not all(isinstance(t, str) for t in texts):
        raise BadRequest(400, "Invalid request: q must be a string or a list of strings")
    if any(_SURROGATE.search(t) for t in texts):  # not text: it would fail its whole batch
        raise BadRequest(400, "Invalid request: q holds a lone surrogate (\\ud800-\\udfff)")
    return texts if isinstance(q, list) else texts[0]


async def detect_route(request: Request) -> Response:
    try:
        params = await parameters(request)
        q = _texts(params)
        authorize(request, params, "/detect", len(q) if isinstance(q, list) else 1)
    except BadRequest as e:
        return e.response()
    texts = q if isinstance(q, list) else [q]
    return JSONResponse([{"confidence": c, "language": lang} for lang, c in map(detect, texts)])


MAX_GLOSSARIES = 16
"""The most glossaries one request may name: each is loaded (and kept) by the engine."""


def _glossaries(value: Any) -> GlossaryKey:
    """A request's ``glossary``: names (a list, or comma-separated), none for the server's."""
    if value is None or value == "":
        return None
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise BadRequest(400, "Invalid request: glossary must be names")
    names = [n.strip() for n in names if n.strip()]
    # a name given again is the same file, where it stands last (later wins)
    names = list(reversed(dict.fromkeys(reversed(names))))
    if len(names) > MAX_GLOSSARIES:
        raise BadRequest(400, f"Invalid request: more than {MAX_GLOSSARIES} glossaries")
    try:
        for name in names:
            glossary_path(name)
    except BilingualError as e:
        raise BadRequest(400, str(e)) from e
    return tuple(names)


def _validate(params: dict[str, Any], char_limit: int) -> tuple[list[str] | str, str, str, str]:
    """LibreTranslate's checks, in its order; (q, source, target, format)."""
    q = _texts(params)
    source, target = params.get("source"), params.get("target")
    if not source:
        raise BadRequest(400, "Invalid request: missing source parameter")
    if not target:
        raise BadRequest(400, "Invalid request: missing target parameter")
    alternatives = params.get("alternatives", 0)
    try:
        int(alternatives)
    except (TypeError, ValueError, OverflowError) as e:
        raise BadRequest(400, "Invalid request: alternatives parameter is not a number") from e
    chars = sum(map(len, q)) if isinstance(q, list) else len(q)
    if chars > char_limit:
        raise BadRequest(
            400, f"Invalid request: request ({chars}) exceeds text limit ({char_limit})"
        )
    if not isinstance(source, str) or (source != "auto" and language(source) is None):
        raise BadRequest(400, f"{source} is not supported")
    if not isinstance(target, str) or language(target) is None:
        raise BadRequest(400, f"{target} is not supported")
    fmt = params.get("format") or "text"
    if fmt not in ("text", "html"):
        raise BadRequest(400, f"{fmt} format is not supported")
    return q, source, target, fmt


async def translate_route(request: Request) -> Response:
    state = state_of(request)
    try:
        params = await parameters(request)
        q, source, target, fmt = _validate(params, state.options.char_limit)
        authorize(request, params, "/translate", len(q) if isinstance(q, list) else 1)
        names = _glossaries(params.get("glossary"))
    except BadRequest as e:
        return e.response()
    texts = q if isinstance(q, list) else [q]
    detected = [detect(t) for t in texts] if source == "auto" else None
    to = language(target) or "en"
    if detected:
        sources = [language(lang) or "en" for lang, _ in detected]
    else:
        sources = [language(source) or "en"] * len(texts)
    try:
        results = await asyncio.wait_for(
            _translate(state, texts, sources, to, names, fmt), state.options.request_timeout
        )
    except TimeoutError:
        return JSONResponse(
            {"error": f"Timeout: no translation within {state.options.request_timeout:g} s"}, 500
        )
    except BadRequest as e:
        return e.response()
    except BilingualError as e:
        return JSONResponse({"error": str(e)}, 500)
    body: dict[str, Any] = {"translatedText": [r.text for r in results]}
    if detected:
        body["detectedLanguage"] = [{"confidence": c, "language": lang} for lang, c in detected]
    if int(params.get("alternatives", 0) or 0) > 0:
        body["alternatives"] = [[] for _ in results]
    body |= _extras(results, fmt)
    if not isinstance(q, list):
        body = {k: v[0] for k, v in body.items()}
    return JSONResponse(body)


def _extras(results: list[Translation], fmt: str) -> dict[str, list[Any]]:
    spans = fmt == "text"  # in HTML, spans would point into the text nodes
    return {
        "engine": [r.engine for r in results],
        "memory_hit": [bool(r.sentences) and r.memory_hits == r.sentences for r in results],
        "issues": [
            [
                {"kind": str(i.kind), "detail": i.detail, "span": i.span if spans else None}
                for i in r.issues
            ]
            for r in results
        ],
        "terms": [
            [
                {
                    "source": t.source,
                    "target": t.target,
                    "source_span": t.source_span if spans else None,
                    "target_span": t.target_span if spans else None,
                }
                for t in r.terms
            ]
            for r in results
        ],
    }


async def _translate(
    state: Any, texts: list[str], sources: list[str], target: str, names: GlossaryKey, fmt: str
) -> list[Translation]:
    """Each text translated from its source language (texts already in the target
    language come back as they are); HTML: the text nodes, tags kept."""
    worker = state.worker
    results: list[Translation | None] = [None] * len(texts)
    groups: dict[str, list[int]] = {}
    for i, (text, source) in enumerate(zip(texts, sources, strict=True)):
        if source == target or not text.strip():
            results[i] = Translation(text, text, "none")
        else:
            groups.setdefault(source, []).append(i)
    for source in groups:
        if (source, target) not in worker.engines:
            why = worker.unavailable.get((source, target), "")
            raise BadRequest(
                400, f"{CODES[source]} → {CODES[target]} is not supported here: {why}".rstrip(": ")
            )

    async def run(source: str, members: list[int]) -> None:
        pair = (source, target)
        if fmt == "html":
            for i in members:
                results[i] = await _translate_html(worker, pair, names, texts[i])
            return
        done = await worker.translate(pair, names, [texts[i] for i in members])
        for i, result in zip(members, done, strict=True):
            results[i] = result

    await asyncio.gather(*(run(s, m) for s, m in groups.items()))
    return [r for r in results if r is not None]


class _Nodes(HTMLParser):
    """An HTML fragment as markup and text nodes (script and style contents are markup)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[bool, str]] = []  # (is text?, content)
        self._raw = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.parts.append((False, self.get_starttag_text() or ""))
        self._raw += tag in ("script", "style")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        self.parts.append((False, self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        self.parts.append((False, f"</{tag}>"))
        self._raw -= tag in ("script", "style") and self._raw > 0

    def handle_data(self, data: str) -> None:
        self.parts.append((not self._raw, data))

    def handle_comment(self, data: str) -> None:
        self.parts.append((False, f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.parts.append((False, f"<!{decl}>"))


async def _translate_html(
    worker: Any, pair: tuple[str, str], names: GlossaryKey, text: str
) -> Translation:
    parser = _Nodes()
    parser.feed(text)
    parser.close()
    nodes = [i for i, (is_text, data) in enumerate(parser.parts) if is_text and data.strip()]
    done = await worker.translate(pair, names, [parser.parts[i][1] for i in nodes]) if nodes else []
    out = [data for _, data in parser.parts]
    for i, result in zip(nodes, done, strict=True):
        out[i] = result.text
    pieces = [html.escape(p, quote=False) if parser.parts[i][0] else p for i, p in enumerate(out)]
    merged = Translation(
        "".join(pieces), text, ",".join(sorted({r.engine for r in done})) or "none"
    )
    for result in done:
        merged.terms += result.terms
        merged.issues += result.issues
        merged.sentences += result.sentences
        merged.memory_hits += result.memory_hits
    return merged
