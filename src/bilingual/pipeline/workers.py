"""A pool of worker processes that never hangs on a dead worker.

``concurrent.futures.ProcessPoolExecutor`` and ``multiprocessing.Pool`` read every
worker's results from one shared pipe. A worker killed while it writes a result (by the
OOM killer, ``kill -9``) leaves half a message there, and the reader waits for the rest
forever (seen here about one kill in twenty; the executor's thread then also blocks the
interpreter's exit). Here each worker has its own task and result pipes: when it dies,
its result pipe ends, and every task in flight fails at once with
:class:`WorkerDied`.

A worker takes one task at a time (a task is a batch of items, so this costs nothing);
a thread of the pool hands out tasks and collects results, so workers stay busy while
the caller does its own work.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from ..errors import BilingualError

__all__ = ["WorkerDied", "WorkerPool"]


class WorkerDied(BilingualError):
    """A worker process ended without finishing its work."""


@dataclass
class _Worker:
    process: BaseProcess
    tasks: Connection
    results: Connection
    task: Future[Any] | None = field(default=None)


def _serve(
    tasks: Connection,
    results: Connection,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
) -> None:
    """A worker: set up once, then run tasks until the pool closes its task pipe."""
    failed: BaseException | None = None
    try:
        initializer(*initargs)
    except BaseException as e:  # reported with every task, not lost in a dead worker
        failed = e
    while True:
        try:
            function, argument = tasks.recv()
        except (EOFError, OSError):
            return
        outcome: tuple[bool, Any] = (False, failed)
        if failed is None:
            try:
                outcome = (True, function(argument))
            except BaseException as e:
                outcome = (False, e)
        try:
            results.send(outcome)
        except OSError:  # the pool's process is gone (killed): no one to answer
            return
        except Exception as e:  # a result that does not pickle
            results.send((False, e))


class WorkerPool:
    """``jobs`` spawned processes, each set up by ``initializer(*initargs)``."""

    def __init__(
        self, jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
    ) -> None:
        context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        for _ in range(jobs):
            task_reader, task_writer = context.Pipe(duplex=False)
            result_reader, result_writer = context.Pipe(duplex=False)
            process = context.Process(
                target=_serve,
                args=(task_reader, result_writer, initializer, initargs),
                daemon=True,
            )
            process.start()
            task_reader.close()
            result_writer.close()  # the worker holds the only writer: its death ends the pipe
            self._workers.append(_Worker(process, task_writer, result_reader))
        self._queue: collections.deque[tuple[Future[Any], Callable[[Any], Any], Any]] = (
            collections.deque()
        )
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = context.Pipe(duplex=False)
        self._closing = False
        self._broken: str | None = None
        self._thread = threading.Thread(target=self._manage, name="bilingual-pool", daemon=True)
        self._thread.start()

    def submit(self, function: Callable[[Any], Any], argument: Any) -> Future[Any]:
        """Run ``function(argument)`` in a worker (both must pickle)."""
        future: Future[Any] = Future()
        with self._lock:
            if self._broken:
                raise WorkerDied(self._broken)
            self._queue.append((future, function, argument))
        self._wake()
        return future

    def close(self, *, wait_for_work: bool = True) -> None:
        """Stop the workers: after the work handed out (``wait_for_work``), or at once."""
        with self._lock:
            self._closing = True
            if not wait_for_work:
                self._fail_all("the pool was closed")
        self._wake()
        self._thread.join(timeout=None if wait_for_work else 10)
        for worker in self._workers:
            worker.tasks.close()
            worker.process.join(timeout=10 if wait_for_work else 0.1)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=10)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # the pool's thread has gone
            self._wake_writer.send_bytes(b"")

    def _manage(self) -> None:
        """Hand tasks to idle workers and results to their futures, until closed or broken."""
        while True:
            with self._lock:
                if self._broken or (self._closing and not self._queue and not self._busy()):
                    return
                handed = []
                for worker in self._workers:
                    if worker.task is None and self._queue:
                        future, function, argument = self._queue.popleft()
                        worker.task = future
                        handed.append((worker, function, argument))
            for worker, function, argument in handed:
                try:
                    worker.tasks.send((function, argument))
                except OSError:
                    self._died(worker)
            ready = wait(
                [self._wake_reader]
                + [w.results for w in self._workers if w.task is not None]
                + [w.process.sentinel for w in self._workers]
            )
            for connection in ready:
                if connection is self._wake_reader:
                    while self._wake_reader.poll():
                        self._wake_reader.recv_bytes()
                    continue
                worker = next(
                    w for w in self._workers if connection in (w.results, w.process.sentinel)
                )
                if connection is worker.results:
                    self._collect(worker)
                elif not self._closing or (worker.task is not None and not worker.results.poll()):
                    self._died(worker)  # its result, if it sent one, is read above first

    def _busy(self) -> bool:
        return any(w.task is not None for w in self._workers)

    def _collect(self, worker: _Worker) -> None:
        try:
            ok, value = worker.results.recv()
        except (EOFError, OSError):  # it died while writing
            self._died(worker)
            return
        with self._lock:
            future, worker.task = worker.task, None
            if future is None or future.done():
                return  # the pool failed meanwhile
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def _died(self, worker: _Worker) -> None:
        with self._lock:
            code = worker.process.exitcode
            self._fail_all(f"a worker process died (exit status {code})")
        for other in self._workers:
            if other.process.is_alive():
                other.process.kill()

    def _fail_all(self, why: str) -> None:
        """Every task in flight or waiting fails (the caller holds the lock)."""
        self._broken = self._broken or why
        for worker in self._workers:
            if worker.task is not None and not worker.task.done():
                worker.task.set_exception(WorkerDied(self._broken))
            worker.task = None
        while self._queue:
            future, _, _ = self._queue.popleft()
            future.set_exception(WorkerDied(self._broken))
