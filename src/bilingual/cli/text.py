"""``bilingual normalize``, ``convert``, ``segment`` and ``detect``: the text stages."""

from __future__ import annotations

from dataclasses import asdict
from typing import IO, Any

import click

from .. import io
from ..change import Change
from ..options import PipelineOptions
from ..text.decode import decode
from ..text.language import detect_language
from ..text.markup import detect_format
from ..text.normalize import explain, normalize
from ..text.script import convert
from ..text.segment import iter_segments, segment
from .common import command_options, files_argument, output_option, process, write_json


def _print_changes(changes: list[Change], source: str) -> None:
    for c in changes:
        click.echo(
            f"{source}: {c.stage} {c.start}-{c.end} {c.before!r} -> {c.after!r} ({c.reason})",
            err=True,
        )


@click.command(name="normalize")
@files_argument
@output_option
@command_options("normalize")
def normalize_command(files: tuple[str, ...], output: str | None, options: PipelineOptions) -> None:
    """Repair encoding damage and normalize width, punctuation, quotes and spacing.

    FILES may be files, folders (their --glob files, recursively) or - for stdin.

    \b
    Examples:
      bilingual normalize examples/smm-battery-recycling.txt
      bilingual normalize --script t2s --explain page.txt -o clean.txt
      bilingual normalize --input-format auto README.zh.md -o clean.md
      bilingual normalize pages/ --glob '*.txt' -o all.txt
      bilingual normalize --jsonl --field body < pages.jsonl > clean.jsonl
    """

    def on_text(path: str, source: str, out: IO[str]) -> None:
        data = io.read_bytes(path)
        opts = options
        if options.input_format == "auto":  # by the file's extension, else its content
            opts = options.with_(input_format=detect_format(decode(data)[0], path))
        if options.explain:
            text, changes = explain(data, opts)
            out.write(text)
            if not options.quiet:
                _print_changes(changes, source)
        else:
            out.write(normalize(data, opts))

    def on_record(obj: dict[str, Any], value: str) -> None:
        if options.explain:
            obj[options.field_name], changes = explain(value, options)
            obj["changes"] = [asdict(c) for c in changes]
        else:
            obj[options.field_name] = normalize(value, options)

    process(options, files, output, on_text, on_record)


@click.command(name="convert")
@files_argument
@output_option
@command_options("convert")
def convert_command(files: tuple[str, ...], output: str | None, options: PipelineOptions) -> None:
    """Convert between Traditional and Simplified Chinese with OpenCC.

    \b
    Examples:
      bilingual convert --opencc t2s traditional.txt
      echo 電動車進口 | bilingual convert -c tw2sp
    """

    def on_text(path: str, source: str, out: IO[str]) -> None:
        out.write(convert(decode(io.read_bytes(path))[0], options.opencc))

    def on_record(obj: dict[str, Any], value: str) -> None:
        obj[options.field_name] = convert(value, options.opencc)

    process(options, files, output, on_text, on_record)


@click.command(name="segment")
@files_argument
@output_option
@command_options("segment")
def segment_command(files: tuple[str, ...], output: str | None, options: PipelineOptions) -> None:
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
    level: Any = options.level

    def on_text(path: str, source: str, out: IO[str]) -> None:
        for seg in iter_segments(io.iter_text_lines(path), level):
            write_json(out, seg.to_dict())

    def on_record(obj: dict[str, Any], value: str) -> None:
        obj["segments"] = [seg.to_dict() for seg in segment(value, level)]

    process(options, files, output, on_text, on_record)


@click.command(name="detect")
@files_argument
@output_option
@command_options("detect")
def detect_command(files: tuple[str, ...], output: str | None, options: PipelineOptions) -> None:
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

    process(options, files, output, on_text, on_record)
