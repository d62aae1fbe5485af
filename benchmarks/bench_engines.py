"""The engines of issue 14, in one run (benchmarks, not tests):

1. The chain ``--engine auto`` with the tiny genuine Argos model as its fallback, on the
   statistics development set and our 100 news sentences: the share of sentences that
   leave no Chinese behind, and the figures of statistics-covered sentences checked by the
   number guard (they must all be exact).
2. The ``openai`` engine against the local OpenAI-compatible stand-in (tests/servers/
   openai_compatible.py) with a fixed latency per request: requests per 1,000 sentences
   (batching; revisions counted apart) and the time of a 1,000-sentence run at
   concurrency 1, 4 and 8.
3. With ``--libretranslate``: our ``libretranslate`` engine against LibreTranslate's own
   Python client (libretranslatepy, one request per text) on a real LibreTranslate server
   with the tiny models (its virtual environment: ``python3 tests/servers/libretranslate.py``).

    python benchmarks/bench_engines.py [--sentences 1000] [--latency 0.2] [--libretranslate]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ["BILINGUAL_HOME"] = tempfile.mkdtemp(prefix="bench-engines-")

import bilingual  # noqa: E402
from bilingual.numbers import guard, quantities  # noqa: E402

HAN = re.compile(r"[\u3400-\u9fff]")
GLOSSARIES = ["automotive", "battery-recycling", "nickel-stainless", "organisations"]


def sentences() -> list[tuple[str, str]]:
    """(set, Chinese sentence) of the statistics dev set and the news sentences."""
    out = []
    for name in ("statistics_dev", "news_sentences"):
        data = json.loads((ROOT / "tests" / "cases" / f"{name}.json").read_text("utf-8"))
        out += [(name, case["zh"]) for case in data["cases"]]
    return out


def chain(cases: list[tuple[str, str]]) -> None:
    from bilingual.translate import models
    from tiny_model import build_argosmodel

    folder = Path(tempfile.mkdtemp(prefix="tiny-"))
    models.install_file(build_argosmodel(folder))
    from bilingual.translate.engines.statistics import StatisticsEngine

    statistics = StatisticsEngine()
    glossary = bilingual.Glossary.load(*GLOSSARIES)
    start = time.perf_counter()
    results = bilingual.translate([zh for _, zh in cases], glossary=glossary, memory=None)
    took = time.perf_counter() - start
    print(f"1. auto (statistics → tiny Argos) on {len(cases)} sentences, {took:.1f} s")
    for name in ("statistics_dev", "news_sentences", None):
        pairs = [(zh, r) for (s, zh), r in zip(cases, results, strict=True) if name in (s, None)]
        clean = sum(not HAN.search(r.text) for _, r in pairs)
        covered = [(zh, r) for zh, r in pairs if r.engine == "statistics"]
        figures = sum(sum(quantities(zh, "zh").values()) for zh, _ in covered)
        wrong = sum(len(guard(zh, "zh", r.text, "en")) for zh, r in covered)
        # Sentences covered in part: the figures of their covered clauses must all be in
        # the output (the uncovered clauses went to argos as phrases).
        partial = clause_figures = clause_missing = 0
        for zh, r in pairs:
            clauses = statistics.clauses(zh, glossary)
            done = [c for c in clauses if c.english]
            if not done or len(done) == len(clauses):
                continue
            partial += 1
            out = quantities(r.text, "en")
            for clause in done:
                clause_figures += sum(quantities(clause.text, "zh").values())
                clause_missing += sum((quantities(clause.text, "zh") - out).values())
        print(
            f"   {name or 'all':15} {len(pairs):4} sentences; no Chinese left: "
            f"{clean / len(pairs):.1%}; wholly covered by statistics: {len(covered)} with "
            f"{figures} figures, guard differences {wrong}; covered in part: {partial}, "
            f"{clause_figures} figures in covered clauses, {clause_missing} missing; "
            f"the rest to argos: {len(pairs) - len(covered) - partial}"
        )


def openai(cases: list[tuple[str, str]], count: int, latency: float) -> None:
    from servers.openai_compatible import FakeOpenAI

    # distinct sentences: a sample number inside each
    texts = [cases[i % len(cases)][1].rstrip("。") + f"（样本{i}）。\n" for i in range(count)]
    ms = latency * 1000
    print(f"2. openai against the local stand-in, {count} sentences, {ms:.0f} ms a request")
    for concurrency in (1, 4, 8):
        server = FakeOpenAI(latency=latency).start()
        try:
            start = time.perf_counter()
            results = bilingual.translate(
                ["".join(texts)],
                engine="openai",
                url=server.url,
                model="stand-in",
                memory=None,
                glossary=bilingual.Glossary.load(*GLOSSARIES),
                concurrency=concurrency,
            )
            took = time.perf_counter() - start
        finally:
            server.stop()
        revisions = sum("previous" in r["body"]["messages"][-1]["content"] for r in server.requests)
        first = len(server.requests) - revisions
        usage, n = results[0].usage, results[0].sentences
        print(
            f"   concurrency {concurrency}: {took:6.1f} s; {n} sentences, requests "
            f"{len(server.requests)} ({first} translating, {revisions} revising); per 1,000 "
            f"sentences: {first * 1000 / n:.0f} + {revisions * 1000 / n:.0f}; tokens "
            f"{usage.get('openai.input_tokens', 0):,.0f} in, "
            f"{usage.get('openai.output_tokens', 0):,.0f} out"
        )
    print(
        f"   (a batch is at most 16 sentences and 4,000 characters: at least "
        f"{math.ceil(count / 16)} requests; revisions are what the stand-in's toy answers "
        "got wrong: figures such as 47.6万 it copies instead of converting)"
    )


def libretranslate(cases: list[tuple[str, str]]) -> None:
    from libretranslatepy import LibreTranslateAPI

    from servers import libretranslate as lt
    from tiny_model import build_argosmodel

    folder = Path(tempfile.mkdtemp(prefix="lt-models-"))
    archives = [build_argosmodel(folder), build_argosmodel(folder, source="en", target="zh")]
    lt.ensure_venv()
    server = lt.start(archives)
    texts = [zh for _, zh in cases]
    try:
        client = LibreTranslateAPI(server.url + "/")
        client.translate("预热。", "zh", "en")
        start = time.perf_counter()
        theirs = [client.translate(text, "zh", "en") for text in texts]
        their_time = time.perf_counter() - start
        engine_options = {"engine": "libretranslate", "url": server.url, "memory": None}
        start = time.perf_counter()
        ours = bilingual.translate(texts, glossary=None, **engine_options)
        our_time = time.perf_counter() - start
    finally:
        server.stop()
    same = sum(a == b.text for a, b in zip(theirs, ours, strict=True))
    print(f"3. LibreTranslate (tiny models) on {len(texts)} sentences")
    print(f"   libretranslatepy, one request a text: {their_time:5.2f} s, {len(texts)} requests")
    print(
        f"   bilingual's engine (batches of 32, 4 at a time): {our_time:5.2f} s, "
        f"{ours[0].usage.get('libretranslate.requests', 0):.0f} requests; "
        f"same output for {same}/{len(texts)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--libretranslate", action="store_true")
    args = parser.parse_args()
    cases = sentences()
    chain(cases)
    openai(cases, args.sentences, args.latency)
    if args.libretranslate:
        libretranslate(cases)


if __name__ == "__main__":
    main()
