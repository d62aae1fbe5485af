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


class Memory:
    """A translation memory in a SQLite file (``":memory:"`` for a private, temporary one)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise InputError(f"not a translation memory: {e}", source=self.path) from e
        self.hits = 0
        self.misses = 0

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
            rows = self._db.execute(
                "SELECT source, target FROM memory WHERE engine=? AND glossary=? AND "
                f"source_lang=? AND target_lang=? AND source IN ({','.join('?' * len(chunk))})",
                (engine, glossary, source_lang, target_lang, *chunk),
            )
            found.update(rows.fetchall())
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, units: Iterable[Unit]) -> None:
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
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM memory").fetchone()[0]

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

        from ..io import atomic_output

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
        ET.indent(root)
        with atomic_output(str(path)) as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            out.write(ET.tostring(root, encoding="unicode") + "\n")
        return count

    def import_tmx(
        self, path: str | os.PathLike[str], *, engine: str = "tmx", glossary: str = ""
    ) -> int:
        """Add the units of a TMX file (the first two languages of each unit); returns the count.

        Units without ``x-engine`` get ``engine`` (default ``tmx``): they are found only by a
        lookup with that engine id, so imported human translations never pose as a model's.
        """
        import defusedxml.ElementTree as DET
        from defusedxml import DefusedXmlException

        try:
            root = DET.parse(str(path), forbid_dtd=True).getroot()
        except (DefusedXmlException, OSError) as e:
            raise InputError(f"cannot read TMX: {e}", source=str(path)) from e
        except Exception as e:
            raise InputError(f"invalid TMX: {e}", source=str(path)) from e
        units = []
        lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
        for tu in root.iter("tu"):
            props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
            tuvs = [
                (t.get(lang_attr) or t.get("lang") or "", t.findtext("seg") or "")
                for t in tu.findall("tuv")
            ]
            if len(tuvs) < 2:
                continue
            (src_lang, src), (tgt_lang, tgt) = tuvs[0], tuvs[1]
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
