"""A local stand-in for DeepL's API (v2), on 127.0.0.1, for the official ``deepl`` client.

A fake of a paid service (there is no DeepL server to run), written for the tests from
DeepL's documented API and the client's requests as recorded in the project's research:
``DeepL-Auth-Key`` authorisation (403 with an empty body when wrong), ``POST
/v2/translate`` with a JSON body (``text`` list, ``show_billed_characters``) answering
``translations`` with ``billed_characters``, ``GET /v2/languages`` (``type`` from the query
or a form body on the GET, as the client sends it), ``GET /v2/glossary-language-pairs``,
v2 glossaries (create 201, list, get, TSV entries, delete 204; timestamps with fractions
and a zone), a character quota (456 with ``{"message": ...}``) and injected failures (429
with an empty body, 5xx).

The "translation" is a toy: glossary terms are replaced by their targets, as DeepL would
use them, then Han characters become ``x``; figures stay. Every request is kept in
``requests`` so tests can assert what the client sent.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from servers.local import LocalServer, send


@dataclass
class FakeDeepL(LocalServer):
    auth_key: str = "test-key:fx"
    character_limit: int = 1_000_000
    glossary_pairs: tuple[tuple[str, str], ...] = (("zh", "en"), ("en", "zh"))
    failures: list[int] = field(default_factory=list)
    """Statuses to answer (once each) before the next normal answer."""
    character_count: int = 0
    glossaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        parts = urlsplit(h.path)
        params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if raw and "json" in h.headers.get("Content-Type", ""):
            params |= json.loads(raw)
        elif raw:
            params |= {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
        with self._lock:
            self.requests.append({"method": method, "path": parts.path, "params": params})
            failure = self.failures.pop(0) if self.failures else None
        if h.headers.get("Authorization") != f"DeepL-Auth-Key {self.auth_key}":
            return send(h, 403, None)
        if not h.headers.get("User-Agent"):
            return send(h, 400, {"message": "User-Agent header missing."})
        if failure is not None:
            return send(h, failure, None)
        route = (method, parts.path)
        if route == ("POST", "/v2/translate"):
            return self._translate(h, params)
        if route == ("GET", "/v2/languages"):
            return send(h, 200, _languages(params.get("type", "source")))
        if route == ("GET", "/v2/glossary-language-pairs"):
            pairs = [{"source_lang": s, "target_lang": t} for s, t in self.glossary_pairs]
            return send(h, 200, {"supported_languages": pairs})
        if route == ("POST", "/v2/glossaries"):
            return self._create_glossary(h, params)
        if route == ("GET", "/v2/glossaries"):
            return send(h, 200, {"glossaries": [_info(g) for g in self.glossaries.values()]})
        m = re.fullmatch(r"/v2/glossaries/([\w-]+)(/entries)?", parts.path)
        if m and m.group(1) in self.glossaries:
            glossary = self.glossaries[m.group(1)]
            if method == "DELETE":
                del self.glossaries[m.group(1)]
                return send(h, 204, None)
            if m.group(2):
                tsv = "\n".join(f"{k}\t{v}" for k, v in glossary["entries"].items())
                return send(h, 200, tsv, content_type="text/tab-separated-values; charset=UTF-8")
            return send(h, 200, _info(glossary))
        return send(h, 404, None)

    def _translate(self, h: BaseHTTPRequestHandler, params: dict[str, Any]) -> None:
        texts = params.get("text")
        if not texts:
            return send(h, 400, {"message": "Parameter 'text' not specified"})
        texts = [texts] if isinstance(texts, str) else texts
        if params.get("target_lang", "").upper() not in ("EN-US", "EN-GB", "ZH", "ZH-HANS"):
            return send(h, 400, {"message": "Value for 'target_lang' not supported."})
        entries: dict[str, str] = {}
        if params.get("glossary_id"):
            if not params.get("source_lang"):
                message = "Use of a glossary requires the source_lang parameter to be specified"
                return send(h, 400, {"message": message})
            entries = self.glossaries[params["glossary_id"]]["entries"]
        billed = sum(len(t) for t in texts)
        with self._lock:
            if self.character_count + billed > self.character_limit:
                message = "Quota for this billing period has been exceeded."
                return send(h, 456, {"message": message})
            self.character_count += billed
        out = []
        for text in texts:
            for source in sorted(entries, key=len, reverse=True):
                text = text.replace(source, f" {entries[source]} ")
            text = re.sub(r"[\u3400-\u9fff]+", " x ", text).translate(str.maketrans("。，", ".,"))
            text = re.sub(r" +([.,])", r"\1", re.sub(r"\s+", " ", text)).strip()
            out.append(text)
        source_lang = (params.get("source_lang") or "ZH").upper()
        translations = [
            {"detected_source_language": source_lang, "text": t, "billed_characters": len(s)}
            for t, s in zip(out, texts, strict=True)
        ]
        return send(h, 200, {"translations": translations})

    def _create_glossary(self, h: BaseHTTPRequestHandler, params: dict[str, Any]) -> None:
        pair = (params["source_lang"].lower(), params["target_lang"].lower())
        if pair not in self.glossary_pairs:
            return send(h, 400, {"message": "Unsupported glossary source and target language pair"})
        if params.get("entries_format") != "tsv":
            return send(h, 400, {"message": "Unsupported entries format"})
        entries = dict(line.split("\t", 1) for line in params["entries"].split("\n") if line)
        glossary = {
            "glossary_id": str(uuid.uuid4()),
            "name": params["name"],
            "ready": True,
            "source_lang": pair[0],
            "target_lang": pair[1],
            "creation_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "entries": entries,
        }
        self.glossaries[glossary["glossary_id"]] = glossary
        return send(h, 201, _info(glossary))


def _info(glossary: dict[str, Any]) -> dict[str, Any]:
    info = {k: v for k, v in glossary.items() if k != "entries"}
    return info | {"entry_count": len(glossary["entries"])}


def _languages(kind: str) -> list[dict[str, Any]]:
    if kind == "target":
        return [
            {"language": "EN-US", "name": "English (American)", "supports_formality": False},
            {"language": "ZH", "name": "Chinese (simplified)", "supports_formality": False},
        ]
    return [{"language": "EN", "name": "English"}, {"language": "ZH", "name": "Chinese"}]
