"""Precision and recall of bilingual.dedupe per kind, on cases we can defend.

- cross-lingual: HSK sentence pairs (the hsk-sentences-audio package: 4,354 Chinese
  sentences with English translations) as positives, the same Chinese with another pair's
  English as negatives; and statistics sentences with our reference English (figures).
- near: paraphrase-free variants (dates rewritten, U.S./US, punctuation, a word added).
- paraphrase: tests/cases/paraphrase.json (written by us; same figures, other words), and
  the statistics engine's English against the dev set's reference English (two renderings
  of one statistic), with the reference of another case with the same figures removed.
- exact: repeated headlines in other case and spacing.
- figures-differ: statistics sentences with one figure changed: must never be merged.

    python benchmarks/eval_dedupe.py [--pairs 500]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from hsk_sentences_audio import load_sentences

from bilingual import dedupe

ROOT = Path(__file__).resolve().parent.parent


def found(a: str, b: str, kind: str) -> bool:
    return any(d.kind == kind for d in dedupe([a, b], level="document").duplicates)


def report(
    name: str, positives: list[tuple[str, str]], negatives: list[tuple[str, str]], kind: str
) -> None:
    tp = sum(found(a, b, kind) for a, b in positives)
    fp = sum(found(a, b, kind) for a, b in negatives)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / len(positives) if positives else 1.0
    print(
        f"{name:34} positives {len(positives):4}  negatives {len(negatives):4}  "
        f"precision {precision:6.1%}  recall {recall:6.1%}  (false merges {fp})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(0)

    hsk = rng.sample(load_sentences(), args.pairs)
    pairs = [(s["chinese"], s["translation"]["en"]) for s in hsk]
    shuffled = [(zh, pairs[(i + 1) % len(pairs)][1]) for i, (zh, _) in enumerate(pairs)]
    report("cross-lingual, HSK (no figures)", pairs, shuffled, "cross-lingual")

    dev = json.loads((ROOT / "tests" / "cases" / "statistics_dev.json").read_text("utf-8"))
    stats = [(c["zh"], c["en"]) for c in dev["cases"] if re.search(r"\d", c["zh"])]
    swapped = [(zh, stats[(i + 7) % len(stats)][1]) for i, (zh, _) in enumerate(stats)]
    report("cross-lingual, statistics (figures)", stats, swapped, "cross-lingual")

    def vary(text: str) -> str:
        return re.sub(r"(?<!\d),", " ,", text.replace("U.S.", "US")).rstrip(".") + " today."

    english = [en for _, en in stats] + [
        s["translation"]["en"] for s in hsk if len(s["translation"]["en"].split()) >= 8
    ]
    near_pos = [(e, vary(e)) for e in english]
    near_neg = [(e, english[(i + 3) % len(english)]) for i, e in enumerate(english)]
    report("near (variants of one text)", near_pos, near_neg, "near")

    cases = json.loads((ROOT / "tests" / "cases" / "paraphrase.json").read_text("utf-8"))
    para_pos = [(c["a"], c["b"]) for c in cases["cases"] if c["same"]]
    para_neg = [(c["a"], c["b"]) for c in cases["cases"] if not c["same"]]
    report("paraphrase (case file)", para_pos, para_neg, "near")
    from bilingual import Glossary, translate

    glossary = Glossary.load("automotive", "battery-recycling", "nickel-stainless", "organisations")
    rendered = [
        (t.text, en)
        for t, (_, en) in zip(
            translate([zh for zh, _ in stats], engine="statistics", glossary=glossary, memory=None),
            stats,
            strict=True,
        )
        if t.coverage == 1.0 and t.text.casefold() != en.casefold()
    ]
    report("paraphrase (engine vs reference)", rendered, [], "near")

    exact_pos = [(e, e.upper().replace(" ", "  ")) for e in english[:200]]
    report("exact (case, spacing)", exact_pos, near_neg[:200], "exact")

    def change_figure(text: str) -> str:
        return re.sub(r"\d+(\.\d+)?", lambda m: str(float(m.group()) + 1.1), text, count=1)

    differ = [(zh, change_figure(zh)) for zh, _ in stats] + [
        (en, change_figure(en)) for _, en in stats
    ]
    merged = sum(bool(dedupe([a, b], level="document").duplicates) for a, b in differ)
    print(f"{'figures differ (must never merge)':34} pairs {len(differ):4}  merged {merged}")


if __name__ == "__main__":
    main()
