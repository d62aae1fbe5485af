"""``bilingual run``: the whole pipeline, from a page, a folder or a JSONL stream."""

from __future__ import annotations

import collections
import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import click

from .. import io
from ..errors import BilingualError, InputError
from ..options import PipelineOptions
from ..output import atomic_output, check_paths
from ..pipeline import Pipeline, Result
from .common import (
    ErrorPolicy,
    Failed,
    command_options,
    files_argument,
    files_read,
    iter_records,
    output_option,
    write_json,
)


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
    obj: dict[str, Any] = ctx.record if ctx.record is not None else {"id": ctx.source}
    obj.setdefault(ctx.field_name, result.source_text)
    obj[f"{ctx.field_name}_clean"] = result.clean
    if ctx.target != "none":
        obj[f"{ctx.field_name}_{ctx.target}"] = result.text
    obj["segments"] = [s.to_dict() for s in result.segments]
    obj["duplicate_of"] = [d["duplicate_of"] for d in result.duplicates] or None
    obj["duplicates"] = result.duplicates
    obj["issues"] = [str(i) for i in result.translation.issues] if result.translation else []
    # Where things are, for `bilingual serve --review`: the kept paragraphs (by the unit ids
    # duplicates name), and the translation's terms, issues and alignment by span.
    obj["paragraphs"] = [[unit, start, end] for unit, start, end in result.units]
    if result.translation is not None:
        obj["translation"] = {k: v for k, v in result.translation.to_dict().items() if k != "text"}
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


@click.command(name="run")
@files_argument
@output_option
@command_options("run")
@click.option("--report", metavar="FILE", help="Write the full report (JSON) here.")
def run_command(
    files: tuple[str, ...], output: str | None, options: PipelineOptions, report: str | None
) -> None:
    """Repair, normalize, deduplicate and translate: clean text plus a report of everything.

    FILES may be files, folders (their --glob files, recursively) or - for stdin.

    \b
    Examples:
      bilingual run examples/smm-battery-recycling.txt
      bilingual run pages/ --glob '*.html.txt' -o clean.txt --report report.json
      bilingual run --jsonl --field body --id-field url --to en < pages.jsonl > out.jsonl
      bilingual run --jsonl --jobs 2 big.jsonl -o out.jsonl --report report.json
    """
    paths = list(io.iter_files(files, options.glob))
    check_paths([*paths, *files_read()], [output, report])
    pipeline = Pipeline(options)
    fail_or_skip = ErrorPolicy(options.on_error)
    sources: collections.deque[tuple[str, dict[str, Any] | None]] = collections.deque()

    def items() -> Iterator[bytes | dict[str, Any]]:
        """Every input item; ``sources`` remembers where each came from, in order."""
        for path in paths:
            source = io.source_name(path)
            if options.jsonl:
                for number, obj, _ in iter_records(path, source, options.field_name, fail_or_skip):
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

    write = _FORMATS[options.format or ("jsonl" if options.jsonl else "text")]
    try:
        with atomic_output(output) as out:
            results: Any = pipeline.run(items())
            if not options.quiet and sys.stderr.isatty():  # a progress bar for people
                from tqdm import tqdm

                # delay: no bar flashes by for a small input
                results = tqdm(results, unit="item", file=sys.stderr, mininterval=0.5, delay=2)
            for result in results:
                source, obj = sources.popleft()
                if result.error:
                    reason = getattr(result.error, "reason", str(result.error))
                    fail_or_skip(InputError(reason, source=source))
                    continue
                write(out, result, _Context(source, obj, options.to, options.field_name))
        if report:
            with atomic_output(report) as out:
                pipeline.report.write_json(out, skipped=fail_or_skip.skipped)
    except BrokenPipeError:
        sys.stderr.close()
        return
    if not options.quiet:
        click.echo(f"bilingual: {pipeline.report.summary()}", err=True)
        fail_or_skip.report()
    if options.strict and pipeline.report.strict_failures:
        raise Failed(f"--strict: {pipeline.report.strict_failures} unresolved issue(s)")
