"""What every command shares: options built from the one options table, the config file,
inputs (files, folders, stdin, JSON Lines), the error policy and safe output."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import MISSING, Field, dataclass, field, fields
from typing import IO, Any

import click

from .. import io
from ..config import load_config
from ..errors import BilingualError, ConfigError, EngineError, InputError
from ..glossary import bundled
from ..options import PipelineOptions, options_fields
from ..output import atomic_output, check_paths
from ..paths import default_memory


class CliError(click.ClickException):
    """A user mistake: printed by :func:`bilingual.cli.main` as one line, exit status 2."""

    exit_code = 2


class Failed(click.ClickException):
    """The work was done but something needs a person (``--strict``, lint errors): exit 1."""

    exit_code = 1


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


# --- options from the table ------------------------------------------------------------------


class _ListType(click.ParamType):
    """A comma-separated list on the command line (``repair,normalize``), a list in TOML."""

    name = "list"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, (tuple, list)):
            return tuple(value)
        return tuple(part.strip() for part in str(value).split(",") if part.strip())


def _click_option(f: Field[Any]) -> Callable[[Any], Any]:
    meta = f.metadata
    flags = meta["flags"] or ("--" + f.name.replace("_", "-"),)
    default = f.default if f.default is not MISSING else None
    kwargs: dict[str, Any] = {"help": meta["help"], "show_default": default not in (None, False)}
    if meta["kind"] is bool:
        if meta["negatable"]:
            flags = (f"{flags[-1]}/--no-{flags[-1][2:]}",)
        else:
            kwargs["is_flag"] = True
    elif f.name == "steps":
        kwargs["type"] = _ListType()
        default = ",".join(f.default)  # type: ignore[arg-type]
    elif meta["kind"] is tuple:
        kwargs["multiple"] = True
    elif meta["choices"] is not None:
        choices = meta["choices"]() if callable(meta["choices"]) else meta["choices"]
        kwargs["type"] = click.Choice(list(choices))
    elif meta["kind"] in (int, float):
        range_type = click.IntRange if meta["kind"] is int else click.FloatRange
        kwargs["type"] = range_type(meta["low"], meta["high"])
    if meta["metavar"]:
        kwargs["metavar"] = meta["metavar"]
    return click.option(*flags, f.name, default=default, **kwargs)


def command_options(command: str) -> Callable[[Callable[..., Any]], Any]:
    """Add the options of ``command`` from the options table, and ``--config FILE``; the
    command receives them as one :class:`PipelineOptions` called ``options``. Defaults come
    from the table, then from the config file (``--config``, ``./bilingual.toml`` or
    ``[tool.bilingual]``), then the command line."""
    names = [f for f in fields(PipelineOptions) if command in f.metadata["commands"]]

    def decorate(function: Callable[..., Any]) -> Any:
        @functools.wraps(function)
        def wrapper(**kwargs: Any) -> Any:
            values = {f.name: kwargs.pop(f.name) for f in names}
            if "glossaries" in values and tuple(values["glossaries"]) in (("none",), ("",)):
                values["glossaries"] = ()
            options = PipelineOptions(**values)
            meta = click.get_current_context().meta
            meta[_READS] = [*meta.get(_READS, []), *_option_files(options, values)]
            return function(options=options, **kwargs)

        for f in reversed(names):
            wrapper = _click_option(f)(wrapper)
        return config_option(wrapper)

    return decorate


def config_option(function: Callable[..., Any]) -> Any:
    """``--config FILE``: option defaults from TOML (see :func:`bilingual.options.load_config`);
    keys that are options of other commands are ignored here."""

    def load(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        values, source = load_config(value)
        if source is not None:
            ctx.meta[_READS] = [*ctx.meta.get(_READS, []), source]
        own = {p.name for p in ctx.command.params}
        defaults = {k: (",".join(v) if k == "steps" else v) for k, v in values.items() if k in own}
        ctx.default_map = {**(ctx.default_map or {}), **defaults}
        return value

    return click.option(
        "--config",
        metavar="FILE",
        is_eager=True,
        expose_value=False,
        callback=load,
        help="Option defaults (TOML); default ./bilingual.toml or [tool.bilingual] in "
        "./pyproject.toml. The command line wins.",
    )(function)


_READS = "bilingual.reads"
"""Where a command's context keeps the files its options read (see :func:`files_read`)."""


