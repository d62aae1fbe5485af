"""The anchors' own suites (``../shared/conformance``): ftfy through ``repair``, OpenCC
through ``convert``. Where ``bilingual`` differs on purpose, the case is listed here with
its label and the reason; everything else must match the anchor exactly. (pangu's suite is
in tests/test_spacing_conformance.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from ftfy.fixes import fix_character_width, uncurl_quotes

from bilingual import convert, repair
from conftest import conformance

# --- ftfy ----------------------------------------------------------------------------------

_CURLY = (
    "curly quotes and apostrophes are kept: ftfy's default uncurl_quotes straightens them, "
    "which would turn Chinese “引号” into ASCII; normalize decides quotes by context"
)
_LIGATURE = "ftfy makes ŉ ʼn (as we do) and then straightens ʼ like a quote: " + _CURLY
_WIDTH = (
    "full-width forms are kept: ftfy's default fix_character_width makes ， a comma, "
    "wrong in Chinese; normalize decides the width of punctuation by context"
)
FTFY_DIFFERENCES = {
    "Latin-1 / Windows-1252 mixup in German": _CURLY,
    "UTF-8 / Windows-1252 mixed up twice in Malay": _CURLY,
    "Left quote is UTF-8, right quote is Latin-1, both encoded in Windows-1252": _CURLY,
    "UTF-8 / Windows-1252 mixed up three times": _CURLY,
    "UTF-8 / sloppy Windows-1250 mixup in English": _CURLY,
    "The same text as above, but as a UTF-8 / ISO-8859-2 mixup": _CURLY,
    "UTF-8 / Windows-1252 mixup in mixed French and Arabic": _CURLY,
    "Lossy decoding can have plain ASCII question marks, as well": _CURLY,
    "An absolutely hopeless garble": _CURLY,
    "Inconsistent UTF-8 / Latin-1 mojibake": _CURLY,
    "Inconsistent UTF-8 / Latin-1 mojibake with an ellipsis from the Windows-1252 character set": (
        _CURLY
    ),
    "Handle Afrikaans 'n character": _LIGATURE,
    "Handle Croatian single-codepoint digraphs": _CURLY,
    "Fix 'à' in inconsistent mojibake": _CURLY,
    "We can fix 'à' in windows-1251 sometimes as well": _CURLY,
    "UTF-8 / Windows-1251 mixup": _CURLY,
    "Wide comma in UTF-8 / Windows-1252": _WIDTH,
    "Synthetic, negative: Brontë's name does not end with a Korean syllable": _CURLY,
    "Synthetic: curly quotes with mismatched encoding glitches in Latin-1": _CURLY,
    "Synthetic: curly quotes with mismatched encoding glitches in Windows-1252": _CURLY,
    "Synthetic: lossy decoding in sloppy-windows-1252": _CURLY,
    "Synthetic, negative: Be careful around curly apostrophes": _CURLY,
    "Negative: Don't fix a multiplication symbol in quotes": _CURLY,
    "Negative: 'É' followed by a curly apostrophe": _CURLY,
    "Negative: 'é' preceded by curly apostrophe": _CURLY,
}


def _ftfy_cases() -> list[Any]:
    cases = json.loads(conformance("ftfy_cases.json").read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["label"]) for c in cases if c["expect"] == "pass"]


@pytest.fixture(scope="module")
def ftfy_cases() -> list[dict[str, Any]]:
    return [p.values[0] for p in _ftfy_cases()]


def test_ftfy_suite_score(ftfy_cases: list[dict[str, Any]]) -> None:
    """Every case ftfy passes, ``repair`` passes too, or differs only as listed."""
    assert len(ftfy_cases) == 151
    exact = {c["label"] for c in ftfy_cases if repair(c["original"]) == c["fixed"]}
    differing = {c["label"] for c in ftfy_cases} - exact
    assert differing == set(FTFY_DIFFERENCES)
    assert len(exact) + len(FTFY_DIFFERENCES) >= 150


@pytest.mark.parametrize("label", sorted(FTFY_DIFFERENCES))
def test_ftfy_deliberate_difference(label: str, ftfy_cases: list[dict[str, Any]]) -> None:
    """The listed cases differ from ftfy only by the two fixes left to normalize: with
    ftfy's own uncurl_quotes and fix_character_width applied, ours is ftfy's answer."""
    (case,) = [c for c in ftfy_cases if c["label"] == label]
    ours = repair(case["original"])
    assert ours != case["fixed"]
    assert uncurl_quotes(fix_character_width(ours)) == case["fixed"]


def test_ftfy_halibote_as_ftfy_prints_it() -> None:
    """ftfy's CLI case: a headline garbled twice (``ftfy halibote.txt``)."""
    data = conformance("ftfy_extra/halibote.txt").read_bytes()
    assert repair(data).strip() == "【更新】《哈利波特》石堧卜才新婚娶初戀今痠逝"
    cli = subprocess.run(
        [sys.executable, "-m", "bilingual", "normalize", "--no-spacing", "--no-punctuation"],
        input=data,
        capture_output=True,
        check=True,
    )
    assert cli.stdout.decode("utf-8").strip() == "【更新】《哈利波特》石堧卜才新婚娶初戀今痠逝"


# --- OpenCC --------------------------------------------------------------------------------


def _opencc_pairs(name: str) -> list[dict[str, str]]:
    lines = conformance(f"opencc_cases/{name}").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_opencc_suite_through_convert() -> None:
    pairs = _opencc_pairs("pairs.jsonl")
    assert len(pairs) == 543
    wrong = [p["id"] for p in pairs if convert(p["input"], p["config"]) != p["expected"]]
    assert wrong == []


def test_opencc_legacy_suite_through_convert() -> None:
    pairs = _opencc_pairs("legacy_ver.1.1.9/pairs.jsonl")
    assert len(pairs) == 51
    wrong = [
        (p["config"], p["input"])
        for p in pairs
        if convert(p["input"], p["config"]) != p["expected"]
    ]
    assert wrong == []
