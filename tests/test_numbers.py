from __future__ import annotations

from decimal import Decimal

import pytest

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
