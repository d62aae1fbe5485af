"""The LibreTranslate engine: any LibreTranslate server (``--url``, an optional key in
``$LIBRETRANSLATE_API_KEY``).

Sentences go as a list (``q``) with ``format=text``, ``batch_size`` (default 32) per request,
``concurrency`` requests at a time; glossary terms travel as placeholders ``⟦n⟧``, which the
translator restores and checks like with any other engine. The request and error formats are
LibreTranslate 1.9's (``{"translatedText": [...]}``, ``{"error": "..."}``). Needs the
``libretranslate`` extra (httpx).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import httpx  # noqa: F401  (the libretranslate extra: missing, the engine says so when loaded)

from ...errors import EngineError
from . import Capabilities
from .remote import Client, Usage, api_key, batches, in_order, public, server_url

if TYPE_CHECKING:
    from ...glossary import Glossary
    from ...options import TranslateOptions

MAX_CHARS = 5000
"""Characters per request at most (servers often set ``--char-limit``)."""


class LibreTranslateEngine:
    """A LibreTranslate server; its id (a part of the memory's key) names the server."""

    name: ClassVar[str] = "libretranslate"
    capabilities: ClassVar[Capabilities] = Capabilities(max_batch=4096, devices=())

    def __init__(self, source: str, target: str, options: TranslateOptions | None = None) -> None:
        from ...options import TranslateOptions

        options = options or TranslateOptions()
        url = server_url(self.name, options.url)
        variable = options.api_key_env or "LIBRETRANSLATE_API_KEY"
        self.key = api_key(self.name, options.api_key_env, variable, required=False)
        self.usage = Usage("characters", options.price)
        self.client = Client.of(
            self.name, url, options, self.usage, key=self.key, key_variable=variable
        )
        self.source, self.target = source, target
        self.batch_size = options.batch_size or 32
        self.concurrency = options.concurrency
        self.id = f"libretranslate:{public(url)}"

    def translate_batch(self, sentences: Sequence[str], glossary: Glossary | None) -> list[str]:
        parts = batches([len(s) for s in sentences], self.batch_size, MAX_CHARS)
        done = in_order(
            lambda r: self._request(sentences[r.start : r.stop]), parts, self.concurrency
        )
        return [text for part in done for text in part]

    def _request(self, sentences: Sequence[str]) -> list[str]:
        body: dict[str, Any] = {
            "q": list(sentences),
            "source": self.source,
            "target": self.target,
            "format": "text",
        }
        if self.key:
            body["api_key"] = self.key
        self.usage.add(characters=sum(len(s) for s in sentences))
        answer = self.client.post("/translate", json_body=body)
        texts = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(texts, str) and len(sentences) == 1:
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise EngineError(
                f"the libretranslate server at {public(self.client.url)} answered without "
                "a translatedText list"
            )
        if len(texts) != len(sentences):
            raise EngineError(
                f"the libretranslate server at {public(self.client.url)} returned "
                f"{len(texts)} translations for {len(sentences)} sentences"
            )
        return texts
