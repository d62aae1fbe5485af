from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.numbers import chinese_value, format_number, guard
from conftest import load_cases


@pytest.mark.parametrize("case", load_cases("numbers", "values"))
def test_chinese_value(case: dict) -> None:
    assert chinese_value(case["zh"]) == Decimal(case["value"])


@pytest.mark.parametrize("case", load_cases("numbers", "guard"))
def test_guard(case: dict) -> None:
    issues = guard(case["zh"], "zh", case["en"], "en")
    assert [[i.kind, format_number(i.quantity[1]).replace(",", "")] for i in issues] == case[
        "issues"
    ]


def test_format_number() -> None:
    assert format_number(Decimal("476000")) == "476,000"
    assert format_number(Decimal("32.40")) == "32.4"
    assert format_number(Decimal("1.4700"), 2) == "1.47"


def test_not_a_number() -> None:
    with pytest.raises(ValueError, match="not a number"):
        chinese_value("三x")


@given(st.integers(min_value=0, max_value=10**15))
@settings(max_examples=300)
def test_chinese_integers_read_as_cn2an_writes_them(n: int) -> None:
    """cn2an (an independent implementation) writes the numeral; ours reads it back."""
    assert chinese_value(cn2an.an2cn(n)) == n


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=1, max_value=99_999),
)
@settings(max_examples=200)
def test_chinese_decimals_are_exact(whole: int, fraction: int) -> None:
    written = f"{whole}.{fraction:05d}".rstrip("0")
    assert chinese_value(cn2an.an2cn(written)) == Decimal(written)  # no float rounding


def test_guard_leaves_unchanged_pieces_alone() -> None:
    """Figures in text an engine left as it was belong to the untranslated issue."""
    source, target = "受5月份检修影响，产量增长5%", "受5月份检修影响, output rose 5%"
    assert [str(i) for i in guard(source, "zh", target, "en")] == [
        "number missing: month 5 ('5月')"
    ]
    assert guard(source, "zh", target, "en", unchanged=["受5月份检修影响"]) == []
