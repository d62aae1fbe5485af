"""bilingual.translate with the tiny genuine model: the whole path, on real outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilingual import Glossary, translate
from bilingual.errors import ConfigError
from bilingual.options import TranslateOptions
from bilingual.translate import Memory, Translator, get_engine
from bilingual.translate.engines.argos import ArgosEngine
from conftest import run_cli

MIXED = "GEM and AE signed a deal.\n据乘联会数据，黑粉价格上涨3.0万元/吨。The end.\n"


def test_only_source_language_sentences_are_translated(tiny_installed: Path) -> None:
    (result,) = translate(MIXED, engine="argos", beam_size=1)
    assert result.engine == "argos"
    assert result.text.startswith("GEM and AE signed a deal.\n")
    assert result.text.endswith("The end.\n")
    assert "据乘联会" not in result.text
    assert result.sentences == 1


def test_issues_are_reported_on_real_output(tiny_installed: Path) -> None:
    glossary = Glossary.load("automotive", "battery-recycling", "organisations")
    (result,) = translate(
        "黑粉价格上涨3.0万元/吨。", engine="argos", glossary=glossary, beam_size=1
    )
    kinds = {i.kind for i in result.issues}
    # The tiny model's output is garbage: the number and the term cannot survive it.
    assert "number-missing" in kinds
    assert kinds & {"term-lost", "term-restored", "term-missing"}
    assert [t.source for t in result.terms] == ["黑粉"]
    assert result.terms[0].target == "black mass"
    text = "黑粉价格上涨3.0万元/吨。"
    # A number flag points at its figure; the others at the sentence.
    for issue in result.issues:
        if issue.kind == "number-missing":
            assert issue.span is not None and text[issue.span[0] : issue.span[1]] == "3.0万"
        else:
            assert issue.span == (0, 14)
    # Restored at the start, since that is where the term stood.
    assert result.text.startswith("Black mass")


def test_memory_translates_each_sentence_once(tiny_installed: Path, tmp_path: Path) -> None:
    tm = Memory(tmp_path / "tm.sqlite")
    page = "进口下降。\n进口下降。\n出口增长。\n进口下降。\n"
    (first,) = translate(page, engine="argos", memory=tm, beam_size=1)
    assert first.sentences == 4 and first.memory_hits == 0
    assert len(tm) == 2  # two distinct sentences went to the engine
    (second,) = translate(page, engine="argos", memory=tm, beam_size=1)
    assert second.memory_hits == 4
    assert second.text == first.text
    lines = first.text.splitlines()
    assert lines[0] == lines[1] == lines[3] != lines[2]


def test_memory_key_includes_engine_and_glossary(tiny_installed: Path, tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    translate("进口下降。", engine="argos", memory=path, beam_size=1)
    (other_beam,) = translate("进口下降。", engine="argos", memory=path, beam_size=2)
    assert other_beam.memory_hits == 0
    (with_glossary,) = translate(
        "进口下降。", engine="argos", memory=path, beam_size=1, glossary="automotive"
    )
    assert with_glossary.memory_hits == 0
    (again,) = translate("进口下降。", engine="argos", memory=path, beam_size=1)
    assert again.memory_hits == 1


def test_many_texts_one_batch(tiny_installed: Path) -> None:
    texts = [f"第{i}句：进口下降。" for i in range(30)]
    results = translate(texts, engine=ArgosEngine("zh", "en", TranslateOptions(beam_size=1)))
    assert len(results) == 30 and all(r.sentences == 1 for r in results)
    alone = translate(texts[7], engine="argos", beam_size=1)[0]
    assert results[7].text == alone.text


def test_english_to_chinese_needs_its_model(tiny_installed: Path) -> None:
    with pytest.raises(Exception, match="no en → zh model installed"):
        translate("Prices rose.", "en", "zh", engine="argos")


def test_bad_arguments(tiny_installed: Path) -> None:
    with pytest.raises(ConfigError, match="option 'to' must be one of en, zh, none, not 'fr'"):
        translate("x", "zh", "fr")
    with pytest.raises(ConfigError, match="translate zh → en or en → zh, not zh → zh"):
        translate("x", "zh", "zh")
    with pytest.raises(ConfigError, match="unknown engine 'bing'"):
        get_engine("bing", "zh", "en")


def test_auto_keeps_the_statistics_engine_first_when_argos_is_installed(
    tiny_installed: Path,
) -> None:
    """Installing a model no longer switches the exact statistics engine off: auto is the
    chain statistics → argos (issue 14)."""
    translator = Translator("zh", "en", memory=None)
    assert [e.name for e in translator.engines] == ["statistics", "argos"]
    assert get_engine("auto", "zh", "en").name == "statistics"


def test_translate_cli(tiny_installed: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(MIXED, encoding="utf-8")
    result = run_cli(
        "translate", "--engine", "argos", "--beam-size", "1", "--memory", "none", str(page)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("GEM and AE signed a deal.\n")
    assert "number-missing" in result.stderr and f"{page}:" in result.stderr
    side = run_cli("translate", "--bilingual", "--memory", "none", str(page))
    assert side.stdout.startswith("GEM and AE signed a deal.\n据乘联会数据")
    jsonl = run_cli(
        "translate",
        "--jsonl",
        "--field",
        "body",
        "--memory",
        "none",
        input=json.dumps({"id": 1, "body": "进口下降。"}, ensure_ascii=False) + "\n",
    )
    obj = json.loads(jsonl.stdout)
    assert obj["id"] == 1 and obj["body"] == "进口下降。" and isinstance(obj["body_en"], str)
    assert isinstance(obj["issues"], list)
    default_memory = run_cli("translate", str(page))
    assert default_memory.returncode == 0
    assert (tiny_installed / "memory.sqlite").exists()


def test_term_spans_point_into_the_whole_text(tiny_installed: Path) -> None:
    text = "黑粉价格上涨。黑粉价格上涨。"
    (result,) = translate(text, engine="argos", glossary="battery-recycling", beam_size=1)
    assert [t.source_span for t in result.terms] == [(0, 2), (7, 9)]
    assert all(text[a:b] == "黑粉" for a, b in (t.source_span for t in result.terms))


def test_chinese_phrases_inside_english_sentences(tiny_installed: Path) -> None:
    """A Chinese run in an English sentence is translated too: glossary terms directly
    (no engine, no capital, the article fixed), anything else by the engine."""
    glossary = Glossary.load("battery-recycling")
    text = "They list a 三元前驱体 workshop, a 动力电池回收 project and 黑粉, with GEM.\n"
    (stats,) = translate(text, engine="statistics", glossary=glossary)
    assert stats.text == (
        "They list an NCM precursor workshop, a power battery recycling project and "
        "black mass, with GEM.\n"
    )
    assert [t.source for t in stats.terms] == ["三元前驱体", "动力电池回收", "黑粉"]
    assert stats.issues == []
    other = "Prices of 某种新材料 rose sharply in the third week of March.\n"
    (left,) = translate(other, engine="statistics", glossary=glossary)
    assert left.text == other  # the statistics engine knows no such phrase: kept, reported
    assert [(i.kind, i.detail, i.span) for i in left.issues] == [
        ("untranslated", "某种新材料", (10, 15))
    ]
    (argos,) = translate(other, engine="argos", glossary=glossary, beam_size=1)
    assert argos.engine == "argos" and "新材料" not in argos.text
    assert (
        argos.text.startswith("Prices of ")
        and " rose sharply in the third week of March.\n" in argos.text
    )


def test_a_name_after_a_semicolon_keeps_its_capital() -> None:
    """Parts after ；go on in lower case (``…YoY; import value was…``), names do not."""
    (both,) = translate(
        "2025年，汽车整车进口47.6万辆，同比下降32.4%；印度汽车出口12.3万辆，同比增长5%；"
        "进口金额236.4亿美元，同比下降39.7%。",
        memory=None,
    )
    assert "YoY; India exported 123,000 vehicles" in both.text
    assert "YoY; import value was US$23.64 billion" in both.text
