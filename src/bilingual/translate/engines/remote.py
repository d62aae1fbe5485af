"""What the engines that call a server share: keys from the environment only, one HTTP
client (httpx) with timeouts and retries, bounded concurrency, usage counts and one-line
errors.

- **Keys** come from an environment variable (``OPENAI_API_KEY``, ``DEEPL_AUTH_KEY``,
  ``LIBRETRANSLATE_API_KEY``, or the one named by the ``api_key_env`` option), never from
  an option, and never appear in an error: every message is scrubbed of the key.
- **Retries**: a 429 or 5xx answer, a cut connection or a refused one is tried again up to
  ``retries`` times, after ``Retry-After`` when the server sends it (capped at two
  minutes), else after an exponential backoff with jitter (0.5 s, 1 s, 2 s, … at most 30 s).
- **Errors** are one line naming the engine and the server (its address without user,
  password or query): a refused key, an unreachable server, a timeout, a refused request.
- **Concurrency**: requests go out ``concurrency`` at a time, results come back in order;
  the first failure stops the rest.
"""

from __future__ import annotations

import base64
import email.utils
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, quote_plus, urlsplit

from ...errors import ConfigError, EngineError

if TYPE_CHECKING:
    import httpx

    from ...options import TranslateOptions

__all__ = [
    "Client",
    "Usage",
    "api_key",
    "batches",
    "in_order",
    "retry_delay",
    "scrub",
    "server_url",
]

BACKOFF_BASE = 0.5
BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 120.0

T = TypeVar("T")
R = TypeVar("R")


def api_key(engine: str, variable: str | None, default: str, *, required: bool) -> str | None:
    """The key in ``variable`` (the ``api_key_env`` option) or ``default``; a ConfigError
    when it is required, or when a named variable is empty."""
    name = variable or default
    key = os.environ.get(name, "").strip() or None
    if key is None and (required or variable):
        raise ConfigError(
            f"the {engine} engine needs an API key in the environment variable {name}"
        )
    if key is not None and not re.fullmatch(r"[!-~]+", key):  # the key itself never shown
        raise ConfigError(
            f"the API key in the environment variable {name} has a character no key has "
            "(a space, a line break, a non-ASCII letter): check it"
        )
    return key


