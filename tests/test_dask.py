"""``bilingual.dask`` and ``run --scheduler`` on a real ``distributed.LocalCluster`` (two
worker processes, loopback only): the same results as the single-process run, a killed
worker's tasks done again, a worker that dies every time a one-line failure."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bilingual import Pipeline
from bilingual.pipeline.records import result_record
from dedupe_corpus import documents

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

from bilingual.dask import DaskError, process  # noqa: E402
from conftest import ROOT  # noqa: E402

DOCS = documents(700)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    # a task on a worker killed twice fails the run (the default, 3, only takes longer)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dask") / "corpus.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), "utf-8")
    return path


def _expected() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    pipeline = Pipeline(memory=None)
    records = [
        result_record(r, dict(d), r.id, "en", "text")
        for r, d in zip(pipeline.run(DOCS), DOCS, strict=True)
    ]
    return records, pipeline.report.counts()


EXPECTED, EXPECTED_COUNTS = _expected()


def _relations(records: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(d["unit"], d["duplicate_of"], d["kind"]) for r in records for d in r["duplicates"]}


def test_the_corpus_has_every_kind_of_duplicate() -> None:
    kinds = {kind for _, _, kind in _relations(EXPECTED)}
    assert kinds == {"exact", "near", "figures-differ", "cross-lingual"}


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BILINGUAL_HOME": str(home)}
    command = [sys.executable, "-m", "bilingual", "run", "--memory", "none", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def test_run_with_a_scheduler_writes_what_the_single_process_run_writes(
    client: Any, corpus: Path, tmp_path: Path
) -> None:
    address = client.scheduler.address
    outputs = {}
    for name, extra in (("here", ()), ("cluster", ("--scheduler", address))):
        out, report = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.report.json"
        done = _cli(
            "--jsonl",
            *extra,
            "-o",
            str(out),
            "--report",
            str(report),
            str(corpus),
            home=tmp_path / "home",
        )
        assert done.returncode == 0, done.stderr
        outputs[name] = (out.read_bytes(), report.read_bytes(), done.stderr)
    assert outputs["cluster"] == outputs["here"]
    report = json.loads(outputs["here"][1])
    assert report["items"] == len(DOCS) and len(report["duplicates"]) > 100


def test_a_dask_dataframe_gives_the_single_process_results(
    client: Any, corpus: Path, tmp_path: Path
) -> None:
    frame = dd.read_json(str(corpus), lines=True, blocksize=1 << 15)
    assert frame.npartitions >= 4  # the collection really is split
    run = process(frame, column="text", memory=None, client=client)
    records = list(run.records())
    assert [r["id"] for r in records] == [d["id"] for d in DOCS]
    for got, want in zip(records, EXPECTED, strict=True):
        assert got["text_clean"] == want["text_clean"]  # the same paragraphs kept
        assert got["text_en"] == want["text_en"]  # the same translations
        assert got["duplicates"] == want["duplicates"]  # the same relations, same kinds
    assert run.report.counts() == EXPECTED_COUNTS


def test_results_written_as_parquet_partitions(client: Any, corpus: Path, tmp_path: Path) -> None:
    import pandas as pd

    frame = dd.read_json(str(corpus), lines=True, blocksize=1 << 15)
    paths = process(frame, memory=None, client=client).to_parquet(str(tmp_path / "out"))
    assert len(paths) == frame.npartitions
    table = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    assert table["text_en"].tolist() == [r["text_en"] for r in EXPECTED]
    got = [list(v) if v is not None else None for v in table["duplicate_of"]]
    assert got == [r["duplicate_of"] for r in EXPECTED]


def _pids(client: Any) -> dict[str, int]:
    return client.run(os.getpid)  # type: ignore[no-any-return]


def test_a_worker_killed_mid_run_has_its_tasks_done_again(client: Any, corpus: Path) -> None:
    frame = dd.read_json(str(corpus), lines=True, blocksize=1 << 14)
    run = process(frame, memory=None, client=client)
    before = _pids(client)
    records: list[dict[str, Any]] = []
    runner = threading.Thread(target=lambda: records.extend(run.records()))
    runner.start()
    killed = None
    while runner.is_alive() and killed is None:
        for worker, keys in client.processing().items():
            if any("finish" in str(key) for key in keys):  # late: every stage's data at risk
                killed = before[worker]
                os.kill(killed, signal.SIGKILL)
                break
        time.sleep(0.01)
    runner.join()
    assert killed is not None  # the kill happened while the run was going
    client.wait_for_workers(2)
    assert killed not in _pids(client).values()  # a new worker took its place
    assert [r["text_en"] for r in records] == [r["text_en"] for r in EXPECTED]
    assert _relations(records) == _relations(EXPECTED)


def test_a_worker_that_dies_every_time_fails_the_run_in_one_line(client: Any) -> None:
    from bilingual.dask.engine import run_partitions
    from bilingual.options import PipelineOptions
    from bilingual.pipeline.report import Report
    from cluster_helpers import die

    parts = [client.submit(list, [(None, d) for d in DOCS[:20]])]
    with pytest.raises(DaskError) as failed:
        for _ in run_partitions(client, parts, [20], PipelineOptions(memory=None), die, Report()):
            pass
    assert "\n" not in str(failed.value) and "died" in str(failed.value)
    client.wait_for_workers(2)


def test_a_scheduler_that_does_not_answer_is_one_line(tmp_path: Path, corpus: Path) -> None:
    done = _cli("--jsonl", "--scheduler", "tcp://127.0.0.1:9", str(corpus), home=tmp_path)
    assert done.returncode == 2
    assert re.fullmatch(
        r"bilingual: error: no Dask scheduler answers at tcp://127.0.0.1:9 .*\n", done.stderr
    )
    assert not done.stdout


def test_the_readme_dataframe_example_runs(client: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """The README's Python example with a dask.dataframe (on its own local cluster)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(# bilingual\.dask.*?)```", readme, re.DOTALL)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.jsonl").write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS[:50]), "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})
    assert sorted(p.name for p in (tmp_path / "out").iterdir())[0] == "part-00000.parquet"
