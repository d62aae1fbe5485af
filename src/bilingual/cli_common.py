"""What every command shares: inputs, JSONL records, the error policy, atomic output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

import click

from . import io
from .errors import BilingualError, InputError


class CliError(click.ClickException):
    """A user mistake: printed by :func:`main` as one line, exit status 2."""

    exit_code = 2


@dataclass
class _Skipped:
    """What ``--on-error skip`` passed over, for the closing summary."""

    errors: list[str] = field(default_factory=list)

    def report(self) -> None:
        if self.errors:
            click.echo(f"bilingual: skipped {len(self.errors)} input(s):", err=True)
            for line in self.errors:
                click.echo(f"  {line}", err=True)


TextHandler = Callable[[str, str, IO[str]], None]
"""Handles one whole input in text mode: (path, source name, output stream)."""
RecordHandler = Callable[[dict[str, Any], str], None]
"""Handles one JSONL record: (the object, its field's text); updates the object in place."""


@dataclass(frozen=True)
class IOOptions:
    """The input and output options every text command shares (see :func:`common_io`)."""

    files: tuple[str, ...]
    output: str | None
    jsonl: bool
    field_name: str
    on_error: str


def process(options: IOOptions, on_text: TextHandler, on_record: RecordHandler) -> None:
    """Run a command over its inputs: the loop, error policy and atomic output they share."""
    skipped = _Skipped()

    def fail_or_skip(error: BilingualError) -> None:
        if options.on_error == "fail":
            raise CliError(str(error))
        skipped.errors.append(str(error))

    try:
        with io.atomic_output(options.output) as out:
            for path in options.files or [io.STDIN]:
                source = io.source_name(path)
                if options.jsonl:
                    process_jsonl(path, source, out, options.field_name, on_record, fail_or_skip)
                    continue
                try:
                    on_text(path, source, out)
                except BilingualError as e:
                    fail_or_skip(_named(e, source))
    except BilingualError as e:  # raised while opening or writing the output
        raise CliError(str(e)) from e
    except BrokenPipeError:  # e.g. `bilingual normalize big.txt | head`
        sys.stderr.close()
        return
    skipped.report()


def process_jsonl(
    path: str,
    source: str,
    out: IO[str],
    field_name: str,
    on_record: RecordHandler,
    fail_or_skip: Callable[[BilingualError], None],
) -> None:
    with io.open_binary(path) as stream:
        for number, obj in io.iter_jsonl(stream, source):
            if isinstance(obj, BilingualError):
                fail_or_skip(obj)
                continue
            value = obj.get(field_name)
            if not isinstance(value, str):
                problem = "no field" if value is None else "not a string: field"
                fail_or_skip(InputError(f"{problem} {field_name!r}", source=source, line=number))
                continue
            try:
                on_record(obj, value)
            except BilingualError as e:
                fail_or_skip(InputError(str(e), source=source, line=number))
                continue
            write_json(out, obj)
            out.flush()


def write_json(out: IO[str], obj: Any) -> None:
    """One JSON object per line, UTF-8 as is; lone surrogates are written escaped."""
    try:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:
        out.write(json.dumps(obj) + "\n")


def _named(error: BilingualError, source: str) -> BilingualError:
    return error if str(error).startswith(source) else InputError(str(error), source=source)


_common_io = [
    click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True)),
    click.option("-o", "--output", metavar="FILE", help="Write here (atomically), not stdout."),
    click.option("--jsonl", is_flag=True, help="Input is JSON Lines; transform one field."),
    click.option(
        "--field",
        "field_name",
        default="text",
        show_default=True,
        help="With --jsonl: the field to transform; other fields are kept.",
    ),
    click.option(
        "--on-error",
        type=click.Choice(["fail", "skip"]),
        default="fail",
        show_default=True,
        help="Stop at the first bad input, or skip and report.",
    ),
]


def common_io(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add the shared input/output options; the command receives them as one ``IOOptions``."""

    @functools.wraps(f)
    def command(
        files: tuple[str, ...],
        output: str | None,
        jsonl: bool,
        field_name: str,
        on_error: str,
        **kwargs: Any,
    ) -> Any:
        return f(IOOptions(files, output, jsonl, field_name, on_error), **kwargs)

    for decorator in reversed(_common_io):
        command = decorator(command)
    return command
