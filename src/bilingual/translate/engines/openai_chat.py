"""The ``openai`` engine: any OpenAI-compatible chat-completions endpoint — a local
Ollama, vLLM, llama.cpp or LM Studio server, or a hosted API (``--url``, ``--model``; the
key in ``$OPENAI_API_KEY`` or the variable named by ``api_key_env``).

Several sentences go in one request (``batch_size``, default 16, and at most 4,000
characters), ``concurrency`` requests at a time, each asking for JSON with ids; the
prompt and the parser are :mod:`.openai_prompt`. Answers are streamed (server-sent
events), so a long answer is bounded by the timeout between chunks, not as a whole; a
server that answers with plain JSON is read as well. Ids the answer lacks are asked for
once more, then left untranslated (and reported). When a translation fails the number
guard or the term check, the translator calls :meth:`OpenAIEngine.revise` once with the
problems stated.

Why httpx and not the official ``openai`` package: one transport with one retry,
timeout and error policy for this engine and ``libretranslate`` (tested against the
same servers), tolerant of the servers that call themselves compatible (llama.cpp's
``{"detail": …}`` errors, Ollama's missing usage), and a few hundred kilobytes instead
of pydantic and anyio. Needs the ``openai`` extra (httpx).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

from ...errors import ConfigError, EngineError
from . import Capabilities, Revision
from .openai_prompt import PROMPT_VERSION, parse, shield, system_prompt, term_lines
from .remote import Client, Usage, api_key, batches, in_order, server_url, sse_events

if TYPE_CHECKING:
    from ...glossary import Glossary
    from ...options import TranslateOptions

DEFAULT_URL = "https://api.openai.com/v1"
MAX_CHARS = 4000
"""Source characters per request at most."""


class OpenAIEngine:
    """An OpenAI-compatible chat-completions server; its id (a part of the memory's key)
    names the model and the prompt version."""

    name: ClassVar[str] = "openai"
    capabilities: ClassVar[Capabilities] = Capabilities(
        handles_terms=True, max_batch=4096, devices=()
    )

    def __init__(self, source: str, target: str, options: TranslateOptions | None = None) -> None:
        from ...options import TranslateOptions

        options = options or TranslateOptions()
        if not options.model:
            raise ConfigError(
                "the openai engine needs --model (or model in bilingual.toml): the name the "
                "server serves, such as qwen2.5:7b or gpt-4o-mini"
            )
        url = server_url(self.name, options.url, DEFAULT_URL)
        variable = options.api_key_env or "OPENAI_API_KEY"
        key = api_key(self.name, options.api_key_env, variable, required=False)
        self.usage = Usage("tokens", options.price)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.client = Client.of(
            self.name, url, options, self.usage, key=key, key_variable=variable, headers=headers
        )
        self.model = options.model
        self.source, self.target = source, target
        self.batch_size = options.batch_size or 16
        self.concurrency = options.concurrency
        self.optional = {"response_format", "max_tokens"}
        """Parameters sent while the server accepts them (JSON mode, an output bound);
        one it refuses is dropped and the request sent again without it."""
        self.id = f"openai:{self.model}:prompt{PROMPT_VERSION}"

    def translate_batch(self, sentences: Sequence[str], glossary: Glossary | None) -> list[str]:
        return self._ask([{"text": s} for s in sentences], glossary, revising=False)

    def revise(self, revisions: Sequence[Revision], glossary: Glossary | None) -> list[str]:
        items = [
            {"text": r.sentence, "previous": r.output, "problems": list(r.problems)}
            for r in revisions
        ]
        return self._ask(items, glossary, revising=True)

    def _ask(
        self, items: list[dict[str, Any]], glossary: Glossary | None, revising: bool
    ) -> list[str]:
        shields = [shield(item["text"], glossary, self.source) for item in items]
        parts = batches([len(s.text) for s in shields], self.batch_size, MAX_CHARS)

        def run(part: range) -> list[str]:
            chunk = [dict(items[i], text=shields[i].text) for i in part]
            terms = term_lines([items[i]["text"] for i in part], glossary, self.source)
            found = self._request(chunk, terms, revising)
            missing = [n for n in range(len(chunk)) if n + 1 not in found]
            if missing and len(chunk) > 1:  # once more for what the answer lacked
                again = self._request([chunk[n] for n in missing], terms, revising)
                found |= {missing[n - 1] + 1: text for n, text in again.items()}
            out = []
            for n, i in enumerate(part):
                text = found.get(n + 1)
                out.append(shields[i].restore(text) if text is not None else items[i]["text"])
            return out

        done = in_order(run, parts, self.concurrency)
        return [text for part in done for text in part]

    def _request(self, chunk: list[dict[str, Any]], terms: str, revising: bool) -> dict[int, str]:
        """Translations by id (1-based) of one request."""
        numbered = [{"id": n, **item} for n, item in enumerate(chunk, start=1)]
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {
                    "role": "system",
                    "content": system_prompt(self.source, self.target, terms, revising=revising),
                },
                {
                    "role": "user",
                    "content": json.dumps({"sentences": numbered}, ensure_ascii=False),
                },
            ],
            "temperature": 0,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if "response_format" in self.optional:
            body["response_format"] = {"type": "json_object"}
        if "max_tokens" in self.optional:  # a runaway model stops (a few tokens a character)
            body["max_tokens"] = 256 + 4 * sum(len(json.dumps(item)) for item in chunk)
        self.usage.add(characters=sum(len(item["text"]) for item in chunk))
        while True:
            try:
                content = self.client.post(
                    "/chat/completions", json_body=body, read=self._read, final=self._refused
                )
                break
            except EngineError as e:
                refused = [name for name in self.optional if name in str(e)]
                if not refused:
                    raise
                self.optional -= set(refused)  # a server without it: do without
                for name in refused:
                    body.pop(name, None)
        return parse(content, range(1, len(chunk) + 1))

    def _read(self, response: httpx.Response) -> str:
        """The answer's text, from a stream of chunks or a plain JSON body; an answer of
        another shape (choices that are not objects, JSON nested too deeply) is one line."""
        try:
            return self._answer(response)
        except (AttributeError, TypeError, ValueError, RecursionError) as e:
            problem = f"{type(e).__name__}: {str(e)[:60]}"
            raise self.client.fail(
                f"answered in a shape that is not a chat completion ({problem})"
            ) from e

    def _answer(self, response: httpx.Response) -> str:
        if "text/event-stream" not in response.headers.get("content-type", ""):
            response.read()
            try:
                body = response.json()
            except ValueError as e:
                raise self.client.fail("answered something that is not JSON") from e
            self._count(body.get("usage") if isinstance(body, dict) else None)
            try:
                return str(body["choices"][0]["message"]["content"] or "")
            except (KeyError, IndexError, TypeError) as e:
                raise self.client.fail("answered without choices[0].message.content") from e
        pieces: list[str] = []
        for data in sse_events(response):
            try:
                chunk = json.loads(data)
            except ValueError as e:
                raise self.client.fail(f"sent an event that is not JSON: {data[:60]!r}") from e
            if not isinstance(chunk, dict):
                continue
            if "error" in chunk:
                error = chunk["error"]
                message = error.get("message") if isinstance(error, dict) else error
                raise self.client.fail(f"failed mid-answer ({message})")
            self._count(chunk.get("usage"))
            for choice in chunk.get("choices") or ():
                delta = choice.get("delta") or {}
                if isinstance(delta.get("content"), str):
                    pieces.append(delta["content"])
        return "".join(pieces)

    def _refused(self, message: str) -> bool:
        """An error about an optional parameter: final, not worth retrying."""
        return any(name in message for name in self.optional)

    def _count(self, usage: Any) -> None:
        if isinstance(usage, dict):
            self.usage.add(
                input_tokens=_count_of(usage.get("prompt_tokens")),
                output_tokens=_count_of(usage.get("completion_tokens")),
            )


def _count_of(value: Any) -> int:
    """A token count as servers send it; anything but a whole number counts 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
