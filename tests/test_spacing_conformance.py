"""pangu's own spacing suite (``../shared/conformance/pangu_cases.json``) through normalize's
spacing step. Every case matches pangu exactly, except the deliberate differences listed
with their reasons in tests/cases/spacing.json (which must still differ: the list stays
exact). The score per pangu test category is printed with ``-s``."""

from __future__ import annotations

import collections
import json
from typing import Any

import pytest

from bilingual import normalize
from conftest import case_data, conformance

SPACING_ONLY = {"repair": False, "width": False, "punctuation": False, "quotes": "keep"}
DIFFERENCES = case_data("spacing")


@pytest.fixture(scope="module")
def pangu_cases() -> list[dict[str, Any]]:
    cases = json.loads(conformance("pangu_cases.json").read_text(encoding="utf-8"))
    return [c for c in cases if c["function"] == "spacing_text"]


def test_pangu_suite(pangu_cases: list[dict[str, Any]]) -> None:
    listed = {(d["test"], d["input"]): d["reason"] for d in DIFFERENCES["pangu_differences"]}
    assert set(listed.values()) <= set(DIFFERENCES["reasons"])
    score: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    unexpected, no_longer = [], []
    for case in pangu_cases:
        key = (case["test"], case["input"])
        same = normalize(case["input"], **SPACING_ONLY) == case["expected"]
        score[case["test"]][0] += same
        score[case["test"]][1] += 1
        if not same and key not in listed:
            unexpected.append(key)
        if same and key in listed:
            no_longer.append(key)
    for test, (ok, total) in sorted(score.items()):
        print(f"{test}: {ok}/{total}")
    assert unexpected == []  # a difference that is not deliberate
    assert no_longer == []  # a listed difference that is gone: update the list
    passed = sum(ok for ok, _ in score.values())
    assert passed + len(listed) == len(pangu_cases) == 508


@pytest.mark.parametrize(
    "reason", ["dash", "slash", "tilde", "ellipsis", "curly", "punct", "brackets", "quotes"]
)
def test_deliberate_differences_keep_the_mark_tight(reason: str) -> None:
    """Where we differ on purpose, we add no space on the CJK side of the mark pangu spaces
    (a hyphen, slash, tilde, ellipsis, Chinese quote, ASCII mark after Chinese, or the
    brackets and quotes around Chinese)."""
    marks = {
        "dash": "-",
        "slash": "/",
        "tilde": "~",
        "ellipsis": "…",
        "curly": "“”",
        "punct": ",.;:!?",
        "brackets": "()[]{}<>",
        "quotes": '"',
    }[reason]
    cases = [d for d in DIFFERENCES["pangu_differences"] if d["reason"] == reason]
    assert cases
    for case in cases:
        out = normalize(case["input"], **SPACING_ONLY)
        for i, ch in enumerate(out):
            if ch not in marks:
                continue
            before, after = out[i - 1 : i], out[i + 1 : i + 2]
            assert not (before == " " and "\u4e00" <= out[i - 2 : i - 1] <= "\u9fff"), out
            assert not (after == " " and "\u4e00" <= out[i + 2 : i + 3] <= "\u9fff"), out


def test_pangu_default_normalize_is_the_chinese_form() -> None:
    """With every step on, the ASCII marks pangu spaces after Chinese become full width."""
    out = normalize("前面,後面;前面(中文123漢字)後面")
    assert out == "前面，後面；前面（中文 123 漢字）後面"
