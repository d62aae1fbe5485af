"""Sentence segmentation with language labels against langdetect per sentence, same run.

Ours: ``bilingual.segment(text, "sentence")`` (spans and labels). Anchor: the same sentences
(split by our own splitter, not timed) each given to ``langdetect.detect_langs``, seeded.
Prints sentences per second of each and the ratio (target: at least 20x), on the corpus
and on a mix with 5% sentences in other Latin-script languages (``--foreign``). With --rss-mb,
also streams a file of that size through ``bilingual segment`` and reports the peak
resident memory of the process, against a file a tenth of its size (flat memory = similar).

    python benchmarks/bench_segment.py [--mb 2] [--rss-mb 200] [--foreign 0.05]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from bilingual import segment
from bilingual.text import latin
from bilingual.text.segment import paragraph_spans, sentence_spans
from corpus import ROOT, corpus


def peak_rss_mb(path: Path) -> float:
    """Peak RSS of ``bilingual segment PATH > /dev/null`` in MB (a fresh process)."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'bilingual', 'segment', sys.argv[1]],"
        " stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    out.check_returncode()
    return float(out.stdout)


def mixed_ratio(sentences: list[str], share: float, size: int = 3000) -> None:
    """The same comparison on a mix where ``share`` of the sentences are in other
    Latin-script languages (tests/cases/language_other.json), which take the slow path of
    language identification (lingua)."""
    cases = json.loads((ROOT / "tests" / "cases" / "language_other.json").read_text("utf-8"))
    foreign = [c["text"] for c in cases["cases"] if c["lang"] != "en" and c["kind"] == "sentence"]
    rng = random.Random(0)
    mix = [
        rng.choice(foreign) if rng.random() < share else rng.choice(sentences) for _ in range(size)
    ]
    text = "\n\n".join(m.strip() for m in mix) + "\n"
    segment(text)  # warm: lingua's models for the languages seen are loaded ...
    latin._lingua.cache_clear()  # ... but no answer is remembered
    start = time.process_time()
    ours = segment(text, "sentence")
    ours_time = time.process_time() - start
    start = time.process_time()
    for sentence in mix:
        with contextlib.suppress(LangDetectException):
            detect_langs(sentence)
    anchor_time = time.process_time() - start
    print(
        f"mix with {share:.0%} other languages ({len(ours)} sentences, CPU time): "
        f"ours {len(ours) / ours_time:9.0f}/s, langdetect {len(mix) / anchor_time:9.0f}/s, "
        f"ratio {anchor_time / ours_time * len(ours) / len(mix):.1f}x (target >= 20x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="corpus size in MB (default 2)")
    parser.add_argument("--rss-mb", type=float, default=0, help="also measure memory on this")
    parser.add_argument(
        "--foreign",
        type=float,
        default=0.05,
        help="also time a mix with this share of other Latin-script languages (0: skip)",
    )
    args = parser.parse_args()

    text = corpus(args.mb)
    segment(text[:5000])  # load OpenCC and langdetect profiles first
    sentences = [
        text[s:e]
        for p_start, p_end in paragraph_spans(text)
        for s, e in sentence_spans(text, p_start, p_end)
    ]
    start = time.perf_counter()
    ours = segment(text, "sentence")
    ours_time = time.perf_counter() - start

    DetectorFactory.seed = 0
    start = time.perf_counter()
    for sentence in sentences:
        with contextlib.suppress(LangDetectException):  # raised for text without features
            detect_langs(sentence)
    anchor_time = time.perf_counter() - start

    n = len(ours)
    print(f"corpus: {len(text.encode()) / 1e6:.2f} MB, {n} sentences ({len(sentences)} for anchor)")
    print(f"anchor langdetect per sentence: {anchor_time:7.2f} s {n / anchor_time:9.0f}/s")
    print(f"bilingual.segment(sentence):    {ours_time:7.2f} s {n / ours_time:9.0f}/s")
    print(f"speed ratio ours/anchor: {anchor_time / ours_time:.1f}x (target >= 20x)")

    if args.foreign:
        mixed_ratio(sentences, args.foreign)

    if args.rss_mb:
        with tempfile.TemporaryDirectory() as tmp:
            small, big = Path(tmp) / "small.txt", Path(tmp) / "big.txt"
            block = corpus(5.0) + "\n\n"
            for path, size in ((small, args.rss_mb / 10), (big, args.rss_mb)):
                with path.open("w", encoding="utf-8") as f:
                    for _ in range(max(1, round(size / 5))):
                        f.write(block)
            for path in (small, big):
                mb = path.stat().st_size / 1e6
                start = time.perf_counter()
                rss = peak_rss_mb(path)
                print(
                    f"stream {mb:7.1f} MB through `bilingual segment`: peak RSS {rss:6.1f} MB,"
                    f" {time.perf_counter() - start:6.1f} s"
                )


if __name__ == "__main__":
    main()
