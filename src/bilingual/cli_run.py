"""``bilingual run``: the whole pipeline, from a page, a folder or a JSONL stream."""

from __future__ import annotations

import collections
import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from . import io
from .cli_common import (
    ErrorPolicy,
    iter_records,
    memory_path,
    paraphrase_option,
    translation_options,
    write_json,
)
from .errors import BilingualError, InputError

if TYPE_CHECKING:
    from .pipeline import Result


class StrictFailed(click.ClickException):
    """``--strict`` and something untrusted remains: exit status 1."""

    exit_code = 1


@dataclass(frozen=True)
class _Context:
    """Where a result came from, for the writers."""

    source: str
    record: dict[str, Any] | None
    """The JSONL object, or None for a text input."""
    target: str
    field_name: str


def _write_text(out: IO[str], result: Result, ctx: _Context) -> None:
    out.write(
        result.text if ctx.record is None or result.text.endswith("\n") else result.text + "\n"
    )


def _write_jsonl(out: IO[str], result: Result, ctx: _Context) -> None:
    obj = ctx.record if ctx.record is not None else {"id": ctx.source}
    obj.setdefault(ctx.field_name, result.source_text)
    obj[f"{ctx.field_name}_clean"] = result.clean
    if ctx.target != "none":
        obj[f"{ctx.field_name}_{ctx.target}"] = result.text
    obj["segments"] = [s.to_dict() for s in result.segments]
    obj["duplicate_of"] = [d["duplicate_of"] for d in result.duplicates] or None
    obj["duplicates"] = result.duplicates
    obj["issues"] = [str(i) for i in result.translation.issues] if result.translation else []
    write_json(out, obj)


def _title(result: Result, ctx: _Context) -> str:
    return ctx.source if ctx.record is None else result.id


def _write_markdown(out: IO[str], result: Result, ctx: _Context) -> None:
    out.write(f"## {_title(result, ctx)}\n\n{result.text.strip()}\n\n")


def _write_bilingual(out: IO[str], result: Result, ctx: _Context) -> None:
    """A Markdown table, source and output side by side, a row per non-blank line (the
    translation keeps the source's line breaks, so lines align; should an engine add one,
    the rows shift rather than fail)."""
    source = result.translation.source_text if result.translation else result.text
    header = "translation" if ctx.target == "none" else ctx.target
    out.write(f"## {_title(result, ctx)}\n\n| source | {header} |\n|---|---|\n")
    lines = itertools.zip_longest(source.split("\n"), result.text.split("\n"), fillvalue="")
    for left, right in lines:
        if left.strip() or right.strip():
            out.write(f"| {_cell(left)} | {_cell(right)} |\n")
    out.write("\n")


def _cell(text: str) -> str:
    return text.strip().replace("\\", "\\\\").replace("|", "\\|")


_FORMATS: dict[str, Callable[[IO[str], Result, _Context], None]] = {
    "text": _write_text,
    "jsonl": _write_jsonl,
    "markdown": _write_markdown,
    "bilingual": _write_bilingual,
}
"""``--format`` name → writer of one result."""


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
@translation_options("Glossaries (repeat; later wins); default: all bundled ones.")
@click.option(
    "--steps",
    default="repair,normalize,segment,translate,dedupe",
    show_default=True,
    help="Comma-separated steps to run.",
)
@paraphrase_option
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
    type=click.Choice(list(_FORMATS)),
    default=None,
    help="Output: text (default for text inputs), jsonl (default with --jsonl), "
    "markdown (a section per document), bilingual (source and translation side by side).",
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
    paraphrase: float,
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

    pipeline = Pipeline(
        to=target,
        glossaries=glossaries or BUNDLED_GLOSSARIES,  # type: ignore[arg-type]
        engine=engine,
        memory=memory_path(memory),
        steps=[s.strip() for s in steps.split(",") if s.strip()],
        paraphrase=paraphrase or None,
        field_name=field_name,
        id_field=id_field,
    )
    fail_or_skip = ErrorPolicy(on_error)
    sources: collections.deque[tuple[str, dict[str, Any] | None]] = collections.deque()

    def items() -> Iterator[bytes | dict[str, Any]]:
        """Every input item; ``sources`` remembers where each came from, in order."""
        for path in _files(inputs, pattern):
            source = io.source_name(path)
            if jsonl:
                for number, obj, _ in iter_records(path, source, field_name, fail_or_skip):
                    sources.append((f"{source}:{number}", obj))
                    yield obj
                continue
            try:
                data = io.read_bytes(path)
            except BilingualError as e:
                fail_or_skip(e)
                continue
            sources.append((source, None))
            yield data

    write = _FORMATS[fmt or ("jsonl" if jsonl else "text")]
    try:
        with io.atomic_output(output) as out:
            results = pipeline.run(items(), jobs=jobs)
            if not quiet and sys.stderr.isatty():  # a progress bar for people, not for logs
                from tqdm import tqdm

                # delay: no bar flashes by for a small input
                results = tqdm(results, unit="item", file=sys.stderr, mininterval=0.5, delay=2)
            for result in results:
                source, obj = sources.popleft()
                if result.error:
                    fail_or_skip(
                        InputError(result.error.removeprefix(f"{source}: "), source=source)
                    )
                    continue
                write(out, result, _Context(source, obj, target, field_name))
        if report:
            with io.atomic_output(report) as out:
                pipeline.report.write_json(out, skipped=fail_or_skip.skipped)
    except BrokenPipeError:
        sys.stderr.close()
        return
    if not quiet:
        click.echo(f"bilingual: {pipeline.report.summary()}", err=True)
        fail_or_skip.report()
    if strict and pipeline.report.strict_failures:
        raise StrictFailed(f"--strict: {pipeline.report.strict_failures} unresolved issue(s)")
