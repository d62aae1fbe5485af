"""Accuracy of bilingual.detect_language against langdetect, on three sets.

1. The groups of tests/cases/language.json.
2. Other Latin-script languages (tests/cases/language_other.json): how many of their
   sentences, words and pairs come back ``en`` (targets: at most 2%, 10%, 10%), ``und``,
   or their own language, and how many of the English ones stay ``en``.
3. lingua's test data for zh, en, ja, ko (../shared/conformance/langid_cases.jsonl, when it
   is beside the checkout), per kind.

langdetect runs with a fixed seed; its zh-cn/zh-tw are mapped to zh-Hans/zh-Hant. A case
expecting "zh-*" accepts any Chinese label.

    python benchmarks/eval_language.py
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException

from bilingual import detect_language

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "language.json"
OTHER = ROOT / "tests" / "cases" / "language_other.json"
TESTDATA = ROOT.parent / "shared" / "conformance" / "langid_cases.jsonl"
EXPECTED = {"CHINESE": "zh-*", "ENGLISH": "en", "JAPANESE": "ja", "KOREAN": "ko"}


def langdetect_label(text: str) -> str:
    DetectorFactory.seed = 0  # a benchmark script may set langdetect's global; we never do
    try:
        code = detect(text)
    except LangDetectException:
        return "und"
    return {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(code, code)


def correct(label: str, expected: str) -> bool:
    return label in ("zh", "zh-Hans", "zh-Hant") if expected == "zh-*" else label == expected


def main() -> None:
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    ours: dict[str, list[bool]] = defaultdict(list)
    theirs: dict[str, list[bool]] = defaultdict(list)
    for case in cases:
        ours[case["group"]].append(correct(detect_language(case["text"]), case["expected"]))
        theirs[case["group"]].append(correct(langdetect_label(case["text"]), case["expected"]))
    print(f"{'group':30} {'cases':>5} {'bilingual':>10} {'langdetect':>10}")
    for group in ours:
        n = len(ours[group])
        print(f"{group:30} {n:5} {sum(ours[group]) / n:10.1%} {sum(theirs[group]) / n:10.1%}")
    n = len(cases)
    all_ours = sum(sum(v) for v in ours.values()) / n
    all_theirs = sum(sum(v) for v in theirs.values()) / n
    print(f"{'all':30} {n:5} {all_ours:10.1%} {all_theirs:10.1%}")
    other_languages()
    if TESTDATA.exists():
        testdata()


def other_languages() -> None:
    cases = json.loads(OTHER.read_text(encoding="utf-8"))["cases"]
    header = f"{'cases':>5} {'-> en':>7} {'-> und':>7} {'own':>7} {'langdetect -> en':>17}"
    print(f"\n{'other languages':18} {header}")
    for kind in ("sentence", "word", "pair"):
        other = [c for c in cases if c["kind"] == kind and c["lang"] != "en"]
        labels = [detect_language(c["text"]) for c in other]
        theirs = [langdetect_label(c["text"]) for c in other]
        own = sum(label == c["lang"] for label, c in zip(labels, other, strict=True))
        n = len(other)
        print(
            f"{kind:18} {n:5} {labels.count('en') / n:7.1%} {labels.count('und') / n:7.1%}"
            f" {own / n:7.1%} {theirs.count('en') / n:17.1%}"
        )
        english = [c for c in cases if c["kind"] == kind and c["lang"] == "en"]
        kept = sum(detect_language(c["text"]) == "en" for c in english) / len(english)
        print(f"{'  English kept en':18} {len(english):5} {kept:7.1%}")


def testdata() -> None:
    lines = TESTDATA.read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    ours: dict[str, list[bool]] = defaultdict(list)
    theirs: dict[str, list[bool]] = defaultdict(list)
    for case in cases:
        if not case["kind"].startswith("testdata_"):
            continue
        expected = EXPECTED[case["expected_language"]]
        group = f"{case['kind'].removeprefix('testdata_')} {expected}"
        ours[group].append(correct(detect_language(case["text"]), expected))
        theirs[group].append(correct(langdetect_label(case["text"]), expected))
    print(f"\n{'lingua test data':30} {'cases':>5} {'bilingual':>10} {'langdetect':>10}")
    for group in sorted(ours):
        n = len(ours[group])
        print(f"{group:30} {n:5} {sum(ours[group]) / n:10.1%} {sum(theirs[group]) / n:10.1%}")


if __name__ == "__main__":
    main()
