"""Accuracy of bilingual.detect_language against langdetect, per group of tests/cases/language.json.

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

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases" / "language.json"


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


if __name__ == "__main__":
    main()
