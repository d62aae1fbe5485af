"""The ``bilingual`` command: a thin layer of argument parsing and I/O over the library.

Library errors (:class:`~bilingual.errors.BilingualError`) become one line on stderr and
exit status 2; nothing here holds logic the library does not offer.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import IO, Any

import click

from . import io
from .change import Change
from .cli_common import IOOptions, common_io, process, write_json
from .cli_dedupe import dedupe_command
from .cli_glossary import LintFailed, glossary_group
from .cli_run import StrictFailed, run_command
from .cli_translate import models_group, translate_command
from .errors import BilingualError
from .normalize import NormalizeOptions, explain, normalize
from .repair import decode
from .script import config_names, convert
from .segment import LEVELS, Level, detect_language, iter_segments, segment


def _print_changes(changes: list[Change], source: str) -> None:
    for c in changes:
        click.echo(
            f"{source}: {c.stage} {c.start}-{c.end} {c.before!r} -> {c.after!r} ({c.reason})",
            err=True,
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bilingual")
def cli() -> None:
    """Clean, segment, translate and deduplicate mixed Chinese/English text."""


@cli.command(name="normalize")
@common_io
@click.option(
    "--explain",
    "show_changes",
    is_flag=True,
    help="Print every change (stderr; a 'changes' field with --jsonl).",
)
@click.option("--no-width", is_flag=True, help="Keep full-width letters and digits.")
@click.option("--no-punctuation", is_flag=True, help="Keep punctuation as it is.")
@click.option("--no-spacing", is_flag=True, help="Leave spaces alone.")
@click.option(
    "--quotes",
    type=click.Choice(["context", "straight", "keep"]),
    default="context",
    show_default=True,
    help="How to treat quotes.",
)
@click.option(
    "--apostrophe",
    type=click.Choice(["’", "'"]),
    default="’",
    show_default=True,
    help="What a quote used as an apostrophe (SMM‘s) becomes.",
)
@click.option(
    "--script",
    type=click.Choice(config_names()),
    metavar="CONFIG",
    help="OpenCC config for Chinese runs: t2s, s2t, s2twp, tw2sp, hk2s, ...",
)
@click.option(
    "--overrides",
    type=click.Path(dir_okay=False),
    metavar="TSV",
    help="Phrase overrides (from<TAB>to) that win over OpenCC.",
)
def normalize_command(
    io_options: IOOptions,
    show_changes: bool,
    no_width: bool,
    no_punctuation: bool,
    no_spacing: bool,
    quotes: str,
    apostrophe: str,
    script: str | None,
    overrides: str | None,
) -> None:
    """Repair encoding damage and normalize width, punctuation, quotes and spacing.

    \b
    Examples:
      bilingual normalize examples/smm-battery-recycling.txt
      bilingual normalize --script t2s --explain page.txt -o clean.txt
      bilingual normalize --jsonl --field body < pages.jsonl > clean.jsonl
    """
    options = NormalizeOptions(
        width=not no_width,
        punctuation=not no_punctuation,
        spacing=not no_spacing,
        quotes=quotes,
        apostrophe=apostrophe,
        script=script,
        overrides=overrides,  # type: ignore[arg-type]
    )

    def on_text(path: str, source: str, out: IO[str]) -> None:
        data = io.read_bytes(path)
        if show_changes:
            text, changes = explain(data, options)
            out.write(text)
            _print_changes(changes, source)
        else:
            out.write(normalize(data, options))

    def on_record(obj: dict[str, Any], value: str) -> None:
        if show_changes:
            obj[io_options.field_name], changes = explain(value, options)
            obj["changes"] = [asdict(c) for c in changes]
        else:
            obj[io_options.field_name] = normalize(value, options)

    process(io_options, on_text, on_record)


@cli.command(name="convert")
@common_io
@click.option(
    "-c",
    "--config",
    type=click.Choice(config_names()),
    default="t2s",
    show_default=True,
    metavar="CONFIG",
    help=f"OpenCC config: {', '.join(config_names())}.",
)
def convert_command(
    io_options: IOOptions,
    config: str,
) -> None:
    """Convert between Traditional and Simplified Chinese with OpenCC.

    \b
    Examples:
      bilingual convert --config t2s traditional.txt
      echo 電動車進口 | bilingual convert -c tw2sp
    """

    def on_text(path: str, source: str, out: IO[str]) -> None:
        out.write(convert(decode(io.read_bytes(path))[0], config))

    def on_record(obj: dict[str, Any], value: str) -> None:
        obj[io_options.field_name] = convert(value, config)

    process(io_options, on_text, on_record)


@cli.command(name="segment")
@common_io
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default="sentence",
    show_default=True,
    help="Paragraphs, sentences, or language runs inside sentences.",
)
def segment_command(
    io_options: IOOptions,
    level: Level,
) -> None:
    """Split text into paragraphs, sentences or language runs, with offsets and languages.

    Prints one JSON object per segment (text, start, end, lang, mixed, name); the texts
    joined give the input back. With --jsonl, adds a 'segments' field to each object.
    Large files are streamed.

    \b
    Examples:
      bilingual segment examples/smm-battery-recycling.txt
      bilingual segment --level run page.txt | jq -c 'select(.lang != "en")'
      bilingual segment --jsonl --field body < pages.jsonl
    """

    def on_text(path: str, source: str, out: IO[str]) -> None:
        for seg in iter_segments(io.iter_text_lines(path), level):
            write_json(out, seg.to_dict())

    def on_record(obj: dict[str, Any], value: str) -> None:
        obj["segments"] = [seg.to_dict() for seg in segment(value, level)]

    process(io_options, on_text, on_record)


@cli.command(name="detect")
@common_io
def detect_command(
    io_options: IOOptions,
) -> None:
    """Print the language of each line (zh-Hans, zh-Hant, zh, en, ja, ko, ..., und).

    With --jsonl, adds a 'lang' field to each object instead.

    \b
    Examples:
      bilingual detect headlines.txt
      bilingual detect --jsonl --field title < items.jsonl
    """

    def on_text(path: str, source: str, out: IO[str]) -> None:
        for line in io.iter_text_lines(path):
            out.write(detect_language(line) + "\n")

    def on_record(obj: dict[str, Any], value: str) -> None:
        obj["lang"] = detect_language(value)

    process(io_options, on_text, on_record)


cli.add_command(glossary_group)
cli.add_command(translate_command)
cli.add_command(models_group)
cli.add_command(dedupe_command)
cli.add_command(run_command)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``bilingual`` console script."""
    # A terminated run unwinds like an interrupted one: temporary output files are removed.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli.main(args=argv, prog_name="bilingual", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("bilingual: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:  # usage errors and ours: one line
        click.echo(f"bilingual: error: {e.format_message()}", err=True)
        sys.exit(
            e.exit_code if e.exit_code != 1 or isinstance(e, (LintFailed, StrictFailed)) else 2
        )
    except BilingualError as e:  # raised outside a command's own handling
        click.echo(f"bilingual: error: {e}", err=True)
        sys.exit(2)
