"""``bilingual run``: the whole pipeline, from a page, a folder or a JSONL stream."""

from __future__ import annotations

import collections
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import io
from .cli_common import CliError, write_json
from .errors import BilingualError, InputError


class StrictFailed(click.ClickException):
    """``--strict`` and something untrusted remains: exit status 1."""

    exit_code = 1


def _files(inputs: tuple[str, ...], pattern: str) -> Iterator[str]:
    for name in inputs or (io.STDIN,):
        path = Path(name)
        if name != io.STDIN and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob(pattern)) if p.is_file())
        else:
            yield name


def _load_config(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Defaults from ``--config FILE``, else ``./bilingual.toml``, else ``[tool.bilingual]`` in
    ``./pyproject.toml``; options given on the command line win."""
    import tomllib

    path = Path(value) if value else None
    table: dict[str, Any] = {}
    try:
        if path is not None:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        elif Path("bilingual.toml").is_file():
            path = Path("bilingual.toml")
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        elif Path("pyproject.toml").is_file():
            project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
            table = project.get("tool", {}).get("bilingual", {})
            path = Path("pyproject.toml") if table else None
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise click.BadParameter(f"{path}: {e}") from e
    names = {p.name: p for p in ctx.command.params if p.name}
    defaults: dict[str, Any] = {}
    for key, setting in table.items():
        name = key.replace("-", "_")
        name = {
            "to": "target",
            "glossary": "glossaries",
            "field": "field_name",
            "glob": "pattern",
        }.get(name, name)
        if name not in names or name in ("inputs", "config"):
            raise click.BadParameter(f"{path}: unknown option {key!r} in the config")
        defaults[name] = tuple(setting) if isinstance(setting, list) else setting
    ctx.default_map = {**(ctx.default_map or {}), **defaults}
    return value


@click.command(name="run")
@click.option(
    "--config",
    metavar="FILE",
    is_eager=True,
    expose_value=False,
    callback=_load_config,
    help="Defaults for these options (TOML); default ./bilingual.toml or "
    "[tool.bilingual] in ./pyproject.toml.",
)
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-o", "--output", metavar="FILE", help="Write here (atomically), not stdout.")
@click.option(
    "--to",
    "target",
    type=click.Choice(["en", "zh", "none"]),
    default="en",
    show_default=True,
    help="Translate into this language; none: clean and dedupe.",
)
@click.option(
    "-g",
    "--glossary",
    "glossaries",
    multiple=True,
    metavar="NAME_OR_PATH",
    help="Glossaries (repeat); default: all bundled ones.",
)
@click.option("--engine", default="auto", show_default=True, help="auto, argos or statistics.")
@click.option(
    "--memory",
    default=None,
    metavar="PATH",
    help="Translation memory; default $BILINGUAL_HOME/memory.sqlite; 'none' for none.",
)
@click.option(
    "--steps",
    default="repair,normalize,segment,translate,dedupe",
    show_default=True,
    help="Comma-separated steps to run.",
)
@click.option("--report", metavar="FILE", help="Write the full report (JSON) here.")
@click.option("--jsonl", is_flag=True, help="Inputs are JSON Lines; --field holds the text.")
@click.option("--field", "field_name", default="text", show_default=True)
@click.option("--id-field", default=None, metavar="NAME", help="With --jsonl: the item id.")
@click.option(
    "--glob",
    "pattern",
    default="*.txt",
    show_default=True,
    help="Files to take from folders (recursively).",
)
@click.option("--on-error", type=click.Choice(["fail", "skip"]), default="fail", show_default=True)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 if a number mismatch, lost term or untranslated span remains.",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "jsonl", "markdown"]),
    default=None,
    help="Output: text (default for text inputs), jsonl (default with --jsonl), "
    "markdown (a section per document).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (deduplication stays exact across all of them).",
)
def run_command(
    inputs: tuple[str, ...],
    output: str | None,
    target: str,
    glossaries: tuple[str, ...],
    engine: str,
    memory: str | None,
    steps: str,
    report: str | None,
    jsonl: bool,
    field_name: str,
    id_field: str | None,
    pattern: str,
    on_error: str,
    strict: bool,
    quiet: bool,
    jobs: int,
    fmt: str | None,
) -> None:
    """Repair, normalize, deduplicate and translate: clean text plus a report of everything.

    \b
    Examples:
      bilingual run examples/smm-battery-recycling.txt
      bilingual run pages/ --glob '*.html.txt' -o clean.txt --report report.json
      bilingual run --jsonl --field body --id-field url --to en < pages.jsonl > out.jsonl
      bilingual run --jsonl --jobs 2 big.jsonl -o out.jsonl --report report.json
    """
    from .pipeline import BUNDLED_GLOSSARIES, Pipeline
    from .translate.argos import home

    memory_path = None if (memory or "").lower() == "none" else (memory or home() / "memory.sqlite")
    pipeline = Pipeline(
        to=target,
        glossaries=glossaries or BUNDLED_GLOSSARIES,  # type: ignore[arg-type]
        engine=engine,
        memory=memory_path,
        steps=[s.strip() for s in steps.split(",") if s.strip()],
        field_name=field_name,
        id_field=id_field,
    )
    skipped: list[str] = []
    sources: collections.deque[tuple[str, dict[str, Any] | None]] = collections.deque()

    def fail_or_skip(error: BilingualError) -> None:
        if on_error == "fail":
            raise CliError(str(error))
        skipped.append(str(error))

    def items() -> Iterator[bytes | dict[str, Any]]:
        """Every input item; ``sources`` remembers where each came from, in order."""
        for path in _files(inputs, pattern):
            source = io.source_name(path)
            if not jsonl:
                try:
                    data = io.read_bytes(path)
                except BilingualError as e:
                    fail_or_skip(e)
                    continue
                sources.append((source, None))
                yield data
                continue
            with io.open_binary(path) as stream:
                for number, obj in io.iter_jsonl(stream, source):
                    if isinstance(obj, BilingualError):
                        fail_or_skip(obj)
                    elif not isinstance(obj.get(field_name), str):
                        fail_or_skip(
                            InputError(f"no field {field_name!r}", source=source, line=number)
                        )
                    else:
                        sources.append((f"{source}:{number}", obj))
                        yield obj

    try:
        with io.atomic_output(output) as out:
            fmt = fmt or ("jsonl" if jsonl else "text")
            results = pipeline.run(items(), jobs=jobs)
            if not quiet and sys.stderr.isatty():  # a progress bar for people, not for logs
                from tqdm import tqdm

                results = tqdm(results, unit="item", file=sys.stderr, mininterval=0.5)
            for result in results:
                source, obj = sources.popleft()
                if result.error:
                    fail_or_skip(
                        InputError(result.error.removeprefix(f"{source}: "), source=source)
                    )
                    continue
                if fmt == "markdown":
                    out.write(
                        f"## {source if obj is None else result.id}\n\n{result.text.strip()}\n\n"
                    )
                    continue
                if obj is None and fmt == "text":
                    out.write(result.text)
                    continue
                if obj is None:
                    obj = {"id": source, field_name: result.source_text}
                if target != "none":
                    obj[f"{field_name}_{target}"] = result.text
                obj["duplicate_of"] = [d["duplicate_of"] for d in result.duplicates] or None
                obj["duplicates"] = result.duplicates
                obj["issues"] = (
                    [str(i) for i in result.translation.issues] if result.translation else []
                )
                write_json(out, obj)
        if report:
            data = pipeline.report.to_dict() | {"skipped": skipped}
            with io.atomic_output(report) as out:
                out.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
    except BrokenPipeError:
        sys.stderr.close()
        return
    if not quiet:
        click.echo(f"bilingual: {pipeline.report.summary()}", err=True)
        if skipped:
            click.echo(
                f"bilingual: skipped {len(skipped)} input(s): " + "; ".join(skipped), err=True
            )
    if strict and pipeline.report.strict_failures:
        raise StrictFailed(f"--strict: {pipeline.report.strict_failures} unresolved issue(s)")
