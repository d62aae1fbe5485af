"""``bilingual translate``: the translation stage on its own."""

from __future__ import annotations

from typing import IO, Any

import click

from .. import io
from ..errors import ConfigError
from ..options import PipelineOptions
from ..pipeline.report import usage_summary
from ..text.decode import decode
from ..text.markup import resolve_format
from ..text.segment import paragraph_spans, segment
from ..translate import Translation, Translator
from ..translate.chain import usage_of
from ..translate.markup import translate_markup
from .common import Failed, command_options, files_argument, need_target, output_option, process


@click.command(name="translate")
@files_argument
@output_option
@command_options("translate")
def translate_command(files: tuple[str, ...], output: str | None, options: PipelineOptions) -> None:
    """Translate the Chinese sentences of a text into English (or the reverse), enforcing
    glossaries, guarding numbers, and remembering translations.

    Issues (lost terms, number mismatches, untranslated spans) go to stderr, or to an
    'issues' field with --jsonl, where the translation goes to '<field>_<to>'.

    \b
    Examples:
      bilingual translate --glossary automotive report.txt
      bilingual translate --jsonl --field body --memory tm.sqlite < items.jsonl
      bilingual translate --from en --to zh --bilingual notes.txt
    """
    target = need_target(options)
    translator = Translator(options.source_lang, target, options=options)
    strict_failures = 0

    def run(text: str, source_name: str | None) -> Translation:
        (result,) = translator([(text, segment(text, "sentence"))])
        return report(result, source_name)

    def report(result: Translation, source_name: str | None) -> Translation:
        nonlocal strict_failures
        strict_failures += sum(i.kind.strict for i in result.issues)
        if source_name is not None and not options.quiet:
            for issue in result.issues:
                where = f":{issue.span[0]}-{issue.span[1]}" if issue.span else ""
                click.echo(f"{source_name}{where}: {issue}", err=True)
        return result

    def on_text(path: str, source_name: str, out: IO[str]) -> None:
        text = decode(io.read_bytes(path))[0]
        fmt = resolve_format(options.input_format, text, path)
        if fmt != "text":  # only the document's text; code, tags and structure stay
            if options.side_by_side:
                raise ConfigError("--bilingual takes plain text, not --input-format " + fmt)
            out.write(report(translate_markup(translator, text, fmt), source_name).text)
            return
        if not options.side_by_side:
            out.write(run(text, source_name).text)
            return
        for start, end in paragraph_spans(text):
            paragraph = text[start:end]
            result = run(paragraph, source_name)
            out.write(paragraph if paragraph.endswith("\n") else paragraph + "\n")
            if result.engine != "none":
                out.write(result.text.rstrip("\n") + "\n\n")

    def on_record(obj: dict[str, Any], value: str) -> None:
        fmt = resolve_format(options.input_format, value)
        if fmt != "text":
            result = report(translate_markup(translator, value, fmt), None)
        else:
            result = run(value, None)
        obj[f"{options.field_name}_{target}"] = result.text
        obj["issues"] = [str(i) for i in result.issues]

    process(options, files, output, on_text, on_record)
    used = usage_summary({k: v for e in translator.engines for k, v in usage_of(e).items()})
    if used and not options.quiet:
        click.echo(f"bilingual: {used[2:]}", err=True)
    if options.strict and strict_failures:
        raise Failed(f"--strict: {strict_failures} unresolved issue(s)")
