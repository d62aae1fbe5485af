from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bilingual import ConfigError, NormalizeOptions, apply_changes, explain, normalize
from conftest import load_cases


@pytest.mark.parametrize("case", load_cases("normalize"))
def test_case(case: dict) -> None:
    assert normalize(case["input"], **case.get("options", {})) == case["expected"]


# Pieces of the text we meet: Chinese and English words, figures, both kinds of
# punctuation and quotes, URLs, e-mail, code, mojibake, odd spaces and line breaks.
TOKENS = [
    "汽车",
    "进口",
    "電動車",
    "万辆",
    "同比下降",
    "格林美",
    "の",
    "배터리",
    "GEM",
    "black mass",
    "SMM",
    "s",
    "the",
    "Ascend Elements",
    "3.0",
    "476,000",
    "32.4%",
    "10:30",
    "2025",
    "１２",
    "Ｔｅｓｌａ",
    ",",
    ";",
    ":",
    "?",
    "!",
    "(",
    ")",
    ".",
    "，",
    "；",
    "：",
    "？",
    "！",
    "（",
    "）",
    "。",
    "、",
    "“",
    "”",
    "‘",
    "’",
    '"',
    "'",
    "`code,x`",
    "[a](http://x.cn/a,b)",
    "https://news.metal.com/a?b=1",
    "service.en@smm.cn",
    "/usr/local/bin",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\u3000",
    "\u00a0",
    "\u200b",
    "\t",
    "姹借溅",
    "ÈýÔª",
    "&amp;",
]
mixed_text = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(mixed_text)
def test_idempotent_on_mixed_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
@example("×l`þ")  # the apostrophe step completed GBK-read-as-cp1252 mojibake
@example('""汽车""')  # straight quotes around curled ones
def test_idempotent_on_any_unicode(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(mixed_text, st.sampled_from([None, "t2s", "s2twp"]))
def test_explain_replays_to_the_output(text: str, script: str | None) -> None:
    out, changes = explain(text, script=script)
    assert out == normalize(text, script=script)
    assert apply_changes(text, changes) == out


def test_explain_names_stages_and_reasons() -> None:
    text = "SMM‘s 数据显示,进口3.0万辆 電池"
    out, changes = explain(text, script="t2s")
    assert out == "SMM’s 数据显示，进口 3.0 万辆 电池"
    stages = [c.stage for c in changes]
    assert stages == sorted(stages, key=["script", "punctuation", "quotes", "spacing"].index)
    assert any(c.before == "," and c.after == "，" for c in changes)


def test_options_object_and_keywords_agree() -> None:
    text = "电动车进口3.0万辆"
    options = NormalizeOptions(script="s2t", spacing=False)
    assert normalize(text, options) == normalize(text, script="s2t", spacing=False)
    assert normalize(text, options) == "電動車進口3.0萬輛"


def test_bad_options() -> None:
    with pytest.raises(TypeError, match="unknown option"):
        normalize("x", widht=False)
    with pytest.raises(ConfigError, match="quotes"):
        normalize("x", quotes="curly")
    with pytest.raises(ConfigError, match=r"option 'script' must be one of .*t2s"):
        normalize("電池", script="t2x")
    with pytest.raises(ConfigError, match=r"missing\.tsv"):
        normalize("電池", script="t2s", overrides="missing.tsv")


def test_bytes_are_decoded() -> None:
    assert normalize("数据显示,进口".encode("gb18030")) == "数据显示，进口"


def test_seed_page(seed_text: str) -> None:
    out = normalize(seed_text)
    assert "SMM’s internal database" in out
    assert "数据显示，2025 年 12 月，汽车整车进口 3.0 万辆，环比下降 30.4%" in out
    # English prose is left alone, apart from the apostrophe.
    assert "to obtainthe latest data analysis" in out
    assert "please contact:service.en@smm.cn" in out
    assert out.count("\n") == seed_text.count("\n")