def _option_files(options: PipelineOptions, given: Any) -> list[str]:
    """The files that the options a command has (``given``) name: its memory, glossary
    files and overrides file."""
    found: list[str] = []
    if "memory" in given and isinstance(options.memory, (str, os.PathLike)):
        name = os.fspath(options.memory)
        if name.lower() not in ("none", "", ":memory:"):
            found.append(str(default_memory()) if name == "default" else name)
    found += glossary_files(options.glossaries if "glossaries" in given else ())
    if "overrides" in given and isinstance(options.overrides, (str, os.PathLike)):
        found.append(os.fspath(options.overrides))
    return found


def glossary_files(specs: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The files of glossary names or paths (see :mod:`bilingual.glossary.bundled`)."""
    found = []
    for source in bundled.expand(specs):
        with contextlib.suppress(ConfigError):  # an unknown name fails when it is loaded
            found.append(str(bundled.resolve(source)))
    return found


def files_read() -> list[str]:
    """The files the running command reads besides its inputs (the config file, the
    memory, glossaries, overrides): no output may be one of them."""
    ctx = click.get_current_context(silent=True)
    return list(ctx.meta.get(_READS, [])) if ctx is not None else []


def table_keys() -> set[str]:
    """Every option name of the table (what config files may set)."""
    return set(options_fields())


# --- inputs and outputs ----------------------------------------------------------------------

TextHandler = Callable[[str, str, IO[str]], None]
"""Handles one whole input in text mode: (path, source name, output stream)."""
RecordHandler = Callable[[dict[str, Any], str], None]
"""Handles one JSONL record: (the object, its field's text); updates the object in place."""

files_argument = click.argument("files", nargs=-1, type=click.Path(allow_dash=True, dir_okay=True))
output_option = click.option(
    "-o", "--output", metavar="FILE", help="Write here (atomically), not to stdout."
)


def process(
    options: PipelineOptions,
    files: Sequence[str],
    output: str | None,
    on_text: TextHandler,
    on_record: RecordHandler,
    *,
    extra_outputs: Sequence[str | None] = (),
) -> ErrorPolicy:
    """Run a command over its inputs: the loop, error policy and safe output they share.
    Returns the policy (what was skipped) after its summary was printed."""
    fail_or_skip = ErrorPolicy(options.on_error)
    paths = list(io.iter_files(files, options.glob))
    check_paths([*paths, *files_read()], [output, *extra_outputs])
    try:
        with atomic_output(output) as out:
            for path in paths:
                source = io.source_name(path)
                if options.jsonl:
                    for number, obj, value in iter_records(
                        path, source, options.field_name, fail_or_skip
                    ):
                        try:
                            on_record(obj, value)
                        except EngineError:  # the engine, not the input: nothing to skip
                            raise
                        except BilingualError as e:
                            fail_or_skip(InputError(str(e), source=source, line=number))
                            continue
                        write_json(out, obj)
                        out.flush()
                    continue
                try:
                    on_text(path, source, out)
                except EngineError as e:  # the engine, not the input: nothing to skip
                    raise EngineError(f"{source}: {e}") from e
                except BilingualError as e:
                    fail_or_skip(_named(e, source))
    except BrokenPipeError:  # e.g. `bilingual normalize big.txt | head`
        sys.stderr.close()
        return fail_or_skip
    if not options.quiet:
        fail_or_skip.report()
    return fail_or_skip


def iter_records(
    path: str, source: str, field_name: str, fail_or_skip: Callable[[BilingualError], None]
) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(line number, object, its text) for each JSONL record of ``path`` with a string
    ``field_name``; lines that are not JSON objects or lack the field go to ``fail_or_skip``,
    with their line numbers."""
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


def write_json(out: IO[str], obj: Any) -> None:
    """One JSON object per line, UTF-8 as is; lone surrogates are written escaped."""
    try:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:
        out.write(json.dumps(obj) + "\n")


def _named(error: BilingualError, source: str) -> BilingualError:
    return error if str(error).startswith(source) else InputError(str(error), source=source)


def need_target(options: PipelineOptions) -> str:
    """``to`` for commands that translate: en or zh."""
    if options.to == "none":
        raise ConfigError("translate needs --to en or --to zh")
    return options.to
