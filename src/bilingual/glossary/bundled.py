"""The glossaries that ship with ``bilingual``, and the rule that tells a name from a file.

A bare word (letters, digits, ``-`` and ``_``: ``automotive``) names a bundled glossary;
``bundled`` names all of them. Anything else (``./terms.tsv``, ``terms.tsv``,
``/srv/terms.tbx``) is a file. A bare word is never looked up in the working folder, so a
local file cannot silently replace a bundled glossary: write ``./automotive`` for that.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError

__all__ = ["BUNDLED", "bundled_dir", "bundled_names", "expand", "resolve"]

BUNDLED = "bundled"
"""The name that stands for every bundled glossary."""
_NAME = re.compile(r"[\w-]+")


def bundled_dir() -> Path:
    """Where the bundled glossaries are: inside the installed package, or in a checkout."""
    from importlib import resources

    packaged = Path(str(resources.files("bilingual"))) / "data" / "glossaries"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "glossaries"  # src/bilingual/glossary/..


@lru_cache(maxsize=1)
def bundled_names() -> tuple[str, ...]:
    """Names of the glossaries that ship with bilingual (``automotive``, ...)."""
    return tuple(sorted(p.stem for p in bundled_dir().glob("*.tsv")))


def expand(sources: Iterable[str | os.PathLike[str]]) -> list[str | os.PathLike[str]]:
    """``sources`` with ``bundled`` replaced by the name of every bundled glossary."""
    out: list[str | os.PathLike[str]] = []
    for source in sources:
        out += list(bundled_names()) if source == BUNDLED else [source]
    return out


def resolve(source: str | os.PathLike[str]) -> Path:
    """The file of a bundled name, or ``source`` itself as a path (see the module docs)."""
    if isinstance(source, os.PathLike) or not _NAME.fullmatch(source):
        return Path(source)
    if source in bundled_names():
        return bundled_dir() / f"{source}.tsv"
    names = ", ".join(bundled_names())
    raise ConfigError(
        f"no bundled glossary named {source!r} (bundled: {names}); "
        f"for a file in this folder write ./{source}"
    )
