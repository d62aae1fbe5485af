"""``bilingual models``: install, list and remove Argos translation models."""

from __future__ import annotations

import json

import click

from ..translate import models


@click.group(name="models")
def models_group() -> None:
    """Install, list and remove Argos translation models ($BILINGUAL_HOME/models)."""


@models_group.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per model.")
def models_list(as_json: bool) -> None:
    """List installed models.

    \b
    Examples:
      bilingual models list
      bilingual models list --json
    """
    for info in models.installed():
        click.echo(json.dumps(info.to_dict(), ensure_ascii=False) if as_json else str(info))


@models_group.command(name="install")
@click.argument("source")
@click.argument("target")
@click.option(
    "--index",
    metavar="URL",
    help="Package index (default: $BILINGUAL_PACKAGE_INDEX, else Argos's).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def models_install(source: str, target: str, index: str | None, quiet: bool) -> None:
    """Download and install the model for a language pair from the package index.

    \b
    Example:
      bilingual models install zh en
    """
    info = models.install(source, target, url=index)
    if not quiet:
        click.echo(str(info))


@models_group.command(name="install-file")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def models_install_file(path: str, quiet: bool) -> None:
    """Install a model from a .argosmodel file (checked and loaded first; nothing is left
    behind on failure).

    \b
    Example:
      bilingual models install-file translate-zh_en-1_9.argosmodel
    """
    info = models.install_file(path)
    if not quiet:
        click.echo(str(info))


@models_group.command(name="remove")
@click.argument("name")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def models_remove(name: str, quiet: bool) -> None:
    """Remove an installed model by name (see `bilingual models list`).

    \b
    Example:
      bilingual models remove translate-zh_en-1_9
    """
    models.remove(name)
    if not quiet:
        click.echo(f"bilingual: removed {name}", err=True)
