"""The run on a Dask cluster, as a graph of futures: partitions through the stages of
:mod:`bilingual.dask.stages`, deduplicated across the whole collection by shuffles.

1. ``prepare`` (per partition): repair, normalize, the units' features, packed (a third
   of their memory as objects; a worker holds them until ``to_replay``), and what
   ``to_skeletons`` and ``finish`` need of them (held until ``finish``; not the documents).
2. ``link_keys`` → ``split`` → ``edges``: a hash shuffle of (key, unit) pairs, where a key
   is anything two units must share to meet in the single-process index (the exact key
   and the keys without boilerplate, each LSH band with the figures in it, the paraphrase
   bucket, the figures-differ skeleton, a learned affix, a figure or bridge word across the
   languages); each bucket chains the units of a key together.
3. ``components``: connected components of those edges (one task, 16 bytes an edge).
4. ``to_replay`` → ``replay``: a second shuffle, by component; each component goes through
   a fresh index of our own, in input order, and so gets the single-process decisions
   (but figures-differ pairs, which never decide what is kept).
5. ``to_skeletons`` → ``skeletons``: a third shuffle, by the text around the figures: each
   unit that nothing matched against the latest units kept with its skeleton.
6. ``finish`` (per partition): repair and normalize again (cheaper than holding the
   documents since ``prepare``), duplicates removed, the kept text translated, each item
   emitted; the partition's report goes to the client, which adds them up in order.

The client holds futures and one partition's output at a time.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import BilingualError
from ..pipeline.report import Report
from . import stages

__all__ = ["DaskError", "run_partitions"]

_NO_WORKERS = 120.0  # seconds without a worker before a run fails instead of waiting


class DaskError(BilingualError):
    """The cluster failed the run: a worker died too often, none is left, or a task failed."""


def run_partitions(
    client: Any,
    partitions: Sequence[Any],
    counts: Sequence[int],
    options: Any,
    emit: stages.Emit,
    report: Report,
    *,
    sink: tuple[Any, str] | None = None,
) -> Iterator[list[Any]]:
    """Each partition's outputs (``emit`` of each item), in order; ``report`` adds up the
    partitions' reports as they come. ``partitions``: futures (or anything Dask resolves in
    a task's arguments) of lists of ``(context, item)``; ``counts``: their items (errors
    left out). ``sink``: ``(function, directory)``: the workers write each partition's
    outputs (``function(directory, number, outputs)``) and its return comes instead."""
    n = len(partitions)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    buckets = max(1, min(n, 4 * workers))
    firsts = [sum(counts[:i]) for i in range(n)]
    rests: list[Any] = [None] * n  # without dedupe, ``finish`` does all
    decided: list[list[Any]] = [[] for _ in range(n)]
    affix_counts: list[Any] = []
    if "dedupe" in options.steps and n:
        prepared = [
            client.submit(stages.prepare, i, p, firsts[i], options, pure=False)
            for i, p in enumerate(partitions)
        ]
        parts, rests = _items(client, prepared, 0), _items(client, prepared, 1)
        affixes = client.submit(stages.union, *_items(client, prepared, 2))
        del prepared
        pairs = [client.submit(stages.link_keys, p, affixes, options) for p in parts]
        edges = _shuffle(client, pairs, buckets, stages.edges)
        full = client.submit(stages.union, *_items(client, edges, 2))
        roots = client.submit(stages.components, n, *edges)
        for_replay = [
            client.submit(stages.to_replay, p, client.submit(operator.getitem, roots, i), buckets)
            for i, p in enumerate(parts)
        ]
        del parts  # the units: freed when ``to_replay`` has read them
        replayed = _shuffle(
            client, for_replay, buckets, stages.replay, options, full, n, split=None
        )
        for done in replayed:
            decisions = client.submit(operator.getitem, done, 0)
            for i in range(n):
                decided[i].append(client.submit(operator.getitem, decisions, i))
            affix_counts.append(client.submit(operator.getitem, done, 1))
        by_skeleton = [
            client.submit(stages.to_skeletons, r, buckets, *decided[i]) for i, r in enumerate(rests)
        ]
        paired = _shuffle(client, by_skeleton, buckets, stages.skeletons, n, split=None)
        for done in paired:
            for i in range(n):
                decided[i].append(client.submit(operator.getitem, done, i))
        del affixes, pairs, edges, full, roots, for_replay, replayed, by_skeleton, paired
    # In input order (else in any): the client takes them in order, and a worker holds the
    # outputs of every partition done before those it waits for (measured: all of them)
    finished: list[Any] = [
        client.submit(
            stages.finish,
            *(i, rests[i], p, firsts[i], options, emit, sink, *decided[i]),
            pure=False,
            priority=-i,
        )
        for i, p in enumerate(partitions)
    ]
    del rests, decided
    for counted in affix_counts:
        report.boilerplate.update(_wait(client, counted))
    del affix_counts
    for i in range(n):
        future, finished[i] = finished[i], None
        outputs, partial = _wait(client, future)
        del future
        report.merge(partial)
        yield outputs


def _items(client: Any, futures: list[Any], index: int) -> list[Any]:
    return [client.submit(operator.getitem, f, index) for f in futures]


def _shuffle(
    client: Any,
    sources: list[Any],
    buckets: int,
    reduce: Any,
    *args: Any,
    split: Any = stages.split,
) -> list[Any]:
    """All-to-all: each source cut into ``buckets`` pieces (by ``split``, or already a list
    of pieces), bucket ``j`` reduced from the ``j``-th piece of every source."""
    cut = sources if split is None else [client.submit(split, s, buckets) for s in sources]
    pieces = [[client.submit(operator.getitem, c, j) for c in cut] for j in range(buckets)]
    return [client.submit(reduce, *args, *pieces[j]) for j in range(buckets)]


def _gather(client: Any, futures: list[Any]) -> list[Any]:
    return [_wait(client, f) for f in futures]


def _wait(client: Any, future: Any) -> Any:
    """A future's result; never hangs on a cluster with no worker left, and fails in one
    line (a worker that died while running the same task again and again: KilledWorker)."""
    from distributed import TimeoutError as DaskTimeout

    alone_since: float | None = None
    while True:
        try:
            return future.result(timeout=5)
        except (DaskTimeout, TimeoutError):
            pass
        except BilingualError:
            raise
        except Exception as e:
            raise DaskError(_one_line(e)) from e
        if client.scheduler_info().get("workers"):
            alone_since = None
        elif alone_since is None:
            alone_since = time.monotonic()
        elif time.monotonic() - alone_since > _NO_WORKERS:
            raise DaskError(f"the Dask cluster has had no worker for {_NO_WORKERS:.0f} s")


def _one_line(error: BaseException) -> str:
    name = type(error).__name__
    text = " ".join(str(error).split())
    if name == "KilledWorker":
        return f"Dask workers died running the same task again and again ({text[:200]})"
    return f"a Dask task failed: {name}: {text[:300]}"
