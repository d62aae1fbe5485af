"""``bilingual translate`` and ``bilingual models``."""

from __future__ import annotations

from typing import IO, Any

import click

from . import io
from .cli_common import IOOptions, common_io, memory_path, process, translation_options


@click.command(name="translate")
@common_io
@click.option("--from", "source", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--to", "target", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@translation_options("Glossaries to enforce (repeat; later wins): automotive, ... or a file.")
@click.option(
    "--bilingual",
    "side_by_side",
    is_flag=True,
    help="Write each source paragraph followed by its translation.",
)
@click.option("--beam-size", type=int, default=4, show_default=True, help="argos: beam size.")
@click.option(
    "--device",
    type=click.Choice(["cpu", "cuda", "auto"]),
    default="cpu",
    show_default=True,
    help="argos: where CTranslate2 runs.",
)
def translate_command(
    io_options: IOOptions,
    source: str,
    target: str,
    glossaries: tuple[str, ...],
    engine: str,
    memory: str | None,
    side_by_side: bool,
    beam_size: int,
    device: str,
) -> None:
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
    from .glossary import Glossary
    from .translate import Memory, get_engine, translate

    glossary = Glossary.load(*glossaries, checked=True) if glossaries else None
    engine_obj = get_engine(
        engine,
        source,
        target,
        **({"beam_size": beam_size, "device": device} if engine in ("auto", "argos") else {}),
    )
    path = memory_path(memory)
    tm = Memory(path) if path is not None else None

    def run(text: str) -> Any:
        return translate(text, source, target, glossary=glossary, engine=engine_obj, memory=tm)[0]

    def on_text(path: str, source_name: str, out: IO[str]) -> None:
        from .repair import decode

        text = decode(io.read_bytes(path))[0]
        if side_by_side:
            from .segment import paragraph_spans

            for start, end in paragraph_spans(text):
                paragraph = text[start:end]
                result = run(paragraph)
                out.write(paragraph if paragraph.endswith("\n") else paragraph + "\n")
                if result.engine != "none":
                    out.write(result.text.rstrip("\n") + "\n\n")
                _report(result, source_name)
            return
        result = run(text)
        out.write(result.text)
        _report(result, source_name)

    def on_record(obj: dict[str, Any], value: str) -> None:
        result = run(value)
        obj[f"{io_options.field_name}_{target}"] = result.text
        obj["issues"] = [str(i) for i in result.issues]

    process(io_options, on_text, on_record)


def _report(result: Any, source: str) -> None:
    for issue in result.issues:
        where = f":{issue.span[0]}-{issue.span[1]}" if issue.span else ""
        click.echo(f"{source}{where}: {issue}", err=True)


@click.group(name="models")
def models_group() -> None:
    """Install, list and remove Argos translation models ($BILINGUAL_HOME/models)."""


@models_group.command(name="list")
def models_list() -> None:
    """List installed models.

    \b
    Example:
      bilingual models list
    """
    from .translate import argos

    for info in argos.installed():
        click.echo(str(info))


@models_group.command(name="install")
@click.argument("source")
@click.argument("target")
@click.option(
    "--index",
    metavar="URL",
    help="Package index (default: $BILINGUAL_PACKAGE_INDEX, else argostranslate's).",
)
def models_install(source: str, target: str, index: str | None) -> None:
    """Download and install the model for a language pair from the package index.

    \b
    Example:
      bilingual models install zh en
    """
    from .translate import argos

    click.echo(str(argos.install(source, target, url=index)))


@models_group.command(name="install-file")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def models_install_file(path: str) -> None:
    """Install a model from a .argosmodel file (checked first; nothing is left on failure).

    \b
    Example:
      bilingual models install-file translate-zh_en-1_9.argosmodel
    """
    from .translate import argos

    click.echo(str(argos.install_file(path)))


@models_group.command(name="remove")
@click.argument("name")
def models_remove(name: str) -> None:
    """Remove an installed model by name (see `bilingual models list`).

    \b
    Example:
      bilingual models remove translate-zh_en-1_9
    """
    from .translate import argos

    argos.remove(name)
