"""The statistics engine: the seed's paragraph, the development set, and honest gaps."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bilingual
from bilingual import ConfigError, Glossary
from bilingual.numbers import guard
from bilingual.translate.engines.statistics import StatisticsEngine, render_quantity, render_time
from conftest import case_data

_HAN = re.compile(r"[\u4e00-\u9fff]")

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


def test_seed_paragraph_without_a_glossary() -> None:
    """The grammar's own tables know the seed's nouns: translate()'s default glossary
    argument is not needed for 进口金额14.7亿美元."""
    (result,) = bilingual.translate(SEED_CAAM, glossary=None, engine="statistics", memory=None)
    assert result.text == SEED_ENGLISH
    assert result.issues == []


def _fully_translated(results: list[bilingual.Translation]) -> list[bool]:
    return [not any(i.kind == "untranslated" for i in r.issues) for r in results]


def test_dev_set_numbers_are_exact_where_translated(glossary: Glossary) -> None:
    cases = case_data("statistics_dev")["cases"]
    assert len(cases) >= 600
    results = bilingual.translate(
        [c["zh"] for c in cases], engine="statistics", glossary=glossary, memory=None
    )
    full = _fully_translated(results)
    for case, result, done in zip(cases, results, full, strict=True):
        if done:
            assert guard(case["zh"], "zh", result.text, "en") == [], case["label"]
            assert result.coverage == 1.0
        # Flags only on what changed: no number-* issue on a sentence left as it was.
        if result.text == case["zh"]:
            assert not [i for i in result.issues if i.kind.startswith("number-")], case["label"]
    for kind, floor in (("v1", 0.9), ("formulaic", 0.75)):
        share = [d for c, d in zip(cases, full, strict=True) if c["kind"] == kind]
        assert sum(share) / len(share) >= floor, kind


def test_unknown_clauses_stay_chinese_and_are_reported(glossary: Glossary) -> None:
    text = "受此影响，乘用车销量同比增长5%，双方将共同开拓欧洲市场。"
    (result,) = bilingual.translate(text, glossary=glossary, engine="statistics", memory=None)
    # Chinese keeps its own marks where Chinese follows; English where English follows.
    assert result.text == "受此影响, passenger car sales rose 5% YoY，双方将共同开拓欧洲市场。"
    untranslated = [(i.detail, i.span) for i in result.issues if i.kind == "untranslated"]
    assert [d for d, _ in untranslated] == ["受此影响", "双方将共同开拓欧洲市场。"]
    assert all(text[a:b] == d for d, (a, b) in untranslated)
    assert 0.3 < result.coverage < 0.8


def test_unknown_noun_is_never_guessed() -> None:
    engine = StatisticsEngine("zh", "en")
    assert engine.translate_sentence("某某材料销量增长5%。") == "某某材料销量增长5%。"  # untouched


def test_lead_of_an_untranslated_clause_stays_with_it() -> None:
    """ "Last year, 受…影响, …" would be wrong: a time lead belongs to the clause after it,
    and stays Chinese with it; the clause after that is translated in place."""
    engine = StatisticsEngine("zh", "en")
    out = engine.translate_sentence("去年，受春节假期影响，汽车出口增长5%。")
    assert out == "去年，受春节假期影响, vehicle exports rose 5%."
    assert "Last year" not in out
    assert engine.translate_sentence("去年，据了解，汽车出口增长5%。") == (
        "Last year, reportedly, vehicle exports rose 5%."
    )


@pytest.mark.parametrize(
    ("zh", "phrases"),
    [
        ("本周，今年前7个月，汽车出口同比增长5%。", ["This week", "the first 7 months"]),
        ("一季度，1-3月乘用车销量同比增长5%。", ["Q1", "January-March"]),
        ("2025年，12月汽车出口70.2万辆。", ["2025", "December"]),
    ],
    ids=["week-and-months", "quarter-and-range", "year-and-month"],
)
def test_no_time_phrase_stated_twice(zh: str, phrases: list[str]) -> None:
    out = StatisticsEngine("zh", "en").translate_sentence(zh)
    assert not _HAN.search(out), out
    for phrase in phrases:
        assert out.count(phrase) == 1, (phrase, out)


def test_clauses_interface() -> None:
    """Which clauses the engine covers, with their English and where they are: a fallback
    engine translates the rest and puts it back in place."""
    sentence = "受需求影响，汽车出口3.0万辆，同比下降5%，主要原因是运价上涨。"
    clauses = StatisticsEngine("zh", "en").clauses(sentence)
    assert [sentence[a:b] for (a, b) in (c.span for c in clauses)] == [c.text for c in clauses]
    assert [c.text for c in clauses] == [
        "受需求影响",
        "汽车出口3.0万辆",
        "同比下降5%",
        "主要原因是运价上涨",
    ]
    assert [c.english for c in clauses] == [
        None,
        "30,000 vehicles were exported",
        "down 5% YoY",
        None,
    ]
    assert [c.role for c in clauses] == ["", "main", "change", ""]


def test_figures_in_untranslated_text_are_not_number_flags() -> None:
    text = "受5月份检修影响，乘用车销量增长5%。"
    (result,) = bilingual.translate(text, glossary=None, engine="statistics", memory=None)
    assert result.text == "受5月份检修影响, passenger car sales rose 5%."
    assert [(i.kind, i.detail) for i in result.issues] == [("untranslated", "受5月份检修影响")]
    (left,) = bilingual.translate("某某材料5月份销量增长5%。", engine="statistics", memory=None)
    assert left.text == "某某材料5月份销量增长5%。"
    assert "untranslated" in [i.kind for i in left.issues]
    assert not [i for i in left.issues if i.kind.startswith("number-")]


def test_number_flags_name_the_figure_and_its_span(tmp_path) -> None:
    """A person's translation in the memory that lost a figure: the flag says which, and
    where it stands in the source text."""
    from bilingual.translate.memory import HUMAN, Memory, Unit

    memory = Memory(tmp_path / "memory.sqlite")
    sentence = "汽车出口3.0万辆，同比下降5%。"
    memory.put_many([Unit(sentence, "Vehicle exports fell 5% YoY.", "zh", "en", HUMAN)])
    text = "前言。" + sentence
    (result,) = bilingual.translate(text, engine="statistics", memory=memory, glossary=None)
    missing = [i for i in result.issues if i.kind == "number-missing"]
    assert [(i.detail, text[i.span[0] : i.span[1]]) for i in missing] == [
        ("number 30,000 ('3.0万')", "3.0万")
    ]


_CLAUSES_IN = ["汽车出口3.0万辆", "进口金额14.7亿美元", "乘用车销量同比增长5%", "2025年12月"]
_CHANGES = ["同比下降30.4%", "环比增长2%", "同比增加1.5个百分点"]
_CHINESE = [
    "受春节假期影响",
    "据悉",
    "双方将共同开拓欧洲市场",
    "主要原因是5月份运价上涨",
    "某某材料销量增长5%",
]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(_CLAUSES_IN + _CHANGES + _CHINESE),
            st.sampled_from(["，", "；", ",", "，"]),
        ),
        min_size=1,
        max_size=7,
    ),
    st.sampled_from(["。", "", "；"]),
)
@settings(max_examples=150, deadline=None)
def test_partial_output_keeps_the_remainder_byte_identical(
    parts: list[tuple[str, str]], end: str
) -> None:
    sentence = "".join(c + m for c, m in parts[:-1]) + parts[-1][0] + end
    engine = StatisticsEngine("zh", "en")
    clauses = engine.clauses(sentence)
    out = engine.translate_sentence(sentence)
    runs: list[list] = []  # maximal runs of uncovered clauses
    for clause in clauses:
        if clause.english is None:
            if runs and runs[-1][-1] is clauses[clauses.index(clause) - 1]:
                runs[-1].append(clause)
            else:
                runs.append([clause])
    for run in runs:
        piece = sentence[run[0].span[0] : run[-1].span[1]]
        assert piece in out, (piece, out)
        after = sentence[run[-1].span[1] :]
        if run[-1] is not clauses[-1]:
            nxt = clauses[clauses.index(run[-1]) + 1]
            if nxt.english is not None:
                assert piece + ", " in out or piece + "; " in out or piece + ": " in out, out
        elif after.strip():  # the sentence's own end mark stays when Chinese ends it
            assert out.endswith(piece + after.strip()), out
    # No ASCII mark joins anything to a Chinese part unless the source had it there.
    for m in re.finditer(r"[,;]\s*[\u4e00-\u9fff]", out):
        assert m.group().replace(" ", "") in sentence, out
    if all(c.english is None for c in clauses):
        assert out == sentence.strip()


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
