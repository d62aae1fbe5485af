from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual import ConfigError, Segment, detect_language, iter_segments, segment
from bilingual.text.segment import LEVELS
from conftest import load_cases


def _check_lossless(text: str, segments: list[Segment]) -> None:
    assert "".join(s.text for s in segments) == text
    pos = 0
    for s in segments:
        assert s.start == pos and text[s.start : s.end] == s.text
        pos = s.end
    assert pos == len(text)


@pytest.mark.parametrize("level", LEVELS)
def test_cases(level: str) -> None:
    for param in load_cases("segment", level):
        case = param.values[0]
        segments = segment(case["text"], level)
        _check_lossless(case["text"], segments)
        assert [s.text for s in segments] == case["expected"], case["label"]
        if "langs" in case:
            assert [s.lang for s in segments] == case["langs"], case["label"]
        if "names" in case:
            assert [s.name for s in segments] == case["names"], case["label"]


@pytest.mark.parametrize("case", load_cases("language"))
def test_detect_language(case: dict) -> None:
    label = detect_language(case["text"])
    if case["expected"] == "zh-*":
        assert label in ("zh", "zh-Hans", "zh-Hant")
    else:
        assert label == case["expected"]


TOKENS = [
    "汽车",
    "进口",
    "電動車",
    "万辆",
    "格林美",
    "の",
    "東京",
    "배터리",
    "Ü",
    "б",
    "GEM",
    "black mass",
    "U.S.",
    "Jan.",
    "No.",
    "Inc.",
    "J.",
    "The",
    "it rose",
    "3.0",
    "476,000",
    "32.4%",
    "2025",
    ".",
    "!",
    "?",
    "。",
    "！",
    "？",
    "；",
    "…",
    "...",
    "“",
    "”",
    "(",
    ")",
    "）",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\u3000",
    "\ud800",
    "\x00",
]
mixed_text = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(mixed_text, st.sampled_from(LEVELS))
def test_lossless_on_mixed_text(text: str, level: str) -> None:
    _check_lossless(text, segment(text, level))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.sampled_from(LEVELS))
def test_lossless_on_any_unicode(text: str, level: str) -> None:
    _check_lossless(text, segment(text, level))


@settings(max_examples=200, deadline=None)
@given(mixed_text, st.sampled_from(LEVELS))
def test_streaming_equals_whole_text(text: str, level: str) -> None:
    lines = text.splitlines(keepends=True)
    assert list(iter_segments(lines, level)) == segment(text, level)


@settings(max_examples=100, deadline=None)
@given(mixed_text)
def test_levels_nest(text: str) -> None:
    """Every sentence lies inside one paragraph, every run inside one sentence."""
    for outer, inner in (("paragraph", "sentence"), ("sentence", "run")):
        bounds = {s.end for s in segment(text, outer)}
        ends = {s.end for s in segment(text, inner)}
        assert bounds <= ends


def test_mixed_share() -> None:
    # 9 Han characters against two acronyms, which weigh one each (a Latin word weighs two).
    sentence = segment("据SMM调研，NEV销量同比增长。")[0]
    assert sentence.lang == "zh-Hans"
    assert sentence.mixed == round(2 / 11, 3)
    english = segment("The GEM deal, 格林美, is done.")[0]
    assert english.lang == "en"
    assert english.mixed == round(3 / (3 + 2 * 4 + 1), 3)
    assert segment("纯中文句子。")[0].mixed == 0.0


def test_to_dict_has_every_field() -> None:
    for level in LEVELS:
        for piece in segment("Nickel rose. 镍价上涨，LME库存下降。", level):
            assert piece.to_dict() == dataclasses.asdict(piece)


@pytest.mark.parametrize(
    "text", ["", "   ", "\n\n\n", "3.0 / 32.4%", "\x00\x01\x1b", "\ud800\udfff\ud800", "…。！"]
)
def test_odd_input_is_still_lossless(text: str) -> None:
    for level in LEVELS:
        segments = segment(text, level)
        _check_lossless(text, segments)
        assert all(s.lang == "und" for s in segments)


def test_ten_megabytes_on_one_line() -> None:
    text = "GEM与AE签署协议，进口3.0万辆。The deal is done. " * 170_000
    assert len(text.encode()) > 10_000_000
    for level in ("paragraph", "sentence"):
        segments = segment(text, level)
        _check_lossless(text, segments)
    assert len(segments) == 340_000


def test_langdetect_is_seeded_and_local() -> None:
    import langdetect

    text = "Der Markt für Batterierecycling wächst in Europa sehr schnell."
    assert {detect_language(text) for _ in range(5)} == {"de"}
    assert langdetect.DetectorFactory.seed is None  # we never touch its global


def test_unknown_level() -> None:
    with pytest.raises(ConfigError, match="level must be one of"):
        segment("x", "word")  # type: ignore[arg-type]


@pytest.mark.parametrize("level", LEVELS)
def test_seed_page(seed_text: str, level: str) -> None:
    segments = segment(seed_text, level)
    _check_lossless(seed_text, segments)
    caam = [s for s in segments if "海关总署" in s.text]
    assert caam and all(s.lang == "zh-Hans" for s in caam)
    if level == "paragraph":
        headline = "CAAM: In 2025, 476,000 complete vehicles were imported, down 32.4% YoY.\n"
        assert sum(s.text == headline for s in segments) == 4