def server_url(engine: str, url: str | None, default: str | None = None) -> str:
    """``url`` (or ``default``) checked: an http(s) address, without a trailing slash."""
    url = url or default
    if not url:
        raise ConfigError(f"the {engine} engine needs --url (or url in bilingual.toml)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"url: {public(url)!r} is not an http:// or https:// address")
    if not re.fullmatch(r"[!-~]+", url):
        raise ConfigError(f"url: {public(url)!r} has a space or a control character")
    return url.rstrip("/")


def public(url: str) -> str:
    """``url`` without user, password, query or fragment: what messages may show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}".rstrip("/")


def retry_delay(attempt: int, retry_after: str | None = None) -> float:
    """Seconds to wait before try ``attempt + 2``: ``Retry-After`` (seconds or an HTTP
    date) when given, else exponential backoff with ±25 % jitter."""
    if retry_after:
        value = retry_after.strip()
        seconds: float | None = None
        if re.fullmatch(r"\d+(\.\d+)?", value):
            seconds = float(value)
        else:
            try:
                seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError):
                seconds = None
        if seconds is not None:
            return min(max(seconds, 0.0), RETRY_AFTER_MAX)
    backoff: float = min(BACKOFF_BASE * 2**attempt, BACKOFF_MAX)
    return backoff * random.uniform(0.75, 1.25)


@dataclass
class Usage:
    """What an engine sent and was billed: requests, retries, characters, tokens, and the
    estimated cost when a price per million billed units is configured."""

    unit: str
    """What the price applies to: ``tokens`` or ``characters``."""
    price: float | None = None
    requests: int = 0
    retries: int = 0
    characters: int = 0
    """Characters of source text sent (revisions included)."""
    input_tokens: int = 0
    output_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    @property
    def billed(self) -> int:
        return self.input_tokens + self.output_tokens if self.unit == "tokens" else self.characters

    def snapshot(self) -> dict[str, float]:
        """The counts (and ``cost`` with a price), for the report."""
        counts: dict[str, float] = {
            "requests": self.requests,
            "retries": self.retries,
            "characters": self.characters,
        }
        if self.unit == "tokens":
            counts |= {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens}
        if self.price is not None:
            counts["cost"] = self.billed * self.price / 1e6
        return counts


def batches(sizes: Sequence[int], most: int, max_chars: int) -> list[range]:
    """Consecutive index ranges of at most ``most`` items and (unless one item is longer)
    ``max_chars`` characters, for items of ``sizes`` characters."""
    out: list[range] = []
    start = chars = 0
    for i, size in enumerate(sizes):
        if i > start and (i - start >= most or chars + size > max_chars):
            out.append(range(start, i))
            start, chars = i, 0
        chars += size
    if start < len(sizes):
        out.append(range(start, len(sizes)))
    return out


def in_order(work: Callable[[T], R], items: Sequence[T], concurrency: int) -> list[R]:
    """``work`` of every item, ``concurrency`` at a time, results in order; the first
    exception is raised after the pending items are cancelled."""
    if concurrency <= 1 or len(items) <= 1:
        return [work(item) for item in items]
    pool = ThreadPoolExecutor(min(concurrency, len(items)), thread_name_prefix="bilingual")
    futures = [pool.submit(work, item) for item in items]
    try:
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_SECRET_RUN = 8
"""This many characters of a key in a row are the key, as far as messages go."""


def scrub(text: str, secret: str | None) -> str:
    """``text`` without ``secret`` in any form a server may echo it in: as is, URL- or
    JSON-escaped, in base64, spaced out, or any run of 8 of its characters (a key cut
    short)."""
    if not secret:
        return text
    forms = {
        secret,
        quote(secret),
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        base64.b64encode(secret.encode()).decode(),
        " ".join(secret),
    }
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "***")
    out, i = [], 0
    while i < len(text):
        j = i + _SECRET_RUN
        if len(secret) >= _SECRET_RUN and j <= len(text) and text[i:j] in secret:
            while j < len(text) and text[i : j + 1] in secret:
                j += 1
            out.append("***")
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _one_line(text: str, secret: str | None, limit: int = 200) -> str:
    text = " ".join(scrub(text[: 20 * limit], secret).split())  # scrub reads each character
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_message(response: httpx.Response) -> str:
    """The message of an error body: ``{"error": "…"}`` (LibreTranslate), ``{"error":
    {"message": …}}`` (OpenAI), ``{"detail": …}`` (FastAPI), ``{"message": …}`` (DeepL), or
    the body's text."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return response.text[:300]
    if isinstance(body, dict):
        for key in ("error", "detail", "message"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str):
                return value
    return json.dumps(body, ensure_ascii=False)[:300]


class Client:
    """One server: its address, headers (the key), timeouts and retries. Thread-safe."""

    def __init__(
        self,
        engine: str,
        url: str,
        *,
        timeout: float,
        retries: int,
        concurrency: int,
        headers: dict[str, str] | None = None,
        secret: str | None = None,
        key_variable: str = "",
        usage: Usage,
    ) -> None:
        self.engine, self.url, self.retries = engine, url, retries
        self.secret, self.key_variable, self.usage = secret, key_variable, usage
        self.timeout = timeout
        import httpx  # the openai / libretranslate extra

        self.http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers=headers or {},
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        )

    @classmethod
    def of(
        cls,
        engine: str,
        url: str,
        options: TranslateOptions,
        usage: Usage,
        *,
        key: str | None,
        key_variable: str,
        headers: dict[str, str] | None = None,
    ) -> Client:
        """A client with the timeout, retries and concurrency of ``options``."""
        return cls(
            engine,
            url,
            timeout=options.timeout,
            retries=options.retries,
            concurrency=options.concurrency,
            headers=headers,
            secret=key,
            key_variable=key_variable,
            usage=usage,
        )

    def fail(self, what: str) -> EngineError:
        return EngineError(
            _one_line(f"the {self.engine} server at {public(self.url)} {what}", self.secret)
        )

    def post(
        self,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, Any] | None = None,
        read: Callable[[httpx.Response], T] | None = None,
        final: Callable[[str], bool] | None = None,
    ) -> T | Any:
        """POST to ``url + path``; ``read`` consumes a successful response (streaming), by
        default its JSON. Retries and errors as the module says; ``final(message)`` tells
        an error answer that trying again cannot change (a 500 for an unknown parameter)."""
        import httpx

        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            self.usage.add(requests=1, retries=int(attempt > 0))
            try:
                with self.http.stream("POST", self.url + path, json=json_body, data=form) as r:
                    r.stream = _bounded(r.stream, time.monotonic() + self.timeout, self)
                    if r.status_code < 300:
                        return read(r) if read is not None else self._json(r)
                    r.read()
                    status, retry_after = r.status_code, r.headers.get("retry-after")
                    message = error_message(r)
            except httpx.TimeoutException as e:
                if last:
                    raise self.fail(f"did not answer within {self.timeout:g} s") from e
                time.sleep(retry_delay(attempt))
                continue
            except httpx.ConnectError as e:
                if last:
                    raise self.fail(f"cannot be reached ({_reason(e)})") from e
                time.sleep(retry_delay(attempt))
                continue
            except httpx.TransportError as e:  # cut mid-answer
                if last:
                    raise self.fail(f"broke the connection ({_reason(e)})") from e
                time.sleep(retry_delay(attempt))
                continue
            detail = f"HTTP {status}" + (f": {message}" if message.strip() else "")
            if status in (401, 403):
                hint = f"check ${self.key_variable}" if self.secret else f"set ${self.key_variable}"
                raise self.fail(f"refused the API key ({detail}); {hint}")
            if (status != 429 and status < 500) or (final is not None and final(message)):
                raise self.fail(f"refused the request ({detail})")
            if last:
                tries = f" after {self.retries} retries" if self.retries else ""
                raise self.fail(f"failed{tries} ({detail})")
            time.sleep(retry_delay(attempt, retry_after))
        raise AssertionError("unreachable")  # pragma: no cover

    def _json(self, response: httpx.Response) -> Any:
        response.read()
        try:
            return response.json()
        except (ValueError, UnicodeDecodeError) as e:
            raise self.fail(f"answered something that is not JSON: {response.text[:80]!r}") from e

    def close(self) -> None:
        self.http.close()


MAX_ANSWER_BYTES = 64 * 1024**2
"""The largest answer read from a server (64 MiB)."""


def _bounded(stream: Any, deadline: float, client: Client) -> httpx.SyncByteStream:
    """A response's byte stream that ends in a timeout when the whole answer takes longer
    than the client's timeout (a server that trickles, or streams events forever), and in
    an error past :data:`MAX_ANSWER_BYTES`: httpx's own timeout is per read."""
    import httpx

    class Bounded(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            size = 0
            for chunk in stream:
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the whole answer took too long")
                if size > MAX_ANSWER_BYTES:
                    raise client.fail(f"answered more than {MAX_ANSWER_BYTES // 1024**2} MiB")
                yield chunk

        def close(self) -> None:
            stream.close()

    return Bounded()


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if "Connection refused" in text or "[Errno 111]" in text:
        return "connection refused"
    return text


def sse_events(response: httpx.Response) -> Iterator[str]:
    """The ``data:`` payloads of a server-sent event stream, up to ``[DONE]``; comment
    lines (``: ping``) and other fields are skipped."""
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        yield data
