from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bilingual import InputError, translate
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
    with pytest.raises(InputError, match=r"evil\.tmx: refused: .* internal subset"):
        Memory(":memory:").import_tmx(tmp_path / "evil.tmx")


def test_another_applications_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(InputError, match="another application"):
        Memory(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "app.sqlite-wal").exists()


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="OmegaT" srclang="zh-CN" datatype="plaintext"
 segtype="sentence" adminlang="en" o-tmf="OmegaT" creationtoolversion="6"/>
<body><tu><tuv xml:lang="zh-CN"><seg>黑粉价格上涨。</seg></tuv>
<tuv xml:lang="en-US"><seg>Black mass prices rose.</seg></tuv></tu></body></tmx>
"""


def test_tmx_of_cat_tools_is_read_and_people_win(tmp_path: Path) -> None:
    """A plain DOCTYPE (OmegaT, Trados, translate-toolkit) is read; zh-CN/en-US become
    zh/en; the unit is a person's translation, which every engine then uses."""
    (tmp_path / "omegat.tmx").write_text(TMX, encoding="utf-8")
    tm = Memory(tmp_path / "tm.sqlite")
    assert tm.import_tmx(tmp_path / "omegat.tmx") == 1
    (unit,) = tm.units()
    assert (unit.source_lang, unit.target_lang, unit.engine) == ("zh", "en", "human")
    (result,) = translate("黑粉价格上涨。", engine="statistics", memory=tm, glossary=None)
    assert result.text == "Black mass prices rose." and result.memory_hits == 1
