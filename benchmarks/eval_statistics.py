"""Quality of the statistics engine on tests/cases/statistics_dev.json.

Reports: the share of sentences fully translated (no Chinese left), the share of numbers
exact in what it translates (the number guard on every fully translated sentence: must be
100%), chrF against the references (sacrebleu) on all sentences and on the fully
translated ones, and ten example outputs.

    python benchmarks/eval_statistics.py [--examples 10]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sacrebleu.metrics import CHRF

import bilingual
from bilingual.numbers import guard, quantities

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases" / "statistics_dev.json"
GLOSSARIES = ["automotive", "battery-recycling", "nickel-stainless", "organisations"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    glossary = bilingual.Glossary.load(*GLOSSARIES)
    results = bilingual.translate([c["zh"] for c in cases], engine="statistics", glossary=glossary)
    full = [
        (c, r)
        for c, r in zip(cases, results, strict=True)
        if not any(i.kind == "untranslated" for i in r.issues)
    ]
    numbers = sum(sum(quantities(c["zh"], "zh").values()) for c, _ in full)
    wrong = sum(len(guard(c["zh"], "zh", r.text, "en")) for c, r in full)
    chrf = CHRF()
    all_score = chrf.corpus_score([r.text for r in results], [[c["en"] for c in cases]]).score
    full_score = chrf.corpus_score([r.text for _, r in full], [[c["en"] for c, _ in full]]).score
    by_source: dict[str, list[int]] = {}
    for c, r in zip(cases, results, strict=True):
        done = not any(i.kind == "untranslated" for i in r.issues)
        by_source.setdefault(c["source"].split(":")[0], []).append(done)
    print(f"sentences: {len(cases)}; fully translated: {len(full)} ({len(full) / len(cases):.1%})")
    for source, flags in by_source.items():
        print(f"  {source:10} {sum(flags)}/{len(flags)} fully translated")
    print(
        f"numbers in fully translated sentences: {numbers}; guard differences: {wrong} "
        f"(exact: {(numbers - wrong) / numbers:.1%})"
    )
    print(f"chrF, all sentences: {all_score:.1f}; fully translated only: {full_score:.1f}")
    print(f"mean coverage: {sum(r.coverage for r in results) / len(results):.1%}")
    print("examples:")
    step = max(1, len(cases) // args.examples)
    for c, r in list(zip(cases, results, strict=True))[::step][: args.examples]:
        print(f"  zh:  {c['zh']}\n  out: {r.text}\n  ref: {c['en']}\n")


if __name__ == "__main__":
    main()
