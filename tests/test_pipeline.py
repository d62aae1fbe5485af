"""The whole pipeline: the seed scenario against a reviewed golden file, and the CLI."""

from __future__ import annotations

import contextlib
import json
import pickle
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bilingual import ConfigError, Pipeline
from conftest import EXAMPLE, ROOT, run_cli

GOLDEN = ROOT / "tests" / "golden" / "seed.en.txt"


def test_seed_page_matches_the_golden_file(seed_text: str) -> None:
    pipeline = Pipeline(memory=None)
    (result,) = pipeline.run([seed_text])
    assert result.text == GOLDEN.read_text(encoding="utf-8")
    report = pipeline.report.to_dict()
    assert report["duplicates_by_kind"] == {"exact": 16, "near": 1, "summary": 1}
    assert report["issues_by_kind"] == {}
    assert report["translations_by_engine"] == {"statistics": 4}
    (summary,) = [d for d in report["duplicates"] if d["summary"]]
    assert summary["text"].startswith("据中国汽车工业协会")
    headline_copies = [d for d in report["duplicates"] if d["text"].startswith("CAAM: In 2025")]
    assert len(headline_copies) == 3  # the three later copies point where the summary does
    assert {d["duplicate_of"] for d in headline_copies} == {summary["duplicate_of"]}
    (paraphrase,) = [d for d in report["duplicates"] if d["kind"] == "near"]
    assert paraphrase["paraphrase"] and paraphrase["text"].startswith("On 17 September 2025")


def test_golden_file_is_the_seed_cleaned(seed_text: str) -> None:
    """What the reviewed golden file must show, stated separately from the pipeline."""
    golden = GOLDEN.read_text(encoding="utf-8")
    assert golden.count("CAAM: In 2025, 476,000 complete vehicles were imported") == 1
    assert golden.count("Canada Announces New EV Strategy") == 1
    assert "drew significant attention" in golden and "sent ripples through" not in golden
    assert "SMM’s internal database" in golden and "SMM‘s" not in golden
    assert "30,000 complete vehicles were imported, down 30.4% MoM and 56.1% YoY" in golden
    assert "US$1.47 billion" in golden and "US$23.64 billion" in golden
    assert "海关总署" not in golden
    assert "to obtainthe latest data analysis" in golden  # English prose left alone


def test_dedupe_across_items_and_lazy_results() -> None:
    pipeline = Pipeline(memory=None, to="none")
    results = pipeline.run(["Headline A\nBody one.\n", "Headline A\nBody two.\n"])
    first = next(results)
    assert first.text == "Headline A\nBody one.\n"
    second = next(results)
    assert second.text == "Body two.\n"
    assert second.duplicates[0]["duplicate_of"] == "0#0"


def test_steps_and_options_are_checked() -> None:
    with pytest.raises(ConfigError, match="unknown step"):
        Pipeline(steps=["repair", "spellcheck"])
    with pytest.raises(ConfigError, match=r"option .to. must be"):
        Pipeline(to="fr")  # type: ignore[arg-type]
    assert (
        Pipeline(steps=["repair"], to="none", memory=None).run(["a\u200bb"]).__next__().text == "ab"
    )


def test_run_cli_on_the_example(tmp_path: Path, bilingual_home: Path) -> None:
    report = tmp_path / "report.json"
    out = tmp_path / "out.txt"
    result = run_cli("run", str(EXAMPLE), "-o", str(out), "--report", str(report))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "30,000 complete vehicles were imported" in text
    assert text.count("CPCA: January NEV retail sales reached 720,000 units") == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["duplicates_by_kind"]["exact"] >= 6 and data["items"] == 1
    assert "duplicates:" in result.stderr
    assert (bilingual_home / "memory.sqlite").exists()
    strict = run_cli("run", str(EXAMPLE), "--strict", "--memory", "none")
    assert strict.returncode == 1  # the Traditional sentence stays untranslated
    assert "--strict: " in strict.stderr


def test_run_cli_jsonl_and_bad_input(tmp_path: Path, bilingual_home: Path) -> None:
    data = (
        '{"id": "a", "text": "2025年，汽车整车进口47.6万辆。"}\n'
        '{"id": "b", "text": "2025年，汽车整车进口47.6万辆。"}\nnot json\n'
    )
    failed = run_cli("run", "--jsonl", "--memory", "none", input=data)
    assert failed.returncode == 2 and "<stdin>:3: invalid JSON" in failed.stderr
    result = run_cli(
        "run", "--jsonl", "--id-field", "id", "--on-error", "skip", "--memory", "none", input=data
    )
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(x) for x in result.stdout.splitlines())
    assert first["text_en"] == "In 2025, 476,000 complete vehicles were imported."
    assert second["duplicate_of"] == ["a#0"] and second["text_en"] == ""
    assert "skipped 1 input(s)" in result.stderr
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02" * 10)
    binary = run_cli("run", str(folder), "--memory", "none")
    assert binary.returncode == 2
    assert f"{folder / 'blob.txt'}: binary data" in binary.stderr


