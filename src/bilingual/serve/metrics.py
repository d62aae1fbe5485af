"""Prometheus metrics of the server, with ``prometheus_client``.

One registry per application. With several workers, ``bilingual serve`` points
``PROMETHEUS_MULTIPROC_DIR`` at a private folder before it starts them, so every worker
writes its values there and ``/metrics`` (served by any worker) adds them all up.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from ..translate import Translation

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LATENCY = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)


class Metrics:
    """Requests, latency, engine calls, batch sizes, sentences and memory hits."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "bilingual_requests",
            "HTTP requests by route and status.",
            ["route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "bilingual_request_seconds",
            "Time to answer a request, by route.",
            ["route"],
            buckets=_LATENCY,
            registry=r,
        )
        self.engine_calls = Counter(
            "bilingual_engine_calls",
            "Translator calls (one per batch and glossary set).",
            ["engine"],
            registry=r,
        )
        self.engine_seconds = Histogram(
            "bilingual_engine_seconds",
            "Time of one translator call.",
            ["engine"],
            buckets=_LATENCY,
            registry=r,
        )
        self.batch_requests = Histogram(
            "bilingual_batch_requests",
            "Requests translated in one batch.",
            buckets=_SIZES,
            registry=r,
        )
        self.sentences = Counter(
            "bilingual_sentences",
            "Sentences translated (engine or memory).",
            ["engine"],
            registry=r,
        )
        self.memory_hits = Counter(
            "bilingual_memory_hits", "Sentences taken from the translation memory.", registry=r
        )
        self.characters = Counter(
            "bilingual_characters", "Characters of text sent to translation.", registry=r
        )

    def request(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def batch(self, requests: int) -> None:
        self.batch_requests.observe(requests)

    def engine_call(
        self, engine: str, requests: int, results: Sequence[Translation], seconds: float
    ) -> None:
        self.engine_calls.labels(engine).inc()
        self.engine_seconds.labels(engine).observe(seconds)
        self.sentences.labels(engine).inc(sum(r.sentences for r in results))
        self.memory_hits.inc(sum(r.memory_hits for r in results))
        self.characters.inc(sum(len(r.source_text) for r in results))

    def exposition(self) -> bytes:
        """The Prometheus text format: this process's values, or all workers' values."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)
