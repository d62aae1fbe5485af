"""A worker process's translation state, and the batching of concurrent requests.

Everything that touches an engine, a glossary or the memory runs on one thread of the
worker (SQLite connections belong to the thread that made them; CTranslate2 runs its own
threads inside one call). Requests put their texts on a queue; the batch loop takes every
job waiting (after ``batch_window`` seconds, if set), groups them by language pair and
glossaries, and translates each group in one :class:`~bilingual.translate.Translator`
call. Requests that arrive while the engine is busy are batched with each other.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..errors import BilingualError, ConfigError
from ..glossary import Glossary, bundled_names
from ..glossary.bundled import expand
from ..options import PipelineOptions
from ..paths import home
from ..text.segment import segment
from ..translate import Memory, Translation, Translator
from ..translate.engines import Engine, get_engine, plan
from ..translate.translator import load_glossary, open_memory
from .metrics import Metrics

T = TypeVar("T")
PAIRS = (("zh", "en"), ("en", "zh"))
GlossaryKey = tuple[str, ...] | None
"""Glossary names a request asked for, or None for the server's own (``--glossary``)."""


def store_dir() -> Path:
    """Where glossaries sent with ``PUT /glossaries/{name}`` are kept."""
    return home() / "glossaries"


@dataclass
class _Job:
    pair: tuple[str, str]
    glossary: GlossaryKey
    texts: list[str]
    future: asyncio.Future[list[Translation]]