def test_jobs_give_the_same_output_and_report(tmp_path: Path) -> None:
    items = [
        f"Headline {i % 3}\n2025年{i % 12 + 1}月，汽车整车进口{i}.5万辆，同比下降3%。\n"
        for i in range(12)
    ] + [b"\x00\x01binary"]
    runs = []
    for jobs in (1, 2):
        pipeline = Pipeline(memory=tmp_path / f"tm{jobs}.sqlite")
        results = list(pipeline.run(items, jobs=jobs))
        runs.append(
            ([(r.id, r.text, r.error is not None) for r in results], pipeline.report.to_dict())
        )
    assert runs[0] == runs[1]
    texts, report = runs[0]
    assert texts[-1][2] is True  # the binary item is reported, not fatal
    assert report["duplicates_by_kind"] == {"exact": 9}  # headlines repeat across items
    assert report["translations_by_engine"] == {"statistics": 12}


def test_config_file_defaults_and_errors(tmp_path: Path, bilingual_home: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("2025年，汽车整车进口47.6万辆。\n", encoding="utf-8")
    (tmp_path / "bilingual.toml").write_text('to = "none"\nmemory = "none"\n', encoding="utf-8")
    cleaned = run_cli("run", str(page), "-q", cwd=tmp_path)
    assert cleaned.stdout == "2025 年，汽车整车进口 47.6 万辆。\n"  # to = none: not translated
    translated = run_cli("run", str(page), "-q", "--to", "en", cwd=tmp_path)
    assert translated.stdout.startswith("In 2025, 476,000")  # the command line wins
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 'red'\n", encoding="utf-8")
    result = run_cli("run", "--config", str(bad), str(page))
    assert result.returncode == 2
    assert "unknown option 'colour'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_output_formats(tmp_path: Path, bilingual_home: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("2025年，汽车整车进口47.6万辆。\n", encoding="utf-8")
    md = run_cli("run", str(page), "--format", "markdown", "-q", "--memory", "none")
    assert md.stdout == f"## {page}\n\nIn 2025, 476,000 complete vehicles were imported.\n\n"
    js = run_cli("run", str(page), "--format", "jsonl", "-q", "--memory", "none")
    obj = json.loads(js.stdout)
    assert obj["id"] == str(page) and obj["text"] == "2025 年，汽车整车进口 47.6 万辆。\n"
    assert obj["text_en"] == "In 2025, 476,000 complete vehicles were imported.\n"
    assert obj["segments"] == [
        {
            "text": obj["text_clean"],
            "start": 0,
            "end": 23,
            "lang": "zh-Hans",
            "mixed": 0.0,
            "name": False,
        }
    ]
    record = '{"body": "Ｔｅｓｌａ售出１２３辆。\\nRead More\\nRead More\\n"}\n'
    clean = run_cli("run", "--jsonl", "--field", "body", "--to", "none", "-q", input=record)
    obj = json.loads(clean.stdout)
    assert obj["body_clean"] == "Tesla 售出 123 辆。\nRead More\n" and "body_none" not in obj
    assert [s["lang"] for s in obj["segments"]] == ["zh-Hans", "en"]
    assert obj["duplicate_of"] == ["0#1"]
    page.write_text("Title | 1\n\n2025年，汽车整车进口47.6万辆。\n", encoding="utf-8")
    side = run_cli("run", str(page), "--format", "bilingual", "-q", "--memory", "none")
    assert side.stdout == (
        f"## {page}\n\n| source | en |\n|---|---|\n| Title \\| 1 | Title \\| 1 |\n"
        "| 2025 年，汽车整车进口 47.6 万辆。 | In 2025, 476,000 complete vehicles were imported. |"
        "\n\n"
    )


def test_interrupted_run_leaves_no_output_and_keeps_the_memory(tmp_path: Path) -> None:
    """Terminated mid-stream: no output file, no temporary file; the memory keeps what was
    translated, so the rerun takes those sentences from it."""
    lines = [
        json.dumps(
            {"text": f"2025年{m}月，汽车整车进口{m}.5万辆，同比下降{m}%。"}, ensure_ascii=False
        )
        for m in range(1, 6)
    ]
    out, memory = tmp_path / "out.jsonl", tmp_path / "tm.sqlite"
    command = [sys.executable, "-m", "bilingual", "run", "--jsonl", "-o", str(out)]
    proc = subprocess.Popen(
        [*command, "--memory", str(memory)], stdin=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdin is not None
    proc.stdin.write("".join(line + "\n" for line in lines[:3]).encode())
    proc.stdin.flush()  # three items in, then the run waits for more input
    deadline = time.monotonic() + 60
    stored = 0
    while stored < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
        if memory.exists():
            with contextlib.suppress(sqlite3.OperationalError):
                stored = (
                    sqlite3.connect(memory).execute("SELECT COUNT(*) FROM memory").fetchone()[0]
                )
    assert stored == 3
    proc.terminate()
    assert proc.wait(timeout=30) == 143
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []
    report = tmp_path / "report.json"
    rerun = run_cli(
        *command[3:], "--memory", str(memory), "--report", str(report), input="\n".join(lines)
    )
    assert rerun.returncode == 0, rerun.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    assert json.loads(report.read_text(encoding="utf-8"))["memory_hits"] == 3


BAD_INPUTS = [
    pytest.param(["missing.txt"], b"", "missing.txt: No such file or directory", id="missing-file"),
    pytest.param(["blob.txt"], b"", "blob.txt: binary data: NUL byte at offset 0", id="binary"),
    pytest.param(
        ["--jsonl", "-"],
        b'{"text": "ok"}\n{oops\n',
        "<stdin>:2: invalid JSON: Expecting property name enclosed in double quotes",
        id="json",
    ),
    pytest.param(
        ["--jsonl", "-"], b'{"id": 1}\n', "<stdin>:1: no field 'text'", id="field-missing"
    ),
    pytest.param(
        ["--jsonl", "--field", "body", "-"],
        b'{"body": 7}\n',
        "<stdin>:1: not a string: field 'body'",
        id="field-not-text",
    ),
    pytest.param(
        ["--glossary", "bad.tsv", "page.txt"],
        b"",
        "bad.tsv:3: 黑粉 has 2 approved renderings ('black mass', 'black powder'); mark exactly"
        " one preferred (bilingual glossary lint lists every problem)",
        id="glossary-lint-error",
    ),
]


@pytest.mark.parametrize(("args", "stdin", "message"), BAD_INPUTS)
def test_run_bad_input_is_one_line(
    args: list[str], stdin: bytes, message: str, tmp_path: Path, bilingual_home: Path
) -> None:
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02\x03" * 8)
    (tmp_path / "page.txt").write_text("2025年，汽车整车进口47.6万辆。\n", encoding="utf-8")
    (tmp_path / "bad.tsv").write_text(
        "zh\ten\n黑粉\tblack mass\n黑粉\tblack powder\n", encoding="utf-8"
    )
    result = run_cli("run", "--memory", "none", *args, input=stdin, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"bilingual: error: {message}\n"


def test_run_on_error_skip_reports_what_it_skipped(tmp_path: Path, bilingual_home: Path) -> None:
    (tmp_path / "a.txt").write_text("2025年，汽车整车进口47.6万辆。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02\x03" * 8)
    report = tmp_path / "report.json"
    result = run_cli(
        "run", str(tmp_path), "--on-error", "skip", "--report", str(report), "--memory", "none"
    )
    assert result.returncode == 0 and result.stdout.startswith("In 2025, 476,000")
    skipped = json.loads(report.read_text(encoding="utf-8"))["skipped"]
    assert skipped == [f"{tmp_path / 'b.txt'}: binary data: NUL byte at offset 0"]


def test_pipeline_pickles_as_its_options(tmp_path: Path) -> None:
    """What Hugging Face ``datasets`` needs to hash a generator that uses a pipeline (a SQLite
    connection cannot be pickled): a copy is a fresh pipeline with the same options."""
    pipeline = Pipeline(memory=tmp_path / "tm.sqlite", to="en", paraphrase=None)
    list(pipeline.run(["Headline\n", "Headline\n"]))
    copy = pickle.loads(pickle.dumps(pipeline))
    assert copy.options == pipeline.options and copy.translator.memory is not None
    assert copy.report.items == 0 and pipeline.report.items == 2
    assert [r.text for r in copy.run(["Headline\n"])] == ["Headline\n"]  # a fresh index


def test_result_record_leaves_the_input_record_as_it_was() -> None:
    from bilingual.pipeline.records import result_record

    record = {"id": "a", "text": "2025年，汽车整车进口47.6万辆。"}
    (result,) = Pipeline(memory=None).run([dict(record)])
    given = dict(record)
    out = result_record(result, given, "a", "en", "text")
    assert given == record and out is not given
    assert out["text_en"] == result.text and out["id"] == "a"
