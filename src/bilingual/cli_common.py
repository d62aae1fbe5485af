"""What every command shares: inputs, JSONL records, the error policy, atomic output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click

from . import io
from .errors import BilingualError, InputError


class CliError(click.ClickException):
    """A user mistake: printed by :func:`main` as one line, exit status 2."""

    exit_code = 2


@dataclass
class ErrorPolicy:
    """``--on-error``: stop at the first bad input (a one-line CLI error), or skip it and
    remember it for the closing summary."""

    on_error: str
    skipped: list[str] = field(default_factory=list)

    def __call__(self, error: BilingualError) -> None:
        if self.on_error == "fail":
            raise CliError(str(error))
        self.skipped.append(str(error))

    def report(self) -> None:
        if self.skipped:
            click.echo(f"bilingual: skipped {len(self.skipped)} input(s):", err=True)
            for line in self.skipped:
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
    fail_or_skip = ErrorPolicy(options.on_error)
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
    fail_or_skip.report()


def iter_records(
    path: str, source: str, field_name: str, fail_or_skip: Callable[[BilingualError], None]
) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(line number, object, its text) for each JSONL record of ``path`` with a string
    ``field_name``; lines that are not JSON objects or lack the field go to ``fail_or_skip``."""
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
            yield number, obj, value


def process_jsonl(
    path: str,
    source: str,
    out: IO[str],
    field_name: str,
    on_record: RecordHandler,
    fail_or_skip: Callable[[BilingualError], None],
) -> None:
    for number, obj, value in iter_records(path, source, field_name, fail_or_skip):
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


paraphrase_option = click.option(
    "--paraphrase",
    type=click.FloatRange(0.0, 1.0),
    default=0.45,
    show_default=True,
    help="Word similarity for paragraphs with the same figures (0: off).",
)
"""``bilingual dedupe`` and ``run``: the paraphrase check's threshold (see bilingual.dedupe)."""


def translation_options(glossary_help: str) -> Callable[[Callable[..., Any]], Any]:
    """``--glossary``, ``--engine`` (the registry's names) and ``--memory``, shared by
    ``bilingual translate`` and ``bilingual run``; see :func:`memory_path`."""
    from .translate import ENGINES

    options = [
        click.option(
            "-g",
            "--glossary",
            "glossaries",
            multiple=True,
            metavar="NAME_OR_PATH",
            help=glossary_help,
        ),
        click.option(
            "--engine", type=click.Choice(["auto", *ENGINES]), default="auto", show_default=True
        ),
        click.option(
            "--memory",
            default=None,
            metavar="PATH",
            help="Translation memory (SQLite file); default $BILINGUAL_HOME/memory.sqlite, "
            "'none' for no memory.",
        ),
    ]

    def decorate(f: Callable[..., Any]) -> Any:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def memory_path(value: str | None) -> Path | None:
    """The ``--memory`` file: the default one for no value, None for ``none``."""
    from .translate.argos import home

    if (value or "").lower() == "none":
        return None
    return Path(value) if value else home() / "memory.sqlite"


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
