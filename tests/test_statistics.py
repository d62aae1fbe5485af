"""The statistics engine: the seed's paragraph, the development set, and honest gaps."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bilingual
from bilingual import ConfigError, Glossary
from bilingual.numbers import guard
from bilingual.translate.engines.statistics import StatisticsEngine, render_quantity, render_time
from conftest import case_data

GLOSSARIES = ["automotive", "battery-recycling", "nickel-stainless", "organisations"]
SEED_CAAM = (
    "据中国汽车工业协会整理的海关总署数据显示,2025年12月,汽车整车进口3.0万辆,环比下降30.4%,"
    "同比下降56.1%;进口金额14.7亿美元,环比下降23.6%,同比下降52.5%。2025年,汽车整车进口47.6万辆,"
    "同比下降32.4%;进口金额236.4亿美元,同比下降39.7%。"
)
SEED_ENGLISH = (
    "According to customs data compiled by CAAM, in December 2025, 30,000 complete vehicles "
    "were imported, down 30.4% MoM and 56.1% YoY; import value was US$1.47 billion, down 23.6% "
    "MoM and 52.5% YoY. In 2025, 476,000 complete vehicles were imported, down 32.4% YoY; "
    "import value was US$23.64 billion, down 39.7% YoY."
)


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load(*GLOSSARIES)


@pytest.mark.parametrize("text", [SEED_CAAM, bilingual.normalize(SEED_CAAM)])
def test_seed_caam_paragraph(glossary: Glossary, text: str) -> None:
    (result,) = bilingual.translate(text, glossary=glossary, engine="statistics")
    assert result.text == SEED_ENGLISH
    assert result.issues == []
    assert result.coverage == 1.0
    assert result.engine == "statistics"


def test_auto_uses_statistics_without_a_model(bilingual_home, glossary: Glossary) -> None:
    (result,) = bilingual.translate("2025年，汽车整车进口47.6万辆。", glossary=glossary)
    assert result.engine == "statistics"
    assert result.text == "In 2025, 476,000 complete vehicles were imported."


def test_dev_set_numbers_are_exact_where_translated(glossary: Glossary) -> None:
    cases = case_data("statistics_dev")["cases"]
    assert len(cases) >= 150
    results = bilingual.translate([c["zh"] for c in cases], engine="statistics", glossary=glossary)
    full = [
        (c, r)
        for c, r in zip(cases, results, strict=True)
        if not any(i.kind == "untranslated" for i in r.issues)
    ]
    assert len(full) / len(cases) >= 0.9
    for case, result in full:
        assert guard(case["zh"], "zh", result.text, "en") == [], case["label"]
        assert result.coverage == 1.0


def test_unknown_clauses_stay_chinese_and_are_reported(glossary: Glossary) -> None:
    text = "据悉，乘用车销量同比增长5%，双方将共同开拓欧洲市场。"
    (result,) = bilingual.translate(text, glossary=glossary, engine="statistics")
    assert result.text == "据悉, passenger car sales rose 5% YoY, 双方将共同开拓欧洲市场."
    untranslated = [i.detail for i in result.issues if i.kind == "untranslated"]
    assert untranslated == ["据悉", "双方将共同开拓欧洲市场."]
    assert 0.3 < result.coverage < 0.8


def test_unknown_noun_is_never_guessed(glossary: Glossary) -> None:
    engine = StatisticsEngine("zh", "en", glossary)
    assert engine.translate_sentence("某某材料销量增长5%。") == "某某材料销量增长5%。"  # untouched


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("2025年12月", "In December 2025"),
        ("1-11月", "In January-November"),
        ("今年前三季度", "In the first three quarters of this year"),
        ("上半年", "In H1"),
        ("第一季度", "In Q1"),
        ("2025年", "In 2025"),
        ("本周", "This week"),
        ("2024年1-6月", "In January-June 2024"),
    ],
)
def test_render_time(zh: str, en: str) -> None:
    assert render_time(zh) == en


@pytest.mark.parametrize(
    ("value", "unit", "noun", "en"),
    [
        ("30000", "辆", "complete vehicle", "30,000 complete vehicles"),
        ("12000000", "辆", None, "12 million units"),
        ("1470000000", "美元", None, "US$1.47 billion"),
        ("23450000", "吨", None, "23.45 million mt"),
        ("28000", "元/吨", None, "28,000 yuan/mt"),
        ("2.8", "亿元", None, "RMB 280 million"),
        ("420", "GWh", None, "420 GWh"),
        ("1", "辆", "NEV", "1 NEV"),
    ],
)
def test_render_quantity(value: str, unit: str, noun: str | None, en: str) -> None:
    assert render_quantity(Decimal(value), unit, noun)[0] == en


def test_only_chinese_to_english() -> None:
    with pytest.raises(ConfigError, match="zh → en only"):
        StatisticsEngine("en", "zh")


def test_engine_id_follows_the_grammar() -> None:
    """The id keys the memory with the glossary's fingerprint beside it: the grammar's
    version is what the engine adds."""
    from bilingual.translate.engines.statistics import grammar

    assert StatisticsEngine("zh", "en").id == f"statistics:{grammar()['_version']}"
