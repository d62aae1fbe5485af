"""``--jobs N``: the work in worker processes, the deduplication index in this one.

Items travel in batches, a few in flight, so the workers stay busy while this process
deduplicates and memory stays bounded whatever the input; results come in input order.
A worker that dies (killed, out of memory) fails the run at once with one line naming the
items in work, and leaves no output (the caller's output is atomic); see
:mod:`bilingual.pipeline.workers` for why this is not ``ProcessPoolExecutor``.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from .workers import WorkerDied, WorkerPool

if TYPE_CHECKING:  # the pipeline calls in here; workers get its class, not an import
    from ..document import Document
    from ..options import PipelineOptions
    from ..text.segment import Segment
    from ..translate import Translation
    from .pipeline import Item, Pipeline, Prepared, Result

    Translated = tuple[list[Segment], Translation | None] | None

_WORKER: Pipeline | None = None


def run_parallel(pipeline: Pipeline, items: Iterable[Item], jobs: int) -> Iterator[Result]:
    """Batches through two pool stages (prepare, translate) around the index."""
    batch_size = 256 * jobs  # 20,000 documents, 2 jobs: 14.6 s at 32, 12.0 at 256, 11.7 at 1024
    chunk = max(1, batch_size // (4 * jobs))  # four tasks a worker per batch
    numbered = enumerate(items)
    batches = iter(lambda: list(itertools.islice(numbered, batch_size)), [])
    preparing: collections.deque[tuple[int, list[Future[list[Prepared]]]]] = collections.deque()
    translating: collections.deque[tuple[int, list[Prepared], list[Future[Any]]]] = (
        collections.deque()
    )
    waiting_for = 0  # the first item of the batch whose results are awaited
    pool = WorkerPool(jobs, _start_worker, (type(pipeline), pipeline.options))

    def submit(function: Any, work: Sequence[Any]) -> list[Future[Any]]:
        return [pool.submit(function, work[i : i + chunk]) for i in range(0, len(work), chunk)]

    def dedupe_oldest() -> None:
        nonlocal waiting_for
        waiting_for, prepared = preparing.popleft()
        deduped = [pipeline.dedupe(p) for p in _results(prepared)]
        # Only what the workers need: the kept text and its paragraphs.
        kept = [None if p.error else p.doc.kept_document() for p in deduped]
        translating.append((waiting_for, deduped, submit(_translate, kept)))

    def finish_oldest() -> Iterator[Result]:
        nonlocal waiting_for
        waiting_for, deduped, translated = translating.popleft()
        for prepared, done in zip(deduped, _results(translated), strict=True):
            if done is not None:
                prepared.sentences, prepared.translation = done
            yield pipeline.finish(prepared)

    finished = False
    try:
        for batch in batches:
            preparing.append((batch[0][0], submit(_prepare, batch)))
            if len(preparing) > 2:
                dedupe_oldest()
            if len(translating) > 1:
                yield from finish_oldest()
        while preparing:
            dedupe_oldest()
        while translating:
            yield from finish_oldest()
        finished = True
    except WorkerDied as e:  # found by a result, or by the next submit
        raise WorkerDied(
            f"{e} (killed, or out of memory?) while the items from {waiting_for} on were "
            "in work; nothing was written"
        ) from e
    finally:
        pool.close(wait_for_work=finished)


def _results(futures: list[Future[list[Any]]]) -> list[Any]:
    """The futures' results, in order."""
    return [result for future in futures for result in future.result()]


def _start_worker(cls: type[Pipeline], options: PipelineOptions) -> None:
    """Each worker builds its own pipeline once: glossary and engine loaded per process.
    Its deduper only computes features; the index is the main process's."""
    global _WORKER
    _WORKER = cls(options)


def _prepare(jobs: list[tuple[int, Item]]) -> list[Prepared]:
    assert _WORKER is not None
    done = []
    for number, item in jobs:
        prepared = _WORKER.prepare(number, item)
        if not prepared.error and _WORKER._deduper.deduper is not None:
            prepared.features = _WORKER._deduper.features(_WORKER.dedupe_view(prepared.doc))
        done.append(prepared)
    return done


def _translate(docs: list[Document | None]) -> list[Translated]:
    assert _WORKER is not None
    return [None if doc is None else _WORKER.translate_document(doc) for doc in docs]
