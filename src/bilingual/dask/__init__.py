"""``bilingual`` on a Dask cluster (the ``[dask]`` extra): the pipeline over a ``dask.bag``
or a ``dask.dataframe``, deduplicated across the whole collection.

Example (not run as a doctest: it needs input files and starts worker processes)::

    import dask.dataframe as dd
    from distributed import Client, LocalCluster
    from bilingual.dask import process

    with LocalCluster(n_workers=2, host="127.0.0.1") as cluster, Client(cluster):
        run = process(dd.read_json("pages/*.jsonl", lines=True), to="en")
        run.to_parquet("out/")  # one file a partition, written by the workers
        print(run.report.summary())

Repair, normalize, segment and translate run per partition, each worker loading the
glossary and engines once; deduplication is exact, near, paraphrase, cross-lingual and
figures-differ as in one process (see :mod:`bilingual.dask.engine` for how), with the same
paragraphs kept and the same duplicate relations. ``bilingual run --scheduler`` is the
same from the command line.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..options import PipelineOptions, make
from ..pipeline.pipeline import Pipeline, Result
from ..pipeline.records import result_record
from ..pipeline.report import Report
from .engine import DaskError, run_partitions

__all__ = ["DaskError", "DaskRun", "connect", "process", "run_files"]


@contextlib.contextmanager
def connect(scheduler: str) -> Iterator[Any]:
    """A ``distributed.Client`` for ``tcp://HOST:PORT`` (a running scheduler) or
    ``local[:N]`` (N worker processes here, loopback only; N defaults to the cores)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise ConfigError(
            "--scheduler needs the [dask] extra: pip install 'bilingual-toolkit[dask]'"
        ) from e
    if scheduler == "local" or scheduler.startswith("local:"):
        count = scheduler.partition(":")[2] or str(os.cpu_count() or 1)
        if not count.isdigit() or not 1 <= int(count) <= 256:
            raise ConfigError(f"--scheduler local:N needs a number of workers, not {count!r}")
        with (
            LocalCluster(
                n_workers=int(count),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # HTTP server: a free port (8787 may be taken)
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    if not scheduler.startswith(("tcp://", "tls://")):
        raise ConfigError(f"--scheduler must be tcp://HOST:PORT or local[:N], not {scheduler!r}")
    try:
        client = Client(scheduler, timeout="5s")
    except (OSError, TimeoutError) as e:
        raise DaskError(f"no Dask scheduler answers at {scheduler} ({type(e).__name__})") from e
    with client:
        try:
            client.wait_for_workers(1, timeout=120)
        except TimeoutError as e:
            raise DaskError(f"the Dask scheduler at {scheduler} has no worker (120 s)") from e
        yield client


def _check(options: PipelineOptions) -> None:
    if options.semantic:  # nearest neighbours are no key to shuffle on
        raise ConfigError("--semantic does not run on a Dask cluster (--scheduler) yet")


def _counts(client: Any, partitions: list[Any], count: Callable[[Any], int]) -> list[int]:
    from .engine import _gather

    return list(_gather(client, client.map(count, partitions)))


def run_files(
    client: Any, paths: list[str], options: PipelineOptions, emit: Any, report: Report
) -> Iterator[list[Any]]:
    """``bilingual run --scheduler``: the files read by the workers (JSON Lines in blocks
    of lines), each partition's ``emit`` outputs in input order."""
    from . import files

    _check(options)
    if any(path == "-" for path in paths):
        raise ConfigError("--scheduler reads files on the workers: give paths, not stdin")
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    if options.jsonl:
        chunks = files.blocks(paths, workers)
        read = client.map(files.read_block, chunks, pure=False)
        firsts = _first_lines(chunks, _counts(client, read, _second))
        partitions = [
            client.submit(files.parse_block, r, c[0], first, options.field_name)
            for r, c, first in zip(read, chunks, firsts, strict=True)
        ]
        del read
    else:
        per = max(1, len(paths) // (8 * workers))
        groups = [paths[i : i + per] for i in range(0, len(paths), per)]
        partitions = client.map(files.read_files, groups, pure=False)
    counts = _counts(client, partitions, files.good)
    yield from run_partitions(client, partitions, counts, options, emit, report)


def process(
    collection: Any, *, column: str = "text", client: Any = None, **options: Any
) -> DaskRun:
    """The pipeline over ``collection``: a ``dask.bag`` of texts, bytes or dicts (the text
    in ``column``), a ``dask.dataframe`` (rows as dicts, the text in ``column``) or a
    ``dask.dataframe`` Series of texts. ``options``: those of :class:`Pipeline`. Nothing
    runs until the result is read or written (:class:`DaskRun`)."""
    import dask.bag as db
    import dask.dataframe as dd

    if client is None:
        from distributed import get_client

        client = get_client()
    run_options = make(PipelineOptions, None, **options, field_name=column)
    _check(run_options)
    Pipeline(run_options)  # bad options, glossaries or engines fail here, before any work
    if isinstance(collection, db.Bag):
        convert: Callable[[Any], list[tuple[Any, Any]]] = _bag_entries
    elif isinstance(collection, (dd.DataFrame, dd.Series)):
        convert = _frame_entries
    else:
        raise ConfigError(f"process() takes a dask.bag or dask.dataframe, not {type(collection)}")
    pieces = client.compute(collection.to_delayed())
    partitions = client.map(convert, pieces, pure=False)
    del pieces
    return DaskRun(client, partitions, run_options)


def _bag_entries(items: list[Any]) -> list[tuple[Any, Any]]:
    return [(item if isinstance(item, dict) else None, item) for item in items]


def _frame_entries(frame: Any) -> list[tuple[Any, Any]]:
    if frame.ndim == 1:  # a Series of texts
        return [(None, text) for text in frame.tolist()]
    return [(row, row) for row in frame.to_dict("records")]


def _record(result: Result, context: Any, options: PipelineOptions) -> dict[str, Any]:
    """The output record: the input row with the results added."""
    obj = result_record(result, context, result.id, options.to, options.field_name)
    if result.error is not None:
        obj["error"] = str(result.error)
    return obj


@dataclass
class DaskRun:
    """A run on the cluster, done when read (:meth:`records`) or written (:meth:`to_jsonl`,
    :meth:`to_parquet`); :attr:`report` then adds up every partition's report."""

    client: Any
    partitions: list[Any]
    options: PipelineOptions
    report: Report = field(default_factory=Report)

    def _run(self, sink: Any = None) -> Iterator[list[Any]]:
        counts = _counts(self.client, self.partitions, len)
        return run_partitions(
            self.client, self.partitions, counts, self.options, _record, self.report, sink=sink
        )

    def records(self) -> Iterator[dict[str, Any]]:
        """Each item's result as ``bilingual run --format jsonl`` writes it, in order."""
        for outputs in self._run():
            yield from outputs

    def to_jsonl(self, directory: str) -> list[str]:
        """One ``part-NNNNN.jsonl`` a partition, written by the workers; their paths."""
        os.makedirs(directory, exist_ok=True)
        return [p for paths in self._run(sink=(_write_jsonl, directory)) for p in paths]

    def to_parquet(self, directory: str) -> list[str]:
        """One ``part-NNNNN.parquet`` a partition (nested fields as JSON text)."""
        os.makedirs(directory, exist_ok=True)
        return [p for paths in self._run(sink=(_write_parquet, directory)) for p in paths]


def _write_jsonl(directory: str, number: int, records: list[dict[str, Any]]) -> list[str]:
    path = os.path.join(directory, f"part-{number:05d}.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for obj in records:
            out.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    return [path]


_NESTED = ("segments", "duplicates", "paragraphs", "translation")


def _write_parquet(directory: str, number: int, records: list[dict[str, Any]]) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = os.path.join(directory, f"part-{number:05d}.parquet")
    rows = [
        {
            k: json.dumps(v, ensure_ascii=False, default=str) if k in _NESTED else v
            for k, v in r.items()
        }
        for r in records
    ]
    pq.write_table(pa.Table.from_pylist(rows), path)
    return [path]


def _second(pair: tuple[Any, int]) -> int:
    return pair[1]


def _first_lines(chunks: list[Any], lines: list[int]) -> list[int]:
    """The number of each block's first line in its file."""
    firsts, line = [], 1
    for i, chunk in enumerate(chunks):
        if i and chunk[0] != chunks[i - 1][0]:
            line = 1
        firsts.append(line)
        line += lines[i]
    return firsts
