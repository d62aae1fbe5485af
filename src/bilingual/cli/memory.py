"""``bilingual memory``: the translation memory, exchanged as TMX 1.4."""

from __future__ import annotations

import json

import click

from ..options import DEFAULTS
from ..translate import Memory, open_memory

_memory_option = click.option(
    "--memory",
    default=DEFAULTS.memory,
    show_default=True,
    metavar="PATH",
    help="The memory (SQLite file); default: $BILINGUAL_HOME/memory.sqlite.",
)


def _open(spec: str) -> Memory:
    memory = open_memory(spec)
    if memory is None:
        raise click.BadParameter("give a memory, not none", param_hint="--memory")
    return memory


@click.group(name="memory")
def memory_group() -> None:
    """Import, export and count the translation memory."""


@memory_group.command(name="import")
@click.argument("tmx", type=click.Path(dir_okay=False))
@_memory_option
@click.option(
    "--engine",
    default="human",
    show_default=True,
    help="Engine id of units without x-engine; 'human' units win over every engine.",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def import_command(tmx: str, memory: str, engine: str, quiet: bool) -> None:
    """Add the units of a TMX file (from OmegaT, Trados, translate-toolkit, ...).

    \b
    Example:
      bilingual memory import reviewed.tmx --memory tm.sqlite
    """
    count = _open(memory).import_tmx(tmx, engine=engine)
    if not quiet:
        click.echo(f"bilingual: imported {count} unit(s) into {memory}", err=True)


@memory_group.command(name="export")
@click.option("-o", "--output", required=True, metavar="FILE", help="The TMX file to write.")
@_memory_option
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def export_command(output: str, memory: str, quiet: bool) -> None:
    """Write every unit as TMX 1.4.

    \b
    Example:
      bilingual memory export -o memory.tmx
    """
    count = _open(memory).export_tmx(output)
    if not quiet:
        click.echo(f"bilingual: exported {count} unit(s) to {output}", err=True)


@memory_group.command(name="stats")
@_memory_option
@click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
def stats_command(memory: str, as_json: bool) -> None:
    """Count the units by engine and language pair.

    \b
    Example:
      bilingual memory stats --memory tm.sqlite
    """
    stats = _open(memory).stats()
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False))
        return
    click.echo(f"{stats['path']}: {stats['units']} unit(s)")
    for row in stats["by_engine"]:  # type: ignore[attr-defined]
        click.echo(f"  {row['units']:8}  {row['source']} → {row['target']}  {row['engine']}")
