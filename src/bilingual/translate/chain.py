"""The hybrid chain (``--engine auto``): memory, then the exact statistics engine for the
sentences it covers, then a fallback engine (``--fallback``, or argos when a model is
installed) for the rest; and the usage counts of engines that call a server.

The chain works at sentence level: a sentence goes on to the fallback when the statistics
engine leaves any of it in Chinese (its covered sentences are exact by construction, so
their figures never pass through a neural model). :func:`leaves` is the seam where a
clause-level chain plugs in: given the statistics engine's clauses (covered ones with their
English), the fallback would get only the uncovered clauses, the covered ones as fixed
text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["leaves", "usage_delta", "usage_of"]

_HAN = re.compile(r"[\u3400-\u9fff]")


class _Job(Protocol):
    @property
    def direct(self) -> bool: ...


class _Output(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def final(self) -> bool: ...


def leaves(job: _Job, output: _Output) -> bool:
    """Whether the first engine of a chain left this sentence (or part of it) untranslated,
    so that the fallback should translate it. People's translations and glossary-only
    phrases stay as they are."""
    return not job.direct and not output.final and bool(_HAN.search(output.text))


def usage_of(engine: Any) -> dict[str, float]:
    """An engine's usage counts so far (engines that call a server have ``usage``)."""
    usage = getattr(engine, "usage", None)
    return {f"{engine.name}.{k}": v for k, v in usage.snapshot().items()} if usage else {}


def usage_delta(
    before: Sequence[dict[str, float]], after: Sequence[dict[str, float]]
) -> dict[str, float]:
    """What the engines used between two snapshots (zero counts left out)."""
    delta: dict[str, float] = {}
    for old, new in zip(before, after, strict=True):
        for key, value in new.items():
            if value - old.get(key, 0):
                delta[key] = value - old.get(key, 0)
    return delta
