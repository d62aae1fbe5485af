"""Translation memory: a SQLite file, so a repeated sentence is translated once.

Keyed by engine id, glossary fingerprint, source and target language, and the source
sentence with its whitespace normalised. WAL mode and a busy timeout make several
processes (``bilingual run --jobs N``, or two jobs sharing a memory) safe: readers never
block, writers wait their turn. TMX 1.4 import and export for exchange with CAT tools.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from ..errors import InputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    engine TEXT NOT NULL,
    glossary TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (engine, glossary, source_lang, target_lang, source)
) WITHOUT ROWID
"""


HUMAN = "human"
"""The engine id of translations made by people (accepted in review, imported from TMX):
looked up for every engine, and preferred."""
_APPLICATION_ID = 0x42694C67  # "BiLg": marks a SQLite file as a bilingual memory


def _check_path(path: Path) -> None:
    """Fail now, not after the work, when the memory cannot be written."""
    where = path.parent
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(
            f"cannot create the memory's folder: {e.strerror}", source=str(path)
        ) from e
    if path.exists():
        if not path.is_file():
            raise InputError("not a translation memory (not a regular file)", source=str(path))
        if not os.access(path, os.R_OK | os.W_OK):
            raise InputError(
                "the memory is read-only; choose another --memory (or none)", source=str(path)
            )
    if not os.access(where, os.W_OK | os.X_OK):
        raise InputError(
            f"the memory's folder {where} is read-only; choose another --memory (or none)",
            source=str(path),
        )


def key_text(sentence: str) -> str:
    """The memory key of a sentence: whitespace collapsed and trimmed."""
    return " ".join(sentence.split())


