"""The options table: one source for the CLI, the config file and the API."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from pathlib import Path

import click
import pytest

import bilingual
from bilingual.cli import cli
from bilingual.config import load_config
from bilingual.options import DEFAULTS, PipelineOptions
from conftest import run_cli

NOT_OPTIONS = {"files", "output", "report"}
"""Parameters of a single invocation: where to read and write, not how to work."""


def _commands() -> dict[str, click.Command]:
    return {name: command for name, command in cli.commands.items() if name in bilingual_commands}


bilingual_commands = ("normalize", "convert", "segment", "detect", "translate", "dedupe", "run")


def test_cli_options_config_keys_and_the_table_are_one_set() -> None:
    table = {f.name: f for f in fields(PipelineOptions)}
    seen: set[str] = set()
    for name, command in _commands().items():
        for param in command.params:
            if param.name in NOT_OPTIONS or param.name is None or not param.expose_value:
                continue
            assert param.name in table, f"{name} --{param.name} is not in PipelineOptions"
            default = table[param.name].default
            expected = ",".join(default) if param.name == "steps" else default
            if isinstance(expected, tuple):
                expected = tuple(expected)
                assert tuple(param.default) == expected, (name, param.name)  # type: ignore[arg-type]
            else:
                assert param.default == expected, (name, param.name, param.default, expected)
            seen.add(param.name)
    assert seen == set(table), f"options no command offers: {set(table) - seen}"


def test_every_table_key_is_a_valid_config_key(tmp_path: Path) -> None:
    config = tmp_path / "all.toml"
    lines = []
    for f in fields(PipelineOptions):
        value = getattr(DEFAULTS, f.name)
        if value is None:
            continue
        lines.append(f"{f.name} = {json.dumps(list(value) if isinstance(value, tuple) else value)}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    values, source = load_config(config)
    assert source == str(config)
    assert PipelineOptions(**values) == DEFAULTS


@pytest.mark.parametrize(
    ("command", "config", "stdin", "expected"),
    [
        (["normalize"], 'script = "t2s"\n', "電池", "电池"),
        (["normalize"], "spacing = false\n", "进口3.0万辆", "进口3.0万辆"),
        (["segment"], 'level = "paragraph"\n', "A. B.\n", '"text": "A. B.\\n"'),
        (["convert"], 'opencc = "s2t"\n', "电池", "電池"),
        (["translate", "--memory", "none"], "strict = true\n", "分析人士认为供应偏紧。", "偏紧"),
    ],
    ids=["normalize-script", "normalize-spacing", "segment-level", "convert", "translate"],
)
def test_the_config_file_reaches_every_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    config: str,
    stdin: str,
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bilingual.toml").write_text(config, encoding="utf-8")
    result = run_cli(*command, input=stdin)
    assert result.returncode == (1 if "strict" in config else 0), result.stderr
    assert expected in result.stdout


def test_pyproject_tool_table_and_the_command_line_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text('[tool.bilingual]\nscript = "t2s"\n', encoding="utf-8")
    assert run_cli("normalize", input="電池").stdout == "电池"
    assert run_cli("normalize", "--script", "s2t", input="电池").stdout == "電池"


def test_translate_and_bilingual_translate_share_the_glossary_and_memory_rule(
    bilingual_home: Path,
) -> None:
    """No arguments: every bundled glossary and $BILINGUAL_HOME/memory.sqlite, both ways."""
    page = "本周黑粉价格上涨。"
    (api,) = bilingual.translate(page)
    memory = bilingual_home / "memory.sqlite"
    assert memory.exists()
    assert [t.target for t in api.terms] == ["black mass"]  # battery-recycling is bundled
    memory.unlink()
    cli_result = run_cli("translate", input=page)
    assert cli_result.stdout == api.text and memory.exists()
    memory.unlink()
    bilingual.translate(page, memory="none", glossary=())
    run_cli("translate", "--memory", "none", "-g", "none", input=page)
    assert not memory.exists()


def test_pipeline_and_run_share_the_defaults() -> None:
    assert bilingual.Pipeline().options == DEFAULTS
    pipeline = bilingual.Pipeline(to="none", memory=None)
    assert pipeline.translator.glossary is not None  # bundled glossaries, for dedupe
    with pytest.raises(TypeError, match="unknown option"):
        bilingual.Pipeline(treshold=0.5)


def test_missing_values_from_pandas_pass_through_reported() -> None:
    pipeline = bilingual.Pipeline(memory=None)
    results = list(pipeline.run(["进口下降。", None, math.nan, {"text": None}]))
    assert [r.error is None for r in results] == [True, False, False, False]
    assert all("missing value" in str(r.error) for r in results[1:])
    assert results[1].text == "" and pipeline.report.items == 1


def test_version_names_the_distribution() -> None:
    result = run_cli("--version")
    assert result.stdout.startswith("bilingual-toolkit ")
    assert bilingual.__version__ in result.stdout
