"""The command line, run as a user runs it: ``python -m bilingual``."""

from __future__ import annotations

import json

from conftest import EXAMPLE, ROOT, run_cli


def test_normalize_example_file() -> None:
    result = run_cli("normalize", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "数据显示，2025 年 12 月，汽车整车进口 3.0 万辆" in result.stdout
    assert "动力电池回收 project" in result.stdout  # UTF-8 read as GBK, repaired
    assert "三元前驱体 workshop" in result.stdout  # GBK read as cp1252, repaired
    assert "feed AE’s cathode precursor" in result.stdout


def test_normalize_stdin_to_output_file(tmp_path) -> None:
    out = tmp_path / "out.txt"
    result = run_cli("normalize", "-o", str(out), input="数据显示,进口3.0万辆\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == "数据显示，进口 3.0 万辆\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left


def test_normalize_decodes_gb18030_file(tmp_path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes("镍铁价格,同比下降3.2%".encode("gb18030"))
    result = run_cli("normalize", str(path))
    assert result.stdout == "镍铁价格，同比下降 3.2%"


def test_explain_prints_changes_on_stderr() -> None:
    result = run_cli("normalize", "--explain", input="SMM‘s 数据显示,进口")
    assert result.stdout == "SMM’s 数据显示，进口"
    assert "<stdin>: punctuation 10-11 ',' -> '，' (ASCII mark in Chinese)" in result.stderr
    assert "quote used as apostrophe" in result.stderr


def test_options_reach_the_library() -> None:
    result = run_cli(
        "normalize",
        "--script",
        "t2s",
        "--no-spacing",
        "--quotes",
        "straight",
        input="電動車“進口”3.0萬輛",
    )
    assert result.stdout == '电动车"进口"3.0万辆'


def test_jsonl_keeps_other_fields_and_streams() -> None:
    lines = [
        {"id": 1, "body": "数据显示,进口", "meta": {"src": "caam"}},
        {"id": 2, "body": "Ｔｅｓｌａ售出１２３辆"},
    ]
    result = run_cli(
        "normalize",
        "--jsonl",
        "--field",
        "body",
        input="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out == [
        {"id": 1, "body": "数据显示，进口", "meta": {"src": "caam"}},
        {"id": 2, "body": "Tesla 售出 123 辆"},
    ]


def test_jsonl_explain_adds_changes_field() -> None:
    result = run_cli("normalize", "--jsonl", "--explain", input='{"text": "数据,进口"}\n')
    obj = json.loads(result.stdout)
    assert obj["text"] == "数据，进口"
    assert obj["changes"] == [
        {
            "stage": "punctuation",
            "start": 2,
            "end": 3,
            "before": ",",
            "after": "，",
            "reason": "ASCII mark in Chinese",
        }
    ]


def test_jsonl_bad_line_is_one_error_line_with_line_number(tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "好"}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli("normalize", "--jsonl", str(path), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"bilingual: error: {path}:2: invalid JSON: Expecting value"
    ]
    assert list(tmp_path.iterdir()) == [path]  # no half-written output


def test_jsonl_missing_field_and_skip_summary() -> None:
    data = '{"text": "数据,进口"}\n{"title": "x"}\n[1]\n{"text": 3}\n{"text": "好"}\n'
    failed = run_cli("normalize", "--jsonl", input=data)
    assert failed.returncode == 2
    assert failed.stderr.strip() == "bilingual: error: <stdin>:2: no field 'text'"
    skipped = run_cli("normalize", "--jsonl", "--on-error", "skip", input=data)
    assert skipped.returncode == 0
    assert [json.loads(x)["text"] for x in skipped.stdout.splitlines()] == ["数据，进口", "好"]
    assert "skipped 3 input(s)" in skipped.stderr
    assert "<stdin>:3: not a JSON object" in skipped.stderr
    assert "<stdin>:4: not a string: field 'text'" in skipped.stderr


def test_missing_and_binary_files(tmp_path) -> None:
    missing = run_cli("normalize", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert (
        missing.stderr == f"bilingual: error: {tmp_path / 'nope.txt'}: No such file or directory\n"
    )
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00")
    result = run_cli("normalize", str(binary))
    assert result.returncode == 2
    assert result.stderr == f"bilingual: error: {binary}: binary data: NUL byte at offset 7\n"


def test_skip_bad_file_keeps_going(tmp_path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("数据,进口", encoding="utf-8")
    result = run_cli("normalize", "--on-error", "skip", str(tmp_path / "nope.txt"), str(good))
    assert result.returncode == 0
    assert result.stdout == "数据，进口"
    assert "skipped 1 input(s)" in result.stderr


def test_usage_errors_are_one_line() -> None:
    result = run_cli("normalize", "--script", "x2y")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("bilingual: error: Invalid value for '--script'")


def test_bad_overrides_file(tmp_path) -> None:
    bad = tmp_path / "ov.tsv"
    bad.write_text("one column only\n", encoding="utf-8")
    result = run_cli("normalize", "--script", "t2s", "--overrides", str(bad), input="電池")
    assert result.returncode == 2
    assert result.stderr.startswith(f"bilingual: error: <stdin>: {bad}:1: expected")


def test_convert_command() -> None:
    result = run_cli("convert", "-c", "s2twp", input="电动车软件")
    assert result.stdout == "電動車軟體"
    jsonl = run_cli("convert", "--jsonl", input='{"text": "電動車", "n": 1}\n')
    assert json.loads(jsonl.stdout) == {"text": "电动车", "n": 1}


def test_every_command_has_an_example_in_its_help() -> None:
    for command in ("normalize", "convert", "segment", "detect"):
        result = run_cli(command, "--help")
        assert result.returncode == 0
        assert f"bilingual {command}" in result.stdout.split("Examples:")[1]


def test_segment_prints_lossless_json_lines(tmp_path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    result = run_cli("segment", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    segments = [json.loads(line) for line in result.stdout.splitlines()]
    assert "".join(s["text"] for s in segments) == text
    assert all(text[s["start"] : s["end"]] == s["text"] for s in segments)
    langs = {s["lang"] for s in segments}
    assert {"en", "zh-Hans", "zh-Hant"} <= langs


def test_segment_gb18030_file_offsets_are_characters(tmp_path) -> None:
    path = tmp_path / "gb.txt"
    text = "镍铁价格上涨。Nickel pig iron rose.\n\n第二段。"
    path.write_bytes(text.encode("gb18030"))
    result = run_cli("segment", "--level", "paragraph", str(path))
    segments = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(s["start"], s["end"]) for s in segments] == [(0, 30), (30, 34)]


def test_segment_runs_mark_names() -> None:
    result = run_cli("segment", "--level", "run", input="GEM与AE签署。")
    runs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["name"]) for r in runs] == [
        ("GEM", True),
        ("与", False),
        ("AE", True),
        ("签署。", False),
    ]


def test_segment_jsonl_adds_segments_field() -> None:
    result = run_cli("segment", "--jsonl", input='{"id": 1, "text": "进口下降。Prices fell."}\n')
    obj = json.loads(result.stdout)
    assert obj["id"] == 1
    assert [s["text"] for s in obj["segments"]] == ["进口下降。", "Prices fell."]


def test_segment_lone_surrogate_in_jsonl_is_written_escaped() -> None:
    result = run_cli("segment", "--jsonl", input='{"text": "a\\ud800b"}\n')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["segments"][0]["text"] == "a\ud800b"


def test_detect_lines_and_jsonl() -> None:
    result = run_cli("detect", input="新能源汽车\n電動車進口\nBlack mass prices rose\n\n2025\n")
    assert result.stdout.splitlines() == ["zh-Hans", "zh-Hant", "en", "und", "und"]
    jsonl = run_cli("detect", "--jsonl", "--field", "t", input='{"t": "東京の電池"}\n')
    assert json.loads(jsonl.stdout) == {"t": "東京の電池", "lang": "ja"}


def test_segment_binary_file_is_one_line_error(tmp_path) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x00\x01\x02\x03" * 100)
    result = run_cli("segment", str(blob))
    assert result.returncode == 2
    assert result.stderr == f"bilingual: error: {blob}: binary data: NUL byte at offset 0\n"


def test_memory_import_stats_export(tmp_path) -> None:
    from test_memory import TMX

    (tmp_path / "in.tmx").write_text(TMX, encoding="utf-8")
    memory = str(tmp_path / "tm.sqlite")
    imported = run_cli("memory", "import", str(tmp_path / "in.tmx"), "--memory", memory)
    assert imported.returncode == 0 and "imported 1 unit(s)" in imported.stderr
    stats = json.loads(run_cli("memory", "stats", "--memory", memory, "--json").stdout)
    assert stats["units"] == 1 and stats["by_engine"][0]["engine"] == "human"
    out = tmp_path / "out.tmx"
    assert run_cli("memory", "export", "-o", str(out), "--memory", memory).returncode == 0
    assert "Black mass prices rose." in out.read_text(encoding="utf-8")
    translated = run_cli("translate", "--memory", memory, input="黑粉价格上涨。")
    assert translated.stdout == "Black mass prices rose."


def test_json_listings(tmp_path) -> None:
    lint = run_cli("glossary", "lint", "--json", str(ROOT / "glossaries" / "automotive.tsv"))
    findings = [json.loads(line) for line in lint.stdout.splitlines()]
    assert findings and {"where", "line", "severity", "code", "message"} <= set(findings[0])
    stats = json.loads(run_cli("glossary", "stats", "--json", "bundled").stdout)
    assert stats["entries"] >= 400 and "automotive" in " ".join(stats["file"])
    assert run_cli("models", "list", "--json").stdout == ""  # none installed: no lines


def test_normalize_takes_folders_like_run(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("数据,进口\n", encoding="utf-8")
    (tmp_path / "a" / "two.md").write_text("价格,上涨\n", encoding="utf-8")
    plain = run_cli("normalize", str(tmp_path / "a"))
    assert plain.stdout == "数据，进口\n"
    both = run_cli("normalize", str(tmp_path / "a"), "--glob", "*.*")
    assert both.stdout == "数据，进口\n价格，上涨\n"


def test_translate_strict_and_quiet() -> None:
    loud = run_cli("translate", "--strict", "--memory", "none", input="分析人士认为供应偏紧。")
    assert loud.returncode == 1 and "untranslated" in loud.stderr
    quiet = run_cli("translate", "-q", "--memory", "none", input="分析人士认为供应偏紧。")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_a_real_process_formats_errors_and_exit_codes(tmp_path) -> None:
    """The console entry point in a process of its own: one line, status 2; usage errors too."""
    from conftest import run_process

    missing = run_process("normalize", str(tmp_path / "missing.txt"))
    assert missing.returncode == 2
    assert (
        missing.stderr
        == f"bilingual: error: {tmp_path / 'missing.txt'}: No such file or directory\n"
    )
    usage = run_process("run", "--frobnicate")
    assert usage.returncode == 2 and usage.stderr.startswith("bilingual: error: No such option")
    assert run_process("--version").stdout.startswith("bilingual-toolkit ")
