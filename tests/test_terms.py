"""Glossary enforcement on outputs an engine could give, without an engine."""

from __future__ import annotations

import pytest

from bilingual import Glossary
from bilingual.translate.terms import check, protect, restore


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load("automotive", "battery-recycling", "organisations")


def test_protect_uses_preferred_renderings(glossary: Glossary) -> None:
    p = protect("黑粉价格同比上涨，格林美与AE签署", glossary, "zh")
    assert p.text == "⟦1⟧价格⟦2⟧上涨，⟦3⟧与⟦4⟧签署"
    assert [t[1] for t in p.terms] == ["black mass", "YoY", "GEM", "AE"]


def test_restore_fixes_articles_and_capitals(glossary: Glossary) -> None:
    p = protect("黑粉与新能源汽车", glossary, "zh")
    text, applied, issues = restore("⟦1⟧ for a ⟦2⟧ maker", p, "en")
    assert text == "Black mass for an NEV maker"
    assert [a.target_span for a in applied] == [(0, 10), (18, 21)]
    assert issues == []
    assert check(text, applied, glossary, "en") == []


def test_tolerant_placeholder_forms(glossary: Glossary) -> None:
    p = protect("黑粉", glossary, "zh")
    assert restore("[ 1 ] rose", p, "en")[0] == "Black mass rose"
    assert restore("【1】rose", p, "en")[0] == "Black massrose"


def test_lost_placeholders_are_restored_or_reported(glossary: Glossary) -> None:
    p = protect("黑粉价格上涨，格林美表示，需求来自新能源汽车", glossary, "zh")
    text, applied, issues = restore("prices rose, the company said, demand from cars", p, "en")
    assert text.startswith("Black mass prices rose")
    assert text.endswith("demand from cars NEV")
    kinds = [k for k, _ in issues]
    assert kinds == ["term-restored", "term-lost", "term-restored"]
    assert applied[1].target_span is None
    assert ("term-missing", "格林美 → GEM") in check(text, applied, glossary, "en")


def test_forbidden_rendering_is_reported(glossary: Glossary) -> None:
    p = protect("环比下降", glossary, "zh")
    text, applied, _ = restore("down ⟦1⟧, the ring ratio says", p, "en")
    assert ("forbidden-term", "环比 → ring ratio") in check(text, applied, glossary, "en")


def test_english_to_chinese(glossary: Glossary) -> None:
    p = protect("Black mass prices rose YoY", glossary, "en")
    assert p.text == "⟦1⟧ prices rose ⟦2⟧"
    text, _, _ = restore("⟦1⟧价格⟦2⟧上涨", p, "zh")
    assert text == "黑粉价格同比上涨"
