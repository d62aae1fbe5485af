"""``bilingual run --jsonl --to en`` on generated paragraphs: one process, ``--jobs 2``, and
Dask clusters of one and two local workers (``--scheduler local:N``), on the same input.

The corpus (``bench_run.documents``: English news, a Chinese statistic from a template,
a boilerplate paragraph, every tenth document an upper-case copy) gets cross-lingual
copies (the statistic in English, every seventh document) and near copies (a word
changed, every thirteenth). Prints seconds, documents and paragraphs per second, the
speed-up over one process and of two workers over one, peak memory of the client process
(for ``local:N`` the scheduler lives there too) and of the largest worker, and checks that
every run wrote the same bytes. Then the client's peak on a third of the input, for
flatness.

    python benchmarks/bench_dask.py [--paragraphs 1000000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_run import documents, measure

MONTHS = "January February March April May June July August September October November".split()
MONTHS.append("December")


def corpus(paragraphs: int, seed: int = 1) -> list[dict[str, str]]:
    """Documents of three or four paragraphs, ``paragraphs`` in all (about)."""
    rng = random.Random(seed)
    docs = documents(paragraphs // 3 + 1)
    count = 0
    for i, doc in enumerate(docs):
        parts = doc["text"].split("\n\n")
        if i % 7 == 3:  # the Chinese statistic in English: a cross-lingual duplicate
            month, rest = parts[1].split("月，汽车整车进口", 1)
            amount, rest = rest.split("万辆，同比下降", 1)
            english = (
                f"In {MONTHS[int(month) - 1]}, {round(float(amount) * 10_000):,} complete "
                f"vehicles were imported, down {rest.rstrip('。')} YoY."
            )
            parts.insert(2, english)
        elif i % 13 == 6 and i > 20:  # a near copy of an earlier English paragraph
            words = docs[i - 13]["text"].split("\n\n")[0].split(" ")
            words[rng.randrange(len(words))] = "reportedly"
            parts.insert(2, " ".join(words))
        doc["text"] = "\n\n".join(parts)
        count += len(parts)
        if count >= paragraphs:
            return docs[: i + 1]
    return docs


def timed(command: list[str], out: Path, home: Path) -> tuple[float, float, float, str]:
    """Seconds, peak MB of the process started and of its largest descendant, and the
    digest of what it wrote."""
    with out.open("wb") as sink:
        seconds, main, worker = measure(command, home, sink)
    return seconds, main, worker, hashlib.sha256(out.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1_000_000)
    parser.add_argument("--modes", default="1,jobs2,local:1,local:2")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    docs = corpus(args.paragraphs)
    paragraphs = sum(d["text"].count("\n\n") + 1 for d in docs)
    path = tmp / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    base = [sys.executable, "-m", "bilingual", "run", "--jsonl", "--to", "en", "--memory", "none"]
    modes = {
        "1": ["--jobs", "1"],
        "jobs2": ["--jobs", "2"],
        "local:1": ["--scheduler", "local:1"],
        "local:2": ["--scheduler", "local:2"],
    }
    print(f"{len(docs):,} documents, {paragraphs:,} paragraphs, {path.stat().st_size / 1e6:.0f} MB")
    print("run          seconds   docs/s   paragraphs/s   speed-up   client MB   worker MB")
    times: dict[str, float] = {}
    digests = set()
    for name in args.modes.split(","):
        seconds, main_peak, worker_peak, digest = timed(
            [*base, "-q", *modes[name], str(path)], tmp / "out.jsonl", tmp / "home"
        )
        times[name] = seconds
        digests.add(digest)
        first = next(iter(times.values()))
        print(
            f"{name:10} {seconds:9.1f} {len(docs) / seconds:8.0f} {paragraphs / seconds:14.0f} "
            f"{first / seconds:9.2f}x {main_peak:11.0f} {worker_peak:11.0f}"
        )
    if "local:1" in times and "local:2" in times:
        print(f"2 workers / 1 worker: {times['local:1'] / times['local:2']:.2f}x (target 1.7x)")
    print("same output in every run:", len(digests) == 1)
    third = tmp / "third.jsonl"
    with third.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in docs[: len(docs) // 3])
    seconds, main_peak, worker_peak, _ = timed(
        [*base, "-q", *modes["local:2"], str(third)], tmp / "out.jsonl", tmp / "home"
    )
    print(
        f"local:2 on a third: {seconds:.1f} s, client {main_peak:.0f} MB, "
        f"worker {worker_peak:.0f} MB (client memory flat: the same as on all of it)"
    )


if __name__ == "__main__":
    main()