@dataclass
class Worker:
    """The engines (loaded once), glossaries and memory of one worker process."""

    options: PipelineOptions
    metrics: Metrics
    engines: dict[tuple[str, str], tuple[Engine, Engine | None]] = field(default_factory=dict)
    """Per language pair, the chain: the first engine and the one for what it leaves."""
    unavailable: dict[tuple[str, str], str] = field(default_factory=dict)
    memory: Memory | None = None
    _translators: dict[tuple[tuple[str, str], GlossaryKey], tuple[Any, Translator]] = field(
        default_factory=dict
    )
    _loaded: dict[Any, Glossary | None] = field(default_factory=dict)
    _queue: asyncio.Queue[_Job] | None = None
    _task: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="bilingual-engine")

    # --- on the engine thread --------------------------------------------------------------

    def load(self) -> None:
        """Open the memory, load the glossaries and each pair's engine (and run it once, so
        the first request does not pay for the model); a bad option is a one-line error."""
        self.call(self._load)

    def _load(self) -> None:
        o = self.options
        self.memory = open_memory(o.memory)
        self.glossary(None)  # the glossaries load (and lint errors show) now
        for source, target in PAIRS:
            try:  # the chain of `auto` (statistics, then a fallback), made once
                first, second = plan(o.engine, o.fallback, source, target)
                chain = tuple(get_engine(e, source, target, o) for e in (first, second) if e)
                for engine in chain:
                    engine.translate_batch(["warm"] if source == "en" else ["预热"], None)
            except BilingualError as e:
                self.unavailable[(source, target)] = str(e)
                continue
            self.engines[(source, target)] = (chain[0], chain[1] if len(chain) > 1 else None)
        if not self.engines:
            raise ConfigError("no engine to serve: " + "; ".join(self.unavailable.values()))

    def _translator(self, pair: tuple[str, str], names: GlossaryKey) -> Translator:
        """The pair's translator with these glossaries, made again when one of their files
        changed (a PUT, a term added in review, in this worker or another)."""
        signature, glossary = self.glossary(names)
        cached = self._translators.get((pair, names))
        if cached is None or cached[0] != signature:
            translator = Translator(
                *pair, glossary=glossary, engine=self.engines[pair], memory=self.memory
            )
            cached = self._translators[(pair, names)] = (signature, translator)
        return cached[1]

    def glossary(self, names: GlossaryKey) -> tuple[Any, Glossary | None]:
        """The glossaries of a request (None: the server's), loaded again when a file
        changed; with what identifies their contents."""
        sources = list(self.options.glossaries) if names is None else [*map(glossary_path, names)]
        signature = _signature(sources)
        if signature not in self._loaded:
            if len(self._loaded) > 32:
                self._loaded.clear()
            self._loaded[signature] = load_glossary(sources)
        return signature, self._loaded[signature]

    def _run(self, jobs: list[_Job]) -> list[list[Translation] | BaseException]:
        """Translate the jobs, one engine call per (pair, glossaries) group."""
        out: dict[int, list[Translation] | BaseException] = {}
        groups: dict[tuple[tuple[str, str], GlossaryKey], list[int]] = {}
        for i, job in enumerate(jobs):
            groups.setdefault((job.pair, job.glossary), []).append(i)
        for (pair, names), members in groups.items():
            items = [(t, segment(t, "sentence")) for i in members for t in jobs[i].texts]
            started = time.perf_counter()
            try:
                results = self._translator(pair, names)(items)
            except (BilingualError, RuntimeError, ValueError, OSError) as e:
                for i in members:
                    out[i] = e
                continue
            label = "+".join(e.name for e in self.engines[pair] if e is not None)  # the chain
            self.metrics.engine_call(label, len(members), results, time.perf_counter() - started)
            at = 0
            for i in members:
                out[i] = results[at : at + len(jobs[i].texts)]
                at += len(jobs[i].texts)
        return [out[i] for i in range(len(jobs))]

    # --- from the event loop ---------------------------------------------------------------

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the engine thread and wait (for start-up and tests)."""
        return self._thread.submit(function).result()

    async def run(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the engine thread without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, function)

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._task = asyncio.create_task(self._batches())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.memory is not None:
            self._thread.submit(self.memory.close)
        self._thread.shutdown(wait=True)

    async def translate(
        self, pair: tuple[str, str], glossary: GlossaryKey, texts: Sequence[str]
    ) -> list[Translation]:
        """Translations of ``texts``, batched with other requests waiting."""
        assert self._queue is not None, "start() first"
        future: asyncio.Future[list[Translation]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Job(pair, glossary, list(texts), future))
        return await future

    async def _batches(self) -> None:
        assert self._queue is not None
        window = self.options.batch_window
        while True:
            jobs = [await self._queue.get()]
            if window > 0:
                await asyncio.sleep(window)
            while not self._queue.empty():
                jobs.append(self._queue.get_nowait())
            jobs = [job for job in jobs if not job.future.done()]  # timed out meanwhile
            if not jobs:
                continue
            self.metrics.batch(len(jobs))
            try:
                results = await self.run(lambda jobs=jobs: self._run(jobs))  # type: ignore[misc]
            except Exception as e:  # every waiting request must hear of it
                results = [e] * len(jobs)
            for job, result in zip(jobs, results, strict=True):
                if job.future.done():
                    continue
                if isinstance(result, BaseException):
                    job.future.set_exception(result)
                else:
                    job.future.set_result(result)


def _signature(sources: list[str | os.PathLike[str]]) -> tuple[Any, ...]:
    """What identifies the glossaries' current contents: bundled names, files' sizes and
    modification times."""
    out: list[Any] = []
    for source in expand(sources):
        if isinstance(source, str) and source in bundled_names():
            out.append(source)
            continue
        try:
            info = Path(source).stat()
            out.append((os.fspath(source), info.st_ino, info.st_mtime_ns, info.st_size))
        except OSError:
            out.append((os.fspath(source), None))
    return tuple(out)


def glossary_names() -> list[str]:
    """Names a request may give: bundled glossaries and those sent with PUT."""
    stored = sorted(p.stem for p in store_dir().glob("*.tsv")) if store_dir().is_dir() else []
    return [*bundled_names(), *(n for n in stored if n not in bundled_names())]


def glossary_path(name: str) -> str | os.PathLike[str]:
    """The file of a glossary name: bundled, or sent with PUT; a path is never accepted."""
    if name == "bundled" or name in bundled_names():
        return name
    stored = store_dir() / f"{name}.tsv"
    if is_name(name) and stored.is_file():
        return stored
    raise ConfigError(f"unknown glossary {name!r}")


def is_name(name: str) -> bool:
    return 0 < len(name) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in name)


def describe(worker: Worker) -> dict[str, Any]:
    """What the worker serves, for /health."""
    return {
        "engines": {
            f"{a}-{b}": "+".join(e.name for e in chain if e is not None)
            for (a, b), chain in worker.engines.items()
        },
        "unavailable": {f"{a}-{b}": why for (a, b), why in worker.unavailable.items()},
        "memory": worker.memory.path if worker.memory is not None else None,
    }