@dataclass(frozen=True)
class Unit:
    """One stored translation."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    engine: str = ""
    glossary: str = ""


def _language(code: str) -> str:
    """``zh-CN`` → ``zh``, ``EN-us`` → ``en``: the memory keys languages by their code."""
    return code.split("-")[0].split("_")[0].lower()


class Memory:
    """A translation memory in a SQLite file (``":memory:"`` for a private, temporary one).

    Opening checks everything that could make a run fail after its work is done: a file of
    another application (refused: it carries no ``bilingual`` marker), a read-only file or
    folder, a path that cannot be created. A memory locked by another writer for over 60 s
    is a one-line error too.
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 60) -> None:
        """``timeout``: how long to wait for another writer's lock, in seconds."""
        self.path = str(path)
        if self.path != ":memory:":
            _check_path(Path(self.path))
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.DatabaseError as e:
            raise InputError(f"cannot open the memory: {e}", source=self.path) from e
        try:  # a write lock, taken and given back: can this run store what it translates?
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
        except sqlite3.OperationalError as e:
            if "locked" in str(e):
                raise InputError(f"cannot write the memory: {e}", source=self.path) from e
            raise InputError(
                f"the memory cannot be written (read-only?: {e}); "
                "choose another --memory (or none)",
                source=self.path,
            ) from e
        except sqlite3.DatabaseError as e:
            raise InputError(f"not a translation memory: {e}", source=self.path) from e
        try:
            self._claim()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as e:
            raise InputError(f"not a translation memory: {e}", source=self.path) from e
        self.hits = 0
        self.misses = 0

    def _claim(self) -> None:
        """Ours (our marker), new (no tables: marked and given our table), or refused."""
        app_id = self._db.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master")}
        if app_id == _APPLICATION_ID:
            return
        if app_id or (tables and tables != {"memory"}):
            raise InputError(
                "refused: a SQLite file of another application, not a translation memory",
                source=self.path,
            )
        with self._transaction():
            self._db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            self._db.execute(_SCHEMA)

    def get_many(
        self,
        sentences: Iterable[str],
        *,
        engine: str,
        glossary: str,
        source_lang: str,
        target_lang: str,
    ) -> dict[str, str]:
        """Stored translations of ``sentences``, by memory key."""
        keys = list(dict.fromkeys(key_text(s) for s in sentences))
        found: dict[str, str] = {}
        for i in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = keys[i : i + 500]
            try:
                rows = self._db.execute(
                    "SELECT source, target FROM memory WHERE engine=? AND glossary=? AND "
                    f"source_lang=? AND target_lang=? AND source IN ({','.join('?' * len(chunk))})",
                    (engine, glossary, source_lang, target_lang, *chunk),
                ).fetchall()
            except sqlite3.OperationalError as e:
                raise InputError(f"cannot read the memory: {e}", source=self.path) from e
            found.update((source, target) for source, target in rows if target.strip())
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, units: Iterable[Unit]) -> None:
        """Store ``units`` (replacing translations of the same key)."""
        rows = [
            (
                u.engine,
                u.glossary,
                u.source_lang,
                u.target_lang,
                key_text(u.source),
                u.target,
                time.time(),
            )
            for u in units
        ]
        if not rows:
            return
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise InputError(f"cannot write the memory: {e}", source=self.path) from e
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as e:
            if self._db.in_transaction:  # SQLite may have rolled back already (disk full)
                self._db.execute("ROLLBACK")
            if isinstance(e, sqlite3.OperationalError):  # a full disk, a file-size limit
                raise InputError(f"cannot write the memory: {e}", source=self.path) from e
            raise

    def stats(self) -> dict[str, object]:
        """Units by engine and language pair, for ``bilingual memory stats``."""
        rows = self._db.execute(
            "SELECT engine, source_lang, target_lang, count(*) FROM memory"
            " GROUP BY engine, source_lang, target_lang ORDER BY count(*) DESC"
        ).fetchall()
        return {
            "path": self.path,
            "units": sum(r[3] for r in rows),
            "by_engine": [
                {"engine": e, "source": s, "target": t, "units": n} for e, s, t, n in rows
            ],
        }

    def __len__(self) -> int:
        (count,) = self._db.execute("SELECT count(*) FROM memory").fetchone()
        return int(count)

    def units(self) -> Iterator[Unit]:
        for row in self._db.execute(
            "SELECT source, target, source_lang, target_lang, engine, glossary FROM memory"
            " ORDER BY created"
        ):
            yield Unit(*row)

    def close(self) -> None:
        self._db.close()

    # --- TMX 1.4 ---------------------------------------------------------------------------

    def export_tmx(self, path: str | os.PathLike[str]) -> int:
        """Write every unit as TMX 1.4; returns the count."""
        from xml.etree import ElementTree as ET

        from .. import safexml
        from ..output import atomic_output, check_paths

        check_paths([self.path], [os.fspath(path)])
        root = ET.Element("tmx", {"version": "1.4"})
        ET.SubElement(
            root,
            "header",
            {
                "creationtool": "bilingual",
                "creationtoolversion": "0.1",
                "segtype": "sentence",
                "o-tmf": "bilingual-sqlite",
                "adminlang": "en",
                "srclang": "*all*",
                "datatype": "plaintext",
            },
        )
        body = ET.SubElement(root, "body")
        count = 0
        for unit in self.units():
            tu = ET.SubElement(body, "tu")
            for name, value in (("x-engine", unit.engine), ("x-glossary", unit.glossary)):
                ET.SubElement(tu, "prop", {"type": name}).text = value
            for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
                tuv = ET.SubElement(tu, "tuv", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
                ET.SubElement(tuv, "seg").text = text
            count += 1
        text = safexml.serialize(root, self.path)
        with atomic_output(str(path)) as out:
            out.write(text)
        return count

    def import_tmx(
        self, path: str | os.PathLike[str], *, engine: str = HUMAN, glossary: str = ""
    ) -> int:
        """Add the units of a TMX file (the first two languages of each unit); returns the count.

        Units without ``x-engine`` get ``engine``: by default :data:`HUMAN`, translations made
        by people, which every later translation of the same sentence uses. Language codes
        are cut to their language (``zh-CN`` → ``zh``). Inline codes (``<bpt>``, ``<ept>``,
        ``<ph>``, ``<it>``, ``<ut>``) are left out of a segment's text and the text after
        them kept; a unit with an empty side is not a translation and is skipped.
        """
        from .. import safexml
        from ..io import read_file

        try:
            data = read_file(path, MAX_TMX_BYTES)
        except InputError as e:
            raise InputError(f"cannot read TMX: {e.reason}", source=str(path)) from e
        root = safexml.parse(data, str(path))
        if root.tag != "tmx":
            raise InputError(f"not a TMX file (its root is <{root.tag}>)", source=str(path))
        units = []
        lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
        for tu in root.iter("tu"):
            props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
            tuvs = [
                (t.get(lang_attr) or t.get("lang") or "", _segment_text(t.find("seg")))
                for t in tu.findall("tuv")
            ]
            if len(tuvs) < 2 or not tuvs[0][1].strip() or not tuvs[1][1].strip():
                continue
            (src_lang, src), (tgt_lang, tgt) = tuvs[0], tuvs[1]
            src_lang, tgt_lang = _language(src_lang), _language(tgt_lang)
            units.append(
                Unit(
                    src,
                    tgt,
                    src_lang,
                    tgt_lang,
                    props.get("x-engine", engine),
                    props.get("x-glossary", glossary),
                )
            )
        self.put_many(units)
        return len(units)


MAX_TMX_BYTES = 1024**3
"""The largest TMX file imported (1 GiB)."""

_INLINE_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
"""TMX elements that hold the native codes of a format (``<b>``), not text."""


def _segment_text(seg: Element | None) -> str:
    """The text of a TMX ``<seg>`` (or of an ``<hi>``/``<sub>`` inside it): its text and
    that of every element in it, inline codes left out, the text after each kept."""
    if seg is None:
        return ""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _INLINE_CODES:
            parts.append(_segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
