"""The ``libretranslate`` engine against a real LibreTranslate server on 127.0.0.1 serving
the tiny genuine Argos models (the ``libretranslate`` fixture; its output is garbage by
design, so the tests assert what our side does: requests, placeholders, the memory,
errors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bilingual import Glossary, translate
from bilingual.errors import EngineError
from bilingual.translate import Memory
from conftest import run_cli

HEADER = "zh\ten\tstatus\tcase\tpreferred\tdomain\tnote\n"


def _options(server: Any, **more: Any) -> dict[str, Any]:
    return {"engine": "libretranslate", "url": server.url, "memory": None} | more


def test_sentences_are_translated_in_batches(libretranslate: Any) -> None:
    text = "".join(f"进口第{i}次下降。" for i in range(1, 6))
    (result,) = translate(text, glossary=None, **_options(libretranslate, batch_size=2))
    assert result.engine == "libretranslate" and result.sentences == 5
    assert result.usage == {"libretranslate.requests": 3, "libretranslate.characters": 40}
    assert result.text != text and "进口" not in result.text


def test_terms_travel_as_placeholders_and_come_back(libretranslate: Any, tmp_path: Path) -> None:
    path = tmp_path / "terms.tsv"
    path.write_text(HEADER + "黑粉\tblack mass\tapproved\tinsensitive\t\tb\t\n", encoding="utf-8")
    (result,) = translate(
        "黑粉价格上涨。", glossary=Glossary.load(str(path)), **_options(libretranslate)
    )
    # The tiny model drops the placeholder; it stood first, so it is put back there.
    assert result.text.startswith("Black mass ")
    assert [t.target_span for t in result.terms] == [(0, 10)]
    assert [str(i) for i in result.issues] == ["term-restored: at the start: 黑粉 → black mass"]


def test_the_memory_answers_the_second_time(libretranslate: Any, tmp_path: Path) -> None:
    memory = Memory(tmp_path / "tm.sqlite")
    (first,) = translate(
        "出口增长。进口下降。", glossary=None, **_options(libretranslate, memory=memory)
    )
    (again,) = translate(
        "出口增长。进口下降。", glossary=None, **_options(libretranslate, memory=memory)
    )
    assert again.text == first.text and again.memory_hits == 2 and not again.usage
    assert {u.engine for u in memory.units()} == {f"libretranslate:{libretranslate.url}"}


def test_a_stopped_server_is_one_line_and_no_output(tmp_path: Path, tiny_archive: Path) -> None:
    """A server of its own, stopped between two calls of one translator."""
    from servers import libretranslate as lt
    from tiny_model import build_argosmodel

    folder = tmp_path / "models"
    folder.mkdir()
    server = lt.start([tiny_archive, build_argosmodel(folder, source="en", target="zh")])
    try:
        from bilingual.options import TranslateOptions
        from bilingual.text.segment import segment
        from bilingual.translate import Translator

        options = TranslateOptions(engine="libretranslate", url=server.url, retries=1)
        translator = Translator("zh", "en", glossary=None, memory=None, options=options)
        translator([("进口下降。", segment("进口下降。", "sentence"))])
    finally:
        server.stop()
    with pytest.raises(EngineError) as caught:
        translator([("出口增长。", segment("出口增长。", "sentence"))])
    assert str(caught.value) == (
        f"the libretranslate server at {server.url} cannot be reached (connection refused)"
    )
    out = tmp_path / "out.txt"
    cli = run_cli(
        "run", "--engine", "libretranslate", "--url", server.url, "--retries", "0",
        "--memory", "none", "-o", str(out), "-", input="出口增长。\n",
    )  # fmt: skip
    assert cli.returncode == 2 and not out.exists()
    assert cli.stderr == (
        f"bilingual: error: the libretranslate server at {server.url} cannot be reached "
        "(connection refused)\n"
    )


def test_a_wrong_key_is_refused_in_one_line(
    tmp_path: Path, tiny_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servers import libretranslate as lt
    from tiny_model import build_argosmodel

    folder = tmp_path / "models"
    folder.mkdir()
    archives = [tiny_archive, build_argosmodel(folder, source="en", target="zh")]
    server = lt.start(archives, api_keys={"right-key": 100})
    try:
        monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "wrong-SECRET")
        with pytest.raises(EngineError) as caught:
            translate("进口下降。", glossary=None, **_options(server))
        assert str(caught.value) == (
            f"the libretranslate server at {server.url} refused the API key "
            "(HTTP 403: Invalid API key); check $LIBRETRANSLATE_API_KEY"
        )
        monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "right-key")
        (result,) = translate("进口下降。", glossary=None, **_options(server))
        assert result.engine == "libretranslate"
    finally:
        server.stop()


def test_the_chain_sends_only_what_statistics_leaves(libretranslate: Any) -> None:
    covered = "2025年，汽车整车进口47.6万辆，同比下降32.4%。"
    (result,) = translate(
        covered + "分析人士认为供应偏紧。",
        glossary="automotive",
        **_options(libretranslate, engine="auto", fallback="libretranslate"),
    )
    assert result.engine == "statistics,libretranslate"
    assert result.text.startswith(
        "In 2025, 476,000 complete vehicles were imported, down 32.4% YoY."
    )
    assert result.usage["libretranslate.characters"] == len("分析人士认为供应偏紧。")
    assert not [i for i in result.issues if i.kind.startswith("number")]
