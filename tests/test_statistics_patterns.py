"""The statistics grammar's compiled shapes: word slots as lookups in the clause's own word
lists accept exactly what the word alternations accepted, in the same order; the needs
that let a clause skip a shape are necessary; and the patterns stay small."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual import Glossary
from bilingual.translate.engines.statistics import StatisticsEngine, _reading
from bilingual.translate.engines.statistics_grammar import (
    alternation,
    glossary_nouns,
    grammar,
    time_regex,
)
from bilingual.translate.engines.statistics_needs import END_SLOTS, needs
from bilingual.translate.engines.statistics_patterns import (
    _ENDS,
    _table_words,
    computed_regex,
    matches,
    read,
    shapes,
    slot_table,
    time_spans,
)
from conftest import case_data

GLOSSARIES = ["automotive", "battery-recycling", "nickel-stainless", "organisations"]


@cache
def _extra() -> frozenset[str]:
    return frozenset(glossary_nouns(Glossary.load(*GLOSSARIES)))


@cache
def _reference(extra: frozenset[str]) -> list[tuple[str, re.Pattern[str]]]:
    """The shapes as they were compiled before lookups: every word slot an alternation of
    all its words (longest first), the time slot the time expression itself."""

    def words(*tables: str) -> str:
        if tables[0] in ("time", "cnnum", "cnpct", "cncount"):
            return f"(?:{computed_regex(tables[0])})"
        if tables == ("npwords",):
            tables = ("nouns", "notes")  # one alternation after the other, as they were
        parts = []
        for table in tables:
            listed = _table_words(table) + (sorted(extra) if table == "nouns" else [])
            parts.append(alternation(sorted(set(listed))))
        return "(?:" + "|".join(parts) + ")"

    table = slot_table(words)

    def expand(m: re.Match[str]) -> str:
        return f"(?P<{m.group(1)}{m.group(2)}>{table[m.group(1)]})"

    return [
        (spec["name"], re.compile(re.sub(r"\{([a-z]+)(\d?)\}", expand, spec["pattern"])))
        for spec in grammar()["clause"]
    ]


def _groups(m: re.Match[str]) -> dict[str, Any]:
    return {k: v for k, v in m.groupdict().items() if v and not k.startswith("_")}


def _both(text: str, extra: frozenset[str]) -> tuple[list[Any], list[Any]]:
    reading = read(text, extra)
    assert reading is not None
    now = [(shape.spec["name"], _groups(m)) for shape, m in matches(reading)]
    before = [(name, _groups(m)) for name, p in _reference(extra) if (m := p.fullmatch(text))]
    return now, before


def test_lookups_accept_what_alternations_accepted() -> None:
    """Every clause of the development set: the same shapes match, with the same slots."""
    engine, glossary = StatisticsEngine(), Glossary.load(*GLOSSARIES)
    texts = {
        _reading(clause.text)
        for case in case_data("statistics_dev")["cases"]
        for clause in engine.clauses(case["zh"], glossary)
    }
    assert len(texts) > 1500
    matched = 0
    for text in sorted(texts):
        for extra in (_extra(), frozenset()):
            now, before = _both(text, extra)
            assert now == before, text
            matched += bool(now)
    assert matched > 2000  # the comparison is about clauses that match something


_PIECES = """
2025年 12月 1-5月 前三季度 上半年 本周 12月上旬 去年同期 今年以来 25Q2
汽车 乘用车 新能源汽车 出口 进口 销量 产量 均价 碳酸锂 粗钢 我国 公司 比亚迪 (含底盘)
3.0万辆 14.7亿美元 2.8万元/吨 7.38-7.59万元/吨 5% 0.5个百分点 三成 百分之十二 47.6万
同比 环比 较上月 比上年 增长 下降 上涨 约 近 左右 以上 其中 分别 和 、 为 达到 至 的 占
实现 营业收入 首次 突破 大关 创 新高 连续 3 个月 预计 将 倍 持平 据 海关 数据显示 周五 公布
""".split()


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_lookups_on_random_clauses(pieces: list[str]) -> None:
    """Random clauses of grammar words and figures: the same shapes, the same slots."""
    now, before = _both("".join(pieces), _extra())
    assert now == before


def _all_times(text: str) -> set[str]:
    time = re.compile(time_regex())
    n = len(text)
    return {text[i:j] for i in range(n) for j in range(i + 1, n + 1) if time.fullmatch(text[i:j])}


@given(st.lists(st.sampled_from([*_PIECES, *"1-5月份日初末旬", "以来", "上", "当周"]), max_size=8))
@settings(max_examples=300, deadline=None)
def test_time_spans_are_every_time_stretch(pieces: list[str]) -> None:
    """The time list of a clause holds every stretch the time expression matches (the
    end-character filter and the starts skip none)."""
    text = "".join(pieces)
    assert time_spans(text) == _all_times(text)


def test_time_spans_of_the_dev_set() -> None:
    engine = StatisticsEngine()
    texts = {
        _reading(c.text)
        for case in case_data("statistics_dev")["cases"]
        for c in engine.clauses(case["zh"])
    }
    assert all(time_spans(t) == _all_times(t) for t in texts if len(t) < 40)


def test_needs_are_read_from_the_pattern() -> None:
    got = needs("(?P<qz>其中)?{time}?{np}(?=abc)实现(?:营收|收入){qty2}{after}?[和、]?")
    assert got.slots == {"np", "qty"}
    assert got.texts == ("实现",)
    assert [[b.texts for b in group] for group in got.any_of] == [[("营收",), ("收入",)]]
    assert needs("(?:据|{src})显示").any_of[0][1].slots == {"src"}
    assert [[b.texts for b in group] for group in needs("a|b?c").any_of] == [[("a",), ("c",)]]
    assert needs("(?:a|)x").any_of == ()  # an empty branch needs nothing
    assert needs("{np}为{qty}").last == "qty"  # the clause must end as a quantity does
    assert needs("{np}为{qty}{after}?").last == ""
    assert needs("{np}{time}").last == ""  # no end check for times
    assert set(_ENDS) == END_SLOTS


def test_a_clause_with_a_private_use_character_is_not_read() -> None:
    assert read("汽车出口3.0万辆\ue001", frozenset()) is None
    engine = StatisticsEngine()
    assert engine.translate_sentence("汽车出口3.0万辆\ue003。") == "汽车出口3.0万辆\ue003。"


def test_patterns_stay_small() -> None:
    """The word tables live in each clause's lists, not in the patterns: a shape is a few
    hundred characters (they were 2,200 on average, 255,000 in all, with the alternations
    of ~850 nouns; half a second to compile in every process), and no pattern spells out
    a table (a few alternatives of its own at most)."""
    patterns = [shape.pattern.pattern for shape in shapes()]
    assert sum(map(len, patterns)) / len(patterns) < 600
    assert max(p.count("|") for p in patterns) < 60
