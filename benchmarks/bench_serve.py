"""``bilingual serve`` against LibreTranslate, the same tiny Argos models, the same run.

Both servers on 127.0.0.1 (nothing else is ever a target): 2,000 translation requests of
1–3 Chinese sentences (each request different) at concurrency 1, 8 and 32, from client
threads with keep-alive connections. Reported per server and level: requests/s, p50 and p99
latency, errors, and the server's resident memory before, at its peak during, and after the
level (flat memory: the peak does not grow level after level).

    .venv/bin/python benchmarks/bench_serve.py [--requests 2000] [--levels 1,8,32]
        [--batch-window 0] [--workers 1] [--memory none]

LibreTranslate runs in its own virtual environment (``python3 tests/servers/libretranslate.py``
makes it), with its defaults (4 waitress threads). Ours runs with ``--engine argos`` and the
bundled glossaries, the memory off by default (LibreTranslate has none; with one, repeated
sentences would not reach the engine).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from servers import bilingual as ours  # noqa: E402
from servers import libretranslate as lt  # noqa: E402
from tiny_model import build_argosmodel  # noqa: E402

TEMPLATES = [
    "乘联会数据显示，{m}月新能源乘用车零售{n}万辆，同比增长{p}%。",
    "据中国汽车工业协会整理的海关总署数据显示，{m}月汽车整车进口{n}万辆。",
    "黑粉价格本周上涨{p}%，三元前驱体需求回暖。",
    "{m}月动力电池装车量{n}GWh，环比下降{p}%。",
    "分析人士认为，电池回收原料供应仍然偏紧，价格或将继续上涨。",
]


def requests(count: int, seed: int = 7) -> list[str]:
    """``count`` different texts of 1–3 sentences."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        sentences = [
            rng.choice(TEMPLATES).format(m=rng.randint(1, 12), n=rng.randint(1, 99), p=i % 97)
            for _ in range(rng.randint(1, 3))
        ]
        out.append("".join(sentences))
    return out


def rss(pid: int) -> int:
    """Resident memory of a process and its children, in bytes (from /proc)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total * 1024


class Sampler:
    """The peak of :func:`rss` while running, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss(self.pid))
            time.sleep(0.02)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def load(url: str, texts: list[str], concurrency: int) -> dict[str, float]:
    """Send every text once, ``concurrency`` at a time; latency per request."""
    parts = urlsplit(url)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(enumerate(texts))

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                _, text = queue.pop()
            body = json.dumps({"q": text, "source": "zh", "target": "en"})
            started = time.perf_counter()
            try:
                conn.request("POST", "/translate", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                data = json.loads(response.read())
                ok = response.status == 200 and isinstance(data.get("translatedText"), str)
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += not ok
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(texts) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000,
        "errors": errors,
    }


def measure(name: str, url: str, pid: int, args: argparse.Namespace) -> list[dict[str, object]]:
    rows = []
    load(url, requests(50, seed=1), 4)  # warm up both the same way
    for level in args.levels:
        before = rss(pid)
        with Sampler(pid) as sampler:
            result = load(url, requests(args.requests, seed=level), level)
        after = rss(pid)
        row = {"server": name, "concurrency": level, **result}
        row |= {"rss_before": before, "rss_peak": sampler.peak, "rss_after": after}
        rows.append(row)
        print(_line(row), flush=True)
    return rows


def _line(row: dict[str, object]) -> str:
    mb = 1024 * 1024
    return (
        f"{row['server']:<15} c={row['concurrency']:<3} {row['rps']:8.1f} req/s  "
        f"p50 {row['p50']:7.1f} ms  p99 {row['p99']:7.1f} ms  errors {row['errors']}  "
        f"RSS {int(row['rss_before']) // mb} → peak {int(row['rss_peak']) // mb} → "  # type: ignore[call-overload]
        f"{int(row['rss_after']) // mb} MB"  # type: ignore[call-overload]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--batch-window", default="0")
    parser.add_argument("--workers", default="1")
    parser.add_argument("--memory", default="none")
    parser.add_argument("--only", choices=("bilingual", "libretranslate"))
    parser.add_argument("--json", metavar="FILE", help="Also write the rows as JSON.")
    args = parser.parse_args()
    args.levels = [int(x) for x in args.levels.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    archives = [build_argosmodel(work), build_argosmodel(work, source="en", target="zh")]
    home = work / "home"
    import subprocess

    for archive in archives:
        subprocess.run(
            [sys.executable, "-m", "bilingual", "models", "install-file", str(archive), "-q"],
            env={"BILINGUAL_HOME": str(home), "PATH": "/usr/bin:/bin"},
            check=True,
        )
    rows: list[dict[str, object]] = []
    servers: list[tuple[str, Callable[[], tuple[str, int, Callable[[], object]]]]] = []

    def start_ours() -> tuple[str, int, Callable[[], object]]:
        server = ours.start(
            ["--engine", "argos", "--memory", args.memory, "--batch-window", args.batch_window,
             "--workers", args.workers],
            home=home,
            log=work / "bilingual.log",
        )  # fmt: skip
        return server.url, server.process.pid, server.stop

    def start_lt() -> tuple[str, int, Callable[[], object]]:
        lt.ensure_venv()
        server = lt.start(archives, extra_args=["--threads", "4"])
        return server.url, server.process.pid, server.stop

    if args.only != "libretranslate":
        servers.append(("bilingual serve", start_ours))
    if args.only != "bilingual":
        servers.append(("LibreTranslate", start_lt))
    for name, start in servers:
        url, pid, stop = start()
        try:
            rows += measure(name, url, pid, args)
        finally:
            stop()
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
