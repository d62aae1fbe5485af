"""The ``bilingual`` command: a thin layer of argument parsing and I/O over the library.

One module per command group; options come from :mod:`bilingual.options` through
:func:`~bilingual.cli.common.command_options`. Library errors
(:class:`~bilingual.errors.BilingualError`) become one line on stderr and exit status 2;
nothing here holds logic the library does not offer.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence

import click

from ..errors import BilingualError
from .common import Failed
from .dedupe import dedupe_command
from .glossary import glossary_group
from .memory import memory_group
from .models import models_group
from .run import run_command
from .serve import serve_command
from .text import convert_command, detect_command, normalize_command, segment_command
from .translate import translate_command

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bilingual-toolkit", message="%(package)s %(version)s")
def cli() -> None:
    """Clean, segment, translate and deduplicate mixed Chinese/English text."""


for command in (
    normalize_command,
    convert_command,
    segment_command,
    detect_command,
    translate_command,
    dedupe_command,
    run_command,
    glossary_group,
    models_group,
    memory_group,
    serve_command,
):
    cli.add_command(command)


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
        sys.exit(e.exit_code if isinstance(e, Failed) or e.exit_code != 1 else 2)
    except BilingualError as e:  # raised outside a command's own handling
        click.echo(f"bilingual: error: {e}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("bilingual: interrupted", err=True)
        sys.exit(130)
