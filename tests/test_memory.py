from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bilingual import InputError
from bilingual.translate.memory import Memory, Unit

KEY = {"engine": "e1", "glossary": "g1", "source_lang": "zh", "target_lang": "en"}


def test_put_and_get_with_normalised_keys(tmp_path: Path) -> None:
    tm = Memory(tmp_path / "tm.sqlite")
    tm.put_many([Unit("进口 下降。", "Imports fell.", "zh", "en", "e1", "g1")])
    assert tm.get_many(["  进口   下降。 "], **KEY) == {"进口 下降。": "Imports fell."}
    assert tm.get_many(["进口 下降。"], **{**KEY, "engine": "e2"}) == {}
    assert tm.get_many(["进口 下降。"], **{**KEY, "glossary": "g2"}) == {}
    assert (tm.hits, tm.misses) == (1, 2)
    assert tm._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WRITER = """
import sys
from bilingual.translate.memory import Memory, Unit
tm = Memory(sys.argv[1])
for batch in range(20):
    tm.put_many(Unit(f"w{sys.argv[2]} s{batch} {i}", f"t{i}", "zh", "en", "e1", "g1")
                for i in range(25))
"""


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "tm.sqlite")
    Memory(path).close()
    workers = [subprocess.Popen([sys.executable, "-c", WRITER, path, str(w)]) for w in range(2)]
    assert [w.wait(120) for w in workers] == [0, 0]
    assert len(Memory(path)) == 2 * 20 * 25


def test_tmx_round_trip(tmp_path: Path) -> None:
    tm = Memory(tmp_path / "a.sqlite")
    tm.put_many(
        [
            Unit("黑粉价格上涨。", "Black mass prices rose.", "zh", "en", "e1", "g1"),
            Unit("进口下降。", "Imports fell & <dropped>.", "zh", "en", "e1", "g1"),
        ]
    )
    assert tm.export_tmx(tmp_path / "tm.tmx") == 2
    text = (tmp_path / "tm.tmx").read_text("utf-8")
    assert '<tmx version="1.4">' in text and 'xml:lang="zh"' in text
    other = Memory(tmp_path / "b.sqlite")
    assert other.import_tmx(tmp_path / "tm.tmx") == 2
    assert sorted(other.units(), key=lambda u: u.source) == sorted(
        tm.units(), key=lambda u: u.source
    )


def test_bad_files(tmp_path: Path) -> None:
    (tmp_path / "x.sqlite").write_text("not a database at all, just text" * 10)
    with pytest.raises(InputError, match="not a translation memory"):
        Memory(tmp_path / "x.sqlite")
    (tmp_path / "evil.tmx").write_text('<!DOCTYPE tmx [<!ENTITY a "b">]><tmx>&a;</tmx>')
    with pytest.raises(InputError, match=r"evil\.tmx: cannot read TMX"):
        Memory(":memory:").import_tmx(tmp_path / "evil.tmx")
