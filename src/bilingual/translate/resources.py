"""Where a translator's glossary and memory come from: the rule shared by the CLI and the
API (names or paths; ``default``, ``none`` or a path)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ..errors import ConfigError
from ..glossary import Glossary
from ..paths import default_memory
from .memory import Memory

__all__ = ["is_default", "load_glossary", "open_memory"]

DEFAULT: Any = "default"


def load_glossary(
    spec: Glossary | str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None,
) -> Glossary | None:
    """The glossary rule of the CLI and the API (see :mod:`bilingual.options`): a loaded
    glossary, names or paths (``bundled`` for all bundled ones), or None/empty for none.
    Glossaries with lint errors are refused: an ambiguous term has no rendering to enforce."""
    if spec is None or isinstance(spec, Glossary):
        return spec
    names = [spec] if isinstance(spec, (str, os.PathLike)) else list(spec)
    return Glossary.load(*names, checked=True) if names else None


def open_memory(spec: Memory | str | os.PathLike[str] | None) -> Memory | None:
    """The memory rule of the CLI and the API: ``default`` ($BILINGUAL_HOME/memory.sqlite),
    ``none``/None (no memory), ``:memory:``, or a path."""
    if spec is None or isinstance(spec, Memory):
        return spec
    name = os.fspath(spec)
    if name.lower() == "none":
        return None
    if name == "":
        raise ConfigError("memory: an empty path; write 'none' for no memory")
    return Memory(default_memory() if name == "default" else name)


def is_default(value: object) -> bool:
    return isinstance(value, str) and value == DEFAULT
