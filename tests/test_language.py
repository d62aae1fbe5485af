"""Language identification beyond Chinese and English: other Latin-script languages are not
called English (tests/cases/language_other.json), and lingua's own test data for zh, en, ja
and ko (../shared/conformance/langid_cases.jsonl) is labelled right, except the listed
deviations (tests/cases/language_conformance.json), each with its reason."""

from __future__ import annotations

import collections
import json
from typing import Any

import pytest

from bilingual import detect_language, segment
from bilingual.text.latin import LATIN_LANGS, latin_language
from conftest import case_data, conformance

OTHER = case_data("language_other")["cases"]
DEVIATIONS = case_data("language_conformance")

# --- other Latin-script languages ------------------------------------------------------------


def _rates(kind: str) -> tuple[float, float, float]:
    """(other languages called en, other languages called und, English kept en)."""
    other = [c for c in OTHER if c["kind"] == kind and c["lang"] != "en"]
    english = [c for c in OTHER if c["kind"] == kind and c["lang"] == "en"]
    labels = [detect_language(c["text"]) for c in other]
    kept = sum(detect_language(c["text"]) == "en" for c in english)
    return labels.count("en") / len(other), labels.count("und") / len(other), kept / len(english)


@pytest.mark.parametrize(("kind", "target"), [("sentence", 0.02), ("word", 0.10), ("pair", 0.10)])
def test_other_languages_are_not_called_english(kind: str, target: float) -> None:
    called_en, called_und, english_kept = _rates(kind)
    assert called_en <= target
    assert called_und <= 0.05  # und is for no evidence either way, not a way out
    assert english_kept >= 0.9


def test_other_language_sentences_get_their_language() -> None:
    sentences = [c for c in OTHER if c["kind"] == "sentence" and c["lang"] != "en"]
    right = sum(detect_language(c["text"]) == c["lang"] for c in sentences)
    assert right / len(sentences) >= 0.9
    assert {c["lang"] for c in sentences} <= set(LATIN_LANGS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rechnet", "de"),
        ("sollte keine", "de"),
        ("Jetzt sah alles gut aus.", "de"),
        ("Umuulan na naman ngayong araw.", "tl"),
        ("GEM signs MoU with AE", "en"),
        ("black mass", "en"),
        ("CATL", "en"),
        ("40 GWh", "en"),
        ("Die-casting giant expands capacity", "en"),
        ("Tesla cuts Model Y prices", "en"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_und_when_there_is_no_evidence() -> None:
    """Words that neither the English word list nor lingua can say anything about (lingua
    scores nothing under three letters); text without letters."""
    assert latin_language("zq") == "und"
    assert latin_language("zq xj") == "und"
    assert detect_language("2025-09-28 15:36") == "und"


def test_names_in_chinese_never_reach_a_detector() -> None:
    runs = segment("格林美与Ascend Elements签署协议。", "run")
    assert [(r.text, r.lang, r.name) for r in runs if r.name] == [("Ascend Elements", "en", True)]


# --- lingua's test data ----------------------------------------------------------------------

_EXPECTED = {"CHINESE": "zh", "ENGLISH": "en", "JAPANESE": "ja", "KOREAN": "ko"}


@pytest.fixture(scope="module")
def testdata() -> list[dict[str, Any]]:
    lines = conformance("langid_cases.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    return [c for c in cases if c["kind"].startswith("testdata_")]


def _right(case: dict[str, Any], label: str) -> bool:
    expected = _EXPECTED[case["expected_language"]]
    return label.startswith("zh") if expected == "zh" else label == expected


def test_lingua_testdata(testdata: list[dict[str, Any]]) -> None:
    listed = {d["label"]: d["reason"] for d in DEVIATIONS["deviations"]}
    assert set(listed.values()) <= set(DEVIATIONS["reasons"])
    score: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    unexpected = []
    for case in testdata:
        right = _right(case, detect_language(case["text"]))
        key = (case["kind"].removeprefix("testdata_"), _EXPECTED[case["expected_language"]])
        score[key][0] += right
        score[key][1] += 1
        if not right and case["src"] not in listed:
            unexpected.append((case["src"], case["text"]))
    for (kind, lang), (ok, total) in sorted(score.items()):
        print(f"{kind} {lang}: {ok}/{total}")
    assert unexpected == []
    for lang in ("zh", "ja", "ko"):  # scripts decide these: all right but one non-Korean line
        ok = sum(score[(kind, lang)][0] for kind in ("sentences", "single_words", "word_pairs"))
        total = sum(score[(kind, lang)][1] for kind in ("sentences", "single_words", "word_pairs"))
        assert total - ok <= 1
    assert score[("sentences", "en")][0] / score[("sentences", "en")][1] >= 0.99
    assert score[("single_words", "en")][0] / score[("single_words", "en")][1] >= 0.9
    assert score[("word_pairs", "en")][0] / score[("word_pairs", "en")][1] >= 0.95
