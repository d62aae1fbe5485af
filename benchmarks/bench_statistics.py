"""Sentences per second of the statistics engine against the argos engine (tiny model).

The development set (tests/cases/statistics_dev.json) repeated to N sentences goes through
``StatisticsEngine.translate_batch``; a sample of it through ``ArgosEngine.translate_batch``
with the tiny test model (tests/tiny_model.py), same run; rates and their ratio printed.
The argos engine runs on a sample because its garbage output is always 256 tokens long.

    python benchmarks/bench_statistics.py [--sentences 100000] [--argos-sentences 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--argos-sentences", type=int, default=1000)
    args = parser.parse_args()

    cases = json.loads((ROOT / "tests" / "cases" / "statistics_dev.json").read_text("utf-8"))
    dev = [c["zh"] for c in cases["cases"]]
    sentences = (dev * (args.sentences // len(dev) + 1))[: args.sentences]

    from bilingual import Glossary
    from bilingual.options import TranslateOptions
    from bilingual.translate.engines.statistics import StatisticsEngine

    engine = StatisticsEngine("zh", "en")
    glossary = Glossary.load("bundled")
    engine.translate_batch(dev[:5], glossary)
    start = time.perf_counter()
    engine.translate_batch(sentences, glossary)
    stats_rate = len(sentences) / (time.perf_counter() - start)

    tmp = Path(tempfile.mkdtemp(prefix="bench-statistics-"))
    os.environ["BILINGUAL_HOME"] = str(tmp / "home")
    from bilingual.translate import models
    from bilingual.translate.engines.argos import ArgosEngine
    from tiny_model import build_argosmodel

    models.install_file(build_argosmodel(tmp))
    argos_engine = ArgosEngine("zh", "en", TranslateOptions(beam_size=1))
    sample = sentences[: args.argos_sentences]
    argos_engine.translate_batch(sample[:5], None)
    start = time.perf_counter()
    argos_engine.translate_batch(sample, None)
    argos_rate = len(sample) / (time.perf_counter() - start)

    print(f"statistics engine: {len(sentences)} sentences, {stats_rate:9.0f}/s")
    print(f"argos (tiny model, greedy, batched): {len(sample)} sentences, {argos_rate:9.0f}/s")
    print(f"ratio statistics/argos: {stats_rate / argos_rate:.1f}x")


if __name__ == "__main__":
    main()
