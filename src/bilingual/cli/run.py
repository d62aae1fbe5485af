"""``bilingual run``: the whole pipeline, from a page, a folder or a JSONL stream."""

from __future__ import annotations

import collections
import io as io_
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
from ..pipeline.records import result_record
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
    write_json(out, result_record(result, ctx.record, ctx.source, ctx.target, ctx.field_name))


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


def emit(result: Result, context: Any, options: PipelineOptions) -> tuple[str, Any]:
    """What a Dask worker sends back for one item (``--scheduler``): its output as the
    format writes it, or its error."""
    if result.error is not None:
        if context is None:  # an input that could not be read: the reader's own message
            return "error", result.error
        reason = getattr(result.error, "reason", str(result.error))
        return "error", InputError(reason, source=context[0])
    source, obj = context
    out = io_.StringIO()
    write = _FORMATS[options.format or ("jsonl" if options.jsonl else "text")]
    write(out, result, _Context(source, obj, options.to, options.field_name))
    return "out", out.getvalue()


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

    try:
        with atomic_output(output) as out:
            if options.scheduler:  # the same outputs, from a Dask cluster
                _on_cluster(paths, options, pipeline, out, fail_or_skip)
            else:
                _here(pipeline, items(), sources, out, options, fail_or_skip)
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


def _here(
    pipeline: Pipeline,
    items: Iterator[bytes | dict[str, Any]],
    sources: collections.deque[tuple[str, dict[str, Any] | None]],
    out: IO[str],
    options: PipelineOptions,
    fail_or_skip: ErrorPolicy,
) -> None:
    """The run in this process (and its ``--jobs`` workers)."""
    write = _FORMATS[options.format or ("jsonl" if options.jsonl else "text")]
    results: Any = pipeline.run(items)
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


def _on_cluster(
    paths: list[str],
    options: PipelineOptions,
    pipeline: Pipeline,
    out: IO[str],
    fail_or_skip: ErrorPolicy,
) -> None:
    """``--scheduler``: the workers read, process and write; results come in input order."""
    from ..dask import connect, run_files

    with connect(options.scheduler or "local") as client:
        for outputs in run_files(client, paths, options, emit, pipeline.report):
            for kind, value in outputs:
                if kind == "error":
                    fail_or_skip(value)
                else:
                    out.write(value)
