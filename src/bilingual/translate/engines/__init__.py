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

__all__ = ["ENGINES", "Capabilities", "Engine", "get_engine"]


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
    """Where it can run."""
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


def resolve_auto(source: str, target: str) -> str:
    """What ``auto`` means for a pair: argos when a model for the pair is installed, else
    the model-free statistics engine (zh → en only)."""
    from ..models import find

    if find(source, target) or (source, target) != ("zh", "en"):
        return "argos"
    return "statistics"


def get_engine(
    name: str, source: str, target: str, options: TranslateOptions | None = None
) -> Engine:
    """An engine by registry name (or ``auto``) for ``source`` → ``target``."""
    from ...options import TranslateOptions

    if name == "auto":
        name = resolve_auto(source, target)
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
