"""The DeepL engine, through the official ``deepl`` client (the ``deepl`` extra; the key in
``$DEEPL_AUTH_KEY`` or the variable named by ``api_key_env``; ``--url`` for another server).

Glossaries: where DeepL supports the language pair (it says so at
``/v2/glossary-language-pairs``; zh ↔ en is supported), our glossary becomes a DeepL
glossary named ``bilingual <fingerprint>`` — created once per glossary fingerprint, found
and reused afterwards — and sentences go with their terms in place. Where it does not,
terms travel as placeholders ``⟦n⟧`` and are restored here. Formality and context are
passed through. Up to 50 texts per request (DeepL's limit), ``concurrency`` at a time.

Retries are the client's own: it retries 429 and 5xx answers and cut connections with an
exponential backoff (1 s × 1.6, ±23 % jitter); we set how many (``retries``, through the
client's documented ``deepl.http_client.max_network_retries``, a setting of the whole
process). The client ignores ``Retry-After``, which DeepL's API does not send.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import deepl

from ...errors import EngineError
from ..terms import protect, restore
from . import Capabilities
from .remote import Usage, api_key, batches, in_order, public, scrub, server_url

if TYPE_CHECKING:
    from ...glossary import Glossary
    from ...options import TranslateOptions

MAX_TEXTS = 50
MAX_CHARS = 100_000
"""DeepL takes at most 50 texts and 128 KiB in one request."""

_TARGETS = {"en": "EN-US", "zh": "ZH-HANS"}


class DeepLEngine:
    """DeepL's API; its id (a part of the memory's key) names formality and context."""

    name: ClassVar[str] = "deepl"
    capabilities: ClassVar[Capabilities] = Capabilities(
        handles_terms=True, max_batch=4096, devices=()
    )

    def __init__(self, source: str, target: str, options: TranslateOptions | None = None) -> None:
        from ...options import TranslateOptions

        options = options or TranslateOptions()
        self.variable = options.api_key_env or "DEEPL_AUTH_KEY"
        self.key = api_key(self.name, options.api_key_env, self.variable, required=True) or ""
        default = (
            "https://api-free.deepl.com" if self.key.endswith(":fx") else "https://api.deepl.com"
        )
        self.url = server_url(self.name, options.url, default)
        deepl.http_client.max_network_retries = options.retries
        deepl.http_client.min_connection_timeout = options.timeout
        self.client = deepl.Translator(
            self.key, server_url=options.url and self.url + "/", send_platform_info=False
        )
        self.source, self.target = source, target
        self.batch_size = min(options.batch_size or MAX_TEXTS, MAX_TEXTS)
        self.concurrency = options.concurrency
        self.extra: dict[str, Any] = {}
        if options.formality != "default":
            self.extra["formality"] = options.formality
        if options.context:
            self.extra["context"] = options.context
        self.usage = Usage("characters", options.price)
        self._glossaries: dict[str, Any] = {}
        self._pairs: set[tuple[str, str]] | None = None
        context = hashlib.sha1((options.context or "").encode()).hexdigest()[:8]
        self.id = f"deepl:{options.formality}:{context if options.context else ''}"

    def translate_batch(self, sentences: Sequence[str], glossary: Glossary | None) -> list[str]:
        deepl_glossary = (
            self._glossary(glossary) if glossary is not None and len(glossary) else None
        )
        texts = list(sentences)
        protected = None
        if glossary is not None and len(glossary) and deepl_glossary is None:
            protected = [protect(s, glossary, self.source) for s in sentences]
            texts = [p.text for p in protected]
        parts = batches([len(t) for t in texts], self.batch_size, MAX_CHARS)
        done = in_order(
            lambda r: self._request(texts[r.start : r.stop], deepl_glossary),
            parts,
            self.concurrency,
        )
        out = [text for part in done for text in part]
        if protected is not None:
            out = [restore(o, p, self.target)[0] for o, p in zip(out, protected, strict=True)]
        return out

    def _request(self, texts: list[str], glossary: Any) -> list[str]:
        self.usage.add(requests=1)
        results = self._call(
            self.client.translate_text,
            texts,
            source_lang=self.source.upper(),
            target_lang=_TARGETS[self.target],
            glossary=glossary,
            **self.extra,
        )
        results = results if isinstance(results, list) else [results]
        self.usage.add(characters=sum(int(r.billed_characters or 0) for r in results))
        if len(results) != len(texts):
            raise self._fail(f"returned {len(results)} translations for {len(texts)} texts")
        return [r.text for r in results]

    def _glossary(self, glossary: Glossary) -> Any:
        """The DeepL glossary of ``glossary`` (created once, then found by name), or None
        where DeepL has no glossaries for the pair."""
        if self._pairs is None:
            pairs = self._call(self.client.get_glossary_languages)
            self._pairs = {(p.source_lang.lower(), p.target_lang.lower()) for p in pairs}
        if (self.source, self.target) not in self._pairs:
            return None
        name = f"bilingual {glossary.fingerprint}"
        if name not in self._glossaries:
            for info in self._call(self.client.list_glossaries):
                if info.name == name and (info.source_lang.lower(), info.target_lang.lower()) == (
                    self.source,
                    self.target,
                ):
                    self._glossaries[name] = info
                    break
            else:
                entries = _entries(glossary, self.source)
                self._glossaries[name] = self._call(
                    self.client.create_glossary, name, self.source, self.target, entries
                )
        return self._glossaries[name]

    def _call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """A client call, its exceptions as one-line EngineErrors without the key."""
        try:
            return function(*args, **kwargs)
        except deepl.AuthorizationException as e:
            raise self._fail(f"refused the API key (HTTP 403); check ${self.variable}") from e
        except deepl.QuotaExceededException as e:
            raise self._fail("says the quota for this billing period is used up (HTTP 456)") from e
        except deepl.TooManyRequestsException as e:
            raise self._fail(
                f"failed after {deepl.http_client.max_network_retries} retries (HTTP 429)"
            ) from e
        except deepl.ConnectionException as e:
            raise self._fail(f"cannot be reached ({_reason(e)})") from e
        except deepl.DeepLException as e:
            status = getattr(e, "http_status_code", None)
            raise self._fail(f"refused the request (HTTP {status}: {e})") from e
        except ValueError as e:  # the client's own checks
            raise self._fail(f"cannot be asked: {e}") from e

    def _fail(self, what: str) -> EngineError:
        message = " ".join(f"the deepl server at {public(self.url)} {what}".split())
        return EngineError(scrub(message, self.key))


def _entries(glossary: Glossary, source: str) -> dict[str, str]:
    """Source term → target rendering: the approved (preferred) and do-not-translate
    entries DeepL accepts (no tabs, newlines or surrounding spaces)."""
    entries: dict[str, str] = {}
    for entry in glossary:
        if entry.status == "forbidden":
            continue
        chosen = glossary.preferred(entry.zh) or entry
        pair = (entry.zh, chosen.en) if source == "zh" else (chosen.en, entry.zh)
        if all(p and p == p.strip() and "\t" not in p and "\n" not in p for p in pair):
            entries.setdefault(*pair)
    return entries


def _reason(error: BaseException) -> str:
    text = str(error)
    return "connection refused" if "Connection refused" in text or "[Errno 111]" in text else text
