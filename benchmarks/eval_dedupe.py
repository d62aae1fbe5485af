"""Precision and recall of bilingual.dedupe per kind, on cases we can defend.

- real-shaped pairs: tests/cases/dedupe_pairs.json (450 pairs written for the project in
  the shapes of republished Chinese news, site-suffixed headlines, English paraphrases and
  human translations, with negatives of each shape), per kind, for ours (defaults and
  --semantic), datasketch and rensa (MinHash on our shingles, 128 permutations, Jaccard at
  the same threshold); then every text of the file in one run (a link between two texts
  of different pairs is a false one).
- cross-lingual: HSK sentence pairs (the hsk-sentences-audio package: 4,354 Chinese
  sentences with English translations) as positives, the same Chinese with another pair's
  English as negatives; and statistics sentences with our reference English (figures).
- near: paraphrase-free variants (dates rewritten, U.S./US, punctuation, a word added).
- paraphrase: tests/cases/paraphrase.json (written by us; same figures, other words), and
  the statistics engine's English against the dev set's reference English (two renderings
  of one statistic), with the reference of another case with the same figures removed.
- exact: repeated headlines in other case and spacing.
- figures-differ: statistics sentences with one figure changed: must never be merged.

    python benchmarks/eval_dedupe.py [--pairs 500] [--no-semantic] [--only-real]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the encoder: one thread is fastest here

from bilingual import dedupe
from bilingual.dedupe.features import shingles

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")
THRESHOLD = 0.8

Decide = Callable[[str, str], str]
"""(a, b) → "merged", "reported" (figures differ) or "none"."""


def ours(**options: object) -> Decide:
    def decide(a: str, b: str) -> str:
        result = dedupe([a, b], level="document", **options)
        if result.removed:
            return "merged"
        return "reported" if any(d.kind == "figures-differ" for d in result.duplicates) else "none"

    return decide


def datasketch_pair(a: str, b: str) -> str:
    from datasketch import MinHash

    signatures = []
    for text in (a, b):
        m = MinHash(num_perm=128)
        m.update_batch([s.encode() for s in shingles(text)])
        signatures.append(m)
    return "merged" if signatures[0].jaccard(signatures[1]) >= THRESHOLD else "none"


def rensa_pair(a: str, b: str) -> str:
    from rensa import RMinHash

    signatures = []
    for text in (a, b):
        m = RMinHash(128, 42)
        m.update(list(shingles(text)))
        signatures.append(m)
    return "merged" if signatures[0].jaccard(signatures[1]) >= THRESHOLD else "none"


def pair_kind(a: str, b: str) -> str:
    la, lb = ("zh" if HAN.search(t) else "en" for t in (a, b))
    return la + "-" + lb if la == lb else "zh-en"


def real_pairs(semantic: bool, normalized: bool = False) -> None:
    cases = json.loads((ROOT / "tests" / "cases" / "dedupe_pairs.json").read_text("utf-8"))
    cases = cases["cases"]
    if normalized:  # as `bilingual run` sees them: spaced, punctuation by context
        from bilingual import normalize

        cases = [c | {"a": normalize(c["a"]), "b": normalize(c["b"])} for c in cases]
    methods: dict[str, Decide] = {"ours": ours()}
    if semantic:
        methods["ours --semantic"] = ours(semantic=True)
    methods |= {"datasketch": datasketch_pair, "rensa": rensa_pair}
    outcome = {name: [decide(c["a"], c["b"]) for c in cases] for name, decide in methods.items()}
    kinds = sorted({c["kind"] for c in cases}, key=lambda k: (k.startswith(("neg", "fig")), k))
    print(
        f"\nReal-shaped pairs (tests/cases/dedupe_pairs.json{', normalized' if normalized else ''})"
        f", threshold {THRESHOLD}"
    )
    print(f"{'kind':30} {'n':>4}  " + "  ".join(f"{name:>16}" for name in methods))
    for kind in kinds:
        idx = [i for i, c in enumerate(cases) if c["kind"] == kind]
        same = cases[idx[0]]["same"]
        cells = []
        for name in methods:
            merged = sum(outcome[name][i] == "merged" for i in idx)
            reported = sum(outcome[name][i] == "reported" for i in idx)
            cell = f"R {merged / len(idx):.2f}" if same else f"false {merged:2}"
            if kind == "figures-differ":
                cell += f" rep {reported}"
            cells.append(f"{cell:>16}")
        print(f"{kind:30} {len(idx):4}  " + "  ".join(cells))
    print("precision / recall by language pair:")
    for group in ("zh-zh", "en-en", "zh-en", "all"):
        idx = [i for i, c in enumerate(cases) if group in ("all", pair_kind(c["a"], c["b"]))]
        cells = []
        for name in methods:
            merged = [i for i in idx if outcome[name][i] == "merged"]
            tp = sum(cases[i]["same"] for i in merged)
            positives = sum(cases[i]["same"] for i in idx)
            precision = tp / len(merged) if merged else 1.0
            cells.append(f"{f'P {precision:.3f} R {tp / positives:.3f}':>16}")
        print(f"{group:30} {len(idx):4}  " + "  ".join(cells))
    for name in methods:
        wrong = [c for i, c in enumerate(cases) if outcome[name][i] == "merged" and not c["same"]]
        for c in wrong[:12]:
            print(f"  {name}: false merge [{c['kind']}] {c['a'][:40]} || {c['b'][:50]}")


def real_pool(semantic: bool) -> None:
    """Every text of the file in one run, the links between texts of different pairs
    listed to be read: the file tells the same news in several pairs (a headline pair and
    a translation pair of one release), so most of them are right, and only a reader can
    tell."""
    cases = json.loads((ROOT / "tests" / "cases" / "dedupe_pairs.json").read_text("utf-8"))
    texts: list[str] = []
    for c in cases["cases"]:
        texts += [t for t in (c["a"], c["b"]) if t not in texts]
    same = {frozenset((c["a"], c["b"])) for c in cases["cases"] if c["same"]}
    group: dict[str, int] = {t: i for i, t in enumerate(texts)}
    for c in cases["cases"]:  # transitive: a text in two positive pairs links them
        if c["same"]:
            old, new = group[c["b"]], group[c["a"]]
            group = {t: new if g == old else g for t, g in group.items()}
    result = dedupe(texts, level="document", semantic=semantic)
    links = [d for d in result.duplicates if not d.kept]
    inside = sum(group[texts[d.index]] == group[texts[d.of]] for d in links)
    print(
        f"\nAll {len(texts)} texts in one run{' (--semantic)' if semantic else ''}: "
        f"{len(links)} merged: {inside} inside labelled pairs (of {len(same)}), "
        f"{len(links) - inside} across pairs (to read):"
    )
    for d in links:
        if group[texts[d.index]] != group[texts[d.of]]:
            print(f"  {texts[d.of][:45]} || {texts[d.index][:55]}")


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
    parser.add_argument("--no-semantic", action="store_true", help="skip --semantic")
    parser.add_argument("--only-real", action="store_true", help="only the real-shaped pairs")
    parser.add_argument("--pool", action="store_true", help="also all real texts in one run")
    parser.add_argument("--normalized", action="store_true", help="pairs after normalize")
    args = parser.parse_args()
    rng = random.Random(0)
    real_pairs(not args.no_semantic, args.normalized)
    if args.pool:
        real_pool(False)
        if not args.no_semantic:
            real_pool(True)
    if args.only_real:
        return
    from hsk_sentences_audio import load_sentences

    print()

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
        """The first quantity changed (a dateline's day or month may differ in a copy)."""
        quantity = r"(?<![\d.])\d+(\.\d+)?(?![\d.]|[年月日号])"
        return re.sub(quantity, lambda m: str(float(m.group()) + 1.1), text, count=1)

    differ = [(t, change_figure(t)) for pair in stats for t in pair]
    differ = [(a, b) for a, b in differ if a != b]
    results = [dedupe([a, b], level="document") for a, b in differ]
    merged = sum(bool(r.removed) for r in results)
    reported = sum(any(d.kind == "figures-differ" for d in r.duplicates) for r in results)
    print(
        f"{'figures differ (must never merge)':34} pairs {len(differ):4}  merged {merged}  "
        f"reported as figures-differ {reported}"
    )


if __name__ == "__main__":
    main()
