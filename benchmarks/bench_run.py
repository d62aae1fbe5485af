"""``bilingual run --jsonl --to en`` on N generated documents, with --jobs 1 and --jobs 2.

Documents have a few paragraphs each: English news sentences, a Chinese statistics
paragraph (translated by the statistics engine), boilerplate lines repeated across
documents, and every tenth document a near copy of an earlier one. Prints documents per
second, the speed-up, peak memory (of the main process and of the largest worker, from
/proc) at each size (100k, 300k and 1M documents by default: the main process, which
holds the deduplication index, must stay flat past --memory-budget), and, from a profile
of --jobs 1 on a sample, the share of time per stage.

    python benchmarks/bench_run.py [--sizes 100000,300000,1000000] [--jobs 1,2]
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
import time
from pathlib import Path
from typing import IO

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


def _tree_peaks(root: int) -> dict[int, float]:
    """Peak RSS (VmHWM, MB) of ``root`` and its descendants, from /proc (Linux)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier += children
    peaks = {}
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[pid] = int(line.split()[1]) / 1024
    return peaks


def timed_run(
    path: Path, jobs: int, home: Path, extra: list[str] | None = None
) -> tuple[float, float, float]:
    """Seconds, peak MB of the main process and of the largest worker (0 without)."""
    command = [sys.executable, "-m", "bilingual", "run", "--jsonl", "--to", "en"]
    command += ["--memory", "none", "-q", "--jobs", str(jobs), *(extra or []), str(path)]
    return measure(command, home)


def measure(
    command: list[str], home: Path, out: IO[bytes] | None = None
) -> tuple[float, float, float]:
    """Run ``command`` (stdout to ``out``, or nowhere): seconds, peak MB of its process and
    of its largest descendant (0 without)."""
    env = {**os.environ, "BILINGUAL_HOME": str(home)}
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=out or subprocess.DEVNULL)
    peaks: dict[int, float] = {}
    while proc.poll() is None:
        for pid, peak in _tree_peaks(proc.pid).items():
            peaks[pid] = max(peak, peaks.get(pid, 0.0))
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[2:5])} failed with status {proc.returncode}")
    main_peak = peaks.pop(proc.pid, 0.0)
    return seconds, main_peak, max(peaks.values(), default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000", help="documents, per run")
    parser.add_argument("--jobs", default="1,2", help="--jobs values to run at each size")
    parser.add_argument("--memory-budget", default=None, help="passed on (default: 512M)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="bench-run-"))
    docs = documents(max(sizes))
    extra = ["--memory-budget", args.memory_budget] if args.memory_budget else []
    print("documents    MB   jobs   seconds   docs/s   speed-up   main MB   worker MB")
    peaks: dict[int, list[float]] = {}
    for n in sizes:
        path = tmp / f"docs-{n}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in docs[:n])
        serial = 0.0
        for jobs in jobs_list:
            seconds, main_peak, worker_peak = timed_run(path, jobs, tmp / "home", extra)
            serial = serial or seconds
            peaks.setdefault(jobs, []).append(main_peak)
            print(
                f"{n:9} {path.stat().st_size / 1e6:5.1f} {jobs:6} {seconds:9.1f} "
                f"{n / seconds:8.0f} {serial / seconds:9.2f}x {main_peak:9.0f} {worker_peak:11.0f}"
            )
        path.unlink()
    for jobs, seen in peaks.items():
        if len(seen) > 1:
            print(
                f"--jobs {jobs}: main process peak at the largest / smallest size: "
                f"{seen[-1] / seen[0]:.2f}x (target: at most 1.5x)"
            )
    print("target: --jobs 2 at least 1.7x --jobs 1; memory flat over the input size")

    from bilingual import Pipeline

    sample = docs[:2000]
    profile = cProfile.Profile()
    pipeline = Pipeline(memory=None)
    profile.runcall(lambda: list(pipeline.run(sample)))
    stats = pstats.Stats(profile)
    entries = stats.stats.items()  # type: ignore[attr-defined]
    total = sum(v[3] for k, v in entries if k[2] == "run" and k[0].endswith("pipeline.py"))
    print("share of time per stage (--jobs 1, profile of a sample):")
    for name in ("prepare", "dedupe", "translate"):
        spent = sum(v[3] for k, v in entries if k[2] == name and k[0].endswith("pipeline.py"))
        print(f"  {name:10} {spent / total:6.1%}")


if __name__ == "__main__":
    main()
