from __future__ import annotations

import codecs
import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual import DecodeError, apply_changes, decode, repair
from bilingual.text.repair import RepairOptions, repair_and_explain
from conftest import case_data, load_cases

SENTENCES = case_data("repair")["sentences"]


@pytest.mark.parametrize("case", load_cases("repair"))
def test_case(case: dict) -> None:
    assert repair(case["input"]) == case["expected"]


def _han(text: str) -> list[str]:
    return [ch for ch in text if "\u3400" <= ch <= "\u9fff"]


def _is_subsequence(part: str, whole: str) -> bool:
    it = iter(whole)
    return all(ch in it for ch in part)


@pytest.mark.parametrize("chain", load_cases("repair", "mojibake"))
@pytest.mark.parametrize("context", ["{}", "Report: {} today."])
def test_mojibake(chain: dict, context: str) -> None:
    recovered = total = 0
    for sentence in SENTENCES:
        try:
            data = sentence.encode(chain["encoded_as"])
        except UnicodeEncodeError:
            continue  # a Simplified-only character has no Big5 form
        broken = context.format(data.decode(chain["read_as"], errors="replace"))
        assert broken != context.format(sentence)
        fixed = repair(broken)
        if chain["expect"] == "exact":
            assert fixed == context.format(sentence)
            continue
        # Partial: what comes back is right and in order; lost characters are U+FFFD and
        # fragments too damaged to decode stay as they were.
        prefix, suffix = context.split("{}")
        assert fixed.startswith(prefix) and fixed.endswith(suffix)
        body = fixed[len(prefix) : len(fixed) - len(suffix)]
        leftover = set(broken) - set(sentence) | {"\ufffd"}
        restored = "".join(ch for ch in body if ch not in leftover)
        assert _is_subsequence(restored, sentence), body
        recovered += len(_han(restored))
        total += len(_han(sentence))
    if chain["expect"] == "partial":
        assert recovered / total >= chain["min_recovered"]


@pytest.mark.parametrize("sentence", SENTENCES[:3])
@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"]
)
def test_decode_chinese_bytes(sentence: str, encoding: str) -> None:
    text = f"GEM and AE: {sentence}\n"
    decoded, _ = decode(text.encode(encoding))
    assert decoded == text


@pytest.mark.parametrize(
    "sentence", ["動力電池回收市場持續擴張，台灣業者積極布局。", "廢舊電池拆解"]
)
def test_decode_big5_not_mistaken_for_gbk(sentence: str) -> None:
    decoded, encoding = decode(sentence.encode("big5"))
    assert decoded == sentence
    assert encoding == "big5"


def test_decode_utf32_bom() -> None:
    data = codecs.BOM_UTF32_LE + "镍铁 NPI".encode("utf-32-le")
    assert decode(data)[0] == "镍铁 NPI"


def test_decode_latin1_european_text() -> None:
    text = "Le marché européen du recyclage des batteries progresse très vite."
    assert decode(text.encode("cp1252"))[0] == text


@pytest.mark.parametrize(
    "data", [b"\x7fELF\x02\x01\x01\x00\x00\x00\x00", bytes(range(256)) * 4, b"PK\x03\x04\x14\x00"]
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError, match=r"binary|not text"):
        decode(data)


def test_repair_bytes_then_text() -> None:
    assert repair("GEM&amp;AE：镍".encode("gb18030")) == "GEM&AE：镍"


def test_explain_replays() -> None:
    broken = "Report:\u00a0" + "汽车进口3.0万辆".encode().decode("gbk", "replace") + "&amp;\u200b"
    fixed, changes = repair_and_explain(broken)
    assert {c.stage for c in changes} == {"repair"}
    assert apply_changes(broken, changes) == fixed == repair(broken)


