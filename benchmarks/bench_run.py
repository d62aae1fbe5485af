"""``bilingual run --jsonl --to en`` on N generated documents, with --jobs 1 and --jobs 2.

Documents have a few paragraphs each: English news sentences, a Chinese statistics
paragraph (translated by the statistics engine), boilerplate lines repeated across
documents, and every tenth document a near copy of an earlier one. Prints documents per
second, the speed-up, peak memory (of the main process and of the largest worker) and,
from a profile of --jobs 1 on a sample, the share of time per stage.

    python benchmarks/bench_run.py [--documents 100000]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ENGLISH = [
    "GEM signed a memorandum with Ascend Elements to develop Europe's recycling market.",
    "Black mass payables rose for the third week as feedstock stayed tight.",
    "Analysts expect European recycling capacity to double by 2028.",
]
BOILERPLATE = "For inquiries, please contact the research team.\nRead More\n"


def documents(n: int, seed: int = 0) -> list[dict[str, str]]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        m, a, p = rng.randint(1, 12), round(rng.uniform(1, 90), 1), round(rng.uniform(1, 60), 1)
        text = (
            f"{rng.choice(ENGLISH)} Report {i}.\n\n"
            f"{m}月，汽车整车进口{a}万辆，同比下降{p}%。\n\n{BOILERPLATE}"
        )
        if i % 10 == 9:
            text = docs[i - 5]["text"].upper()
        docs.append({"id": str(i), "text": text})
    return docs


def timed_run(path: Path, jobs: int, home: Path) -> tuple[float, float]:
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run([sys.executable, '-m', 'bilingual', 'run', '--jsonl', '--to', 'en',"
        " '--memory', 'none', '-q', '--jobs', sys.argv[2], sys.argv[1]],"
        " stdout=subprocess.DEVNULL, check=True)\n"
        "print(time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    env = {**os.environ, "BILINGUAL_HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(jobs)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-run-"))
    path = tmp / "docs.jsonl"
    docs = documents(args.documents)
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    one, peak_one = timed_run(path, 1, tmp / "home")
    two, peak_two = timed_run(path, 2, tmp / "home")
    n = args.documents
    print(f"{n} documents ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"--jobs 1: {one:7.1f} s  {n / one:8.0f} docs/s  peak {peak_one:6.0f} MB")
    print(
        f"--jobs 2: {two:7.1f} s  {n / two:8.0f} docs/s  peak {peak_two:6.0f} MB (largest process)"
    )
    print(f"speed-up: {one / two:.2f}x (target >= 1.7x)")

    from bilingual import Pipeline

    sample = docs[: min(n, 2000)]
    profile = cProfile.Profile()
    pipeline = Pipeline(memory=None)
    profile.runcall(lambda: list(pipeline.run(sample)))
    stats = pstats.Stats(profile)
    total = sum(v[3] for k, v in stats.stats.items() if k[2] == "run")  # type: ignore[attr-defined]
    print("share of time per stage (--jobs 1, profile of a sample):")
    for name in ("_prepare", "_dedupe", "_translate"):
        spent = sum(v[3] for k, v in stats.stats.items() if k[2] == name)  # type: ignore[attr-defined]
        print(f"  {name.strip('_'):10} {spent / total:6.1%}" if total else "")


if __name__ == "__main__":
    main()
