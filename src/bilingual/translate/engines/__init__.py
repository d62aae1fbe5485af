"""Translation engines: the protocol every engine follows, and the registry of names.

An engine translates a batch of sentences for one language pair. What it can do is
declared, not guessed: :class:`Capabilities`. The registry maps names to ``module:class``
and imports an engine only when it is used, so ``bilingual normalize`` never loads
CTranslate2; an engine whose optional dependencies are missing is a one-line
:class:`~bilingual.errors.ModelError` naming the extra to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from ...errors import ConfigError, ModelError
from ...registry import ENGINES

if TYPE_CHECKING:
    from ...glossary import Glossary
    from ...options import TranslateOptions

__all__ = [
    "ENGINES",
    "Capabilities",
    "Engine",
    "Revising",
    "Revision",
    "check_device",
    "get_engine",
    "plan",
]


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do, for :func:`bilingual.translate` to plan around it."""

    handles_terms: bool = False
    """Gets sentences with glossary terms in place (it renders them itself) instead of
    placeholders; its output is only checked."""
    needs_model: bool = False
    """Needs an installed model (``bilingual models install``)."""
    max_batch: int = 1024
    """Sentences per :meth:`Engine.translate_batch` call at most."""
    devices: tuple[str, ...] = ("cpu",)
    """Where it can run: ``cpu``, ``cuda``; empty for engines that call a server (the
    server decides)."""
    pairs: tuple[tuple[str, str], ...] | None = None
    """The language pairs it translates; None for any."""


@runtime_checkable
class Engine(Protocol):
    """What every translation engine offers. Engines are made by :func:`get_engine` as
    ``cls(source, target, options)`` and translate that pair only."""

    name: ClassVar[str]
    """The registry name: ``argos``, ``statistics``."""
    capabilities: ClassVar[Capabilities]
    id: str
    """Changes whenever the engine's output could change (model, version, settings): part
    of the translation memory's key."""

    def translate_batch(self, sentences: Sequence[str], glossary: Glossary | None) -> list[str]:
        """One translation per sentence, in order. Placeholders ``⟦n⟧`` pass through.
        ``glossary``: the terms in force (engines that handle terms render them)."""
        ...


@dataclass(frozen=True)
class Revision:
    """A translation that failed a check, for an engine that can be asked again."""

    sentence: str
    """The sentence as the engine got it."""
    output: str
    """What it answered."""
    problems: tuple[str, ...]
    """What is wrong, for people and models: ``the figure 476,000 is missing``."""


@runtime_checkable
class Revising(Protocol):
    """An engine that can be asked once more, with the problems stated (the translator
    does so once for every fresh translation whose number guard or term check fails)."""

    def revise(self, revisions: Sequence[Revision], glossary: Glossary | None) -> list[str]:
        """One new translation per revision, in order."""
        ...


def plan(name: str, fallback: str | None, source: str, target: str) -> tuple[str, str | None]:
    """The engines a name stands for: (the first, the one for what it leaves, or None).

    ``auto`` is a chain for zh → en: the exact statistics engine first, then ``fallback``
    (or argos when a model for the pair is installed) for the sentences it does not cover;
    other pairs: ``fallback`` or argos. A fallback follows the statistics engine only."""
    from ..models import find

    if name == "auto":
        if (source, target) != ("zh", "en"):
            return fallback or "argos", None
        if fallback is None and find(source, target):
            fallback = "argos"
        return "statistics", fallback
    if fallback is not None and name != "statistics":
        raise ConfigError(
            f"--fallback {fallback} follows the statistics engine: use --engine auto, not {name}"
        )
    return name, fallback


def check_device(device: str, engines: Sequence[Engine]) -> None:
    """``--device cuda`` needs an engine that runs on a GPU (argos: CTranslate2)."""
    if device == "cuda" and not any("cuda" in e.capabilities.devices for e in engines):
        names = " and ".join(e.name for e in engines)
        raise ConfigError(
            f"--device cuda: the {names} engine does not run on a GPU here "
            "(only argos, with CTranslate2, does); use --device cpu or auto"
        )


def get_engine(
    name: str, source: str, target: str, options: TranslateOptions | None = None
) -> Engine:
    """An engine by registry name (or ``auto``) for ``source`` → ``target``."""
    from ...options import TranslateOptions

    if name == "auto":
        name = plan(name, None, source, target)[0]
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; choose auto or one of {', '.join(ENGINES)}")
    path, extra = ENGINES[name]
    module, cls = path.split(":")
    try:
        engine_class = getattr(importlib.import_module(module), cls)
    except ImportError as e:
        raise ModelError(
            f"the {name} engine needs the '{extra}' extra: "
            f"pip install 'bilingual-toolkit[{extra}]' ({e.name} is missing)"
        ) from e
    pairs = engine_class.capabilities.pairs
    if pairs is not None and (source, target) not in pairs:
        supported = ", ".join(f"{a} → {b}" for a, b in pairs)
        raise ConfigError(f"the {name} engine translates {supported} only, not {source} → {target}")
    engine: Engine = engine_class(source, target, options or TranslateOptions())
    return engine