def test_options_turn_steps_off() -> None:
    broken = "姹借溅杩涘彛 &amp;\u200b"
    assert repair(broken, RepairOptions(mojibake=False, ftfy=False, invisible=False)) == broken
    assert repair(broken, RepairOptions(mojibake=False)).startswith("姹借溅")
    assert repair(broken, RepairOptions(ftfy=False)) == "汽车进口 &amp;"


# --- lossy UTF-8 on real-shaped news sentences -----------------------------------------

NEWS = case_data("repair")["news"]


def _matched(text: str, original: str) -> set[int]:
    """Positions of ``text`` that line up with ``original`` (difflib's longest matching
    blocks): the characters that are right and in order."""
    blocks = difflib.SequenceMatcher(None, text, original, autojunk=False).get_matching_blocks()
    return {i for b in blocks for i in range(b.a, b.a + b.size)}


def _recovery(codec: str) -> tuple[float, float, int]:
    """(share of characters back, the same for the garbled text, characters invented)."""
    back = garbled_back = total = invented = 0
    for sentence in NEWS:
        garbled = sentence.encode("utf-8").decode(codec, errors="replace")
        fixed = repair(garbled)
        matched = _matched(fixed, sentence)
        back += len(matched)
        garbled_back += len(_matched(garbled, sentence))
        total += len(sentence)
        # A character that is neither right, nor U+FFFD, nor left from the garbled text
        # was guessed wrong.
        invented += sum(
            1
            for i, ch in enumerate(fixed)
            if i not in matched and ch != "\ufffd" and ch not in garbled
        )
    return back / total, garbled_back / total, invented


@pytest.mark.parametrize(("codec", "target"), [("gbk", 0.85), ("gb18030", 0.90)])
def test_lossy_utf8_recovery_on_news(codec: str, target: float) -> None:
    """The issue's targets; each U+FFFD is one lost byte, decoding goes on after it."""
    recovered, _, invented = _recovery(codec)
    assert recovered >= target
    assert invented <= 0.005 * sum(len(s) for s in NEWS)  # guesses are right


def test_lossy_utf8_read_as_big5_is_never_worse() -> None:
    """Big5 refuses most bytes of UTF-8 Chinese: what the bytes allow comes back."""
    recovered, garbled, invented = _recovery("big5")
    assert recovered >= garbled + 0.05
    for sentence in NEWS:
        garbled_text = sentence.encode("utf-8").decode("big5", errors="replace")
        fixed = repair(garbled_text)
        assert len(_matched(fixed, sentence)) >= len(_matched(garbled_text, sentence))
    assert invented <= 0.02 * sum(len(s) for s in NEWS)


# Clean text: news sentences cut anywhere, rare but real hanzi, figures, English, marks.
_CLEAN_PIECES = [
    *(s[i : i + 7] for s in NEWS[:20] for i in range(0, len(s), 7)),
    *"鎏犇骉龘靐齉丨乂亍囗夬彧",
    "㐀㐁",
    "GEM",
    " black mass ",
    "3.0",
    "476,000",
    "，",
    "。",
    "“",
    "”",
    "（",
    "）",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CLEAN_PIECES), max_size=30).map("".join))
def test_clean_chinese_is_never_changed(text: str) -> None:
    assert repair(text) == text


# ftfy is skipped on lines it cannot change: that must be exactly ftfy's result.
_FTFY_PIECES = [*"abc &;<>\r\n\t数据，。“”…—", "Ã", "©", "Ã©", "\x85", "\u2028", "ﬁ", "\ufeff"]
_FTFY_PIECES += ["\x1b[31m", "&amp;", "\x00", "é", "\u0301", "æ±½è½¦", "汽车进口"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FTFY_PIECES), max_size=40).map("".join))
def test_ftfy_fast_path_is_ftfy(text: str) -> None:
    import ftfy

    from bilingual.text.repair import _FTFY_CONFIG, _fix_text

    assert _fix_text(text) == ftfy.fix_text(text, _FTFY_CONFIG)
