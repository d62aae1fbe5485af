"""How an option is declared and checked: :func:`option` (a dataclass field carrying its
help, choices, bounds and CLI form) and :func:`check`, used when an options object is made
and when a config file is read. The table itself is :mod:`bilingual.options`."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from dataclasses import Field, field, fields
from typing import Any

from .errors import ConfigError

__all__ = ["Checked", "check", "option"]


def option(
    default: Any,
    help: str,
    *,
    commands: Iterable[str],
    flags: tuple[str, ...] = (),
    choices: tuple[Any, ...] | Callable[[], tuple[Any, ...]] | None = None,
    kind: type | tuple[type, ...] | None = None,
    low: float | None = None,
    high: float | None = None,
    metavar: str | None = None,
    negatable: bool = False,
) -> Any:
    """A field of the options table: its default, help and how the CLI offers it.

    ``flags``: the CLI's option names (default ``--name``); ``kind``: the accepted types
    (default: the default's type; ``None`` is accepted when the default is None);
    ``negatable``: a ``--name/--no-name`` switch.
    """
    if kind is None:
        kind = type(default)
    return field(
        default=default,
        metadata={
            "help": help,
            "commands": frozenset(commands),
            "flags": flags,
            "choices": choices,
            "kind": kind,
            "low": low,
            "high": high,
            "metavar": metavar,
            "negatable": negatable,
        },
    )


class Checked:
    """Checks every field against its metadata when an options object is made."""

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is not f.default:  # the defaults are written here, and right
                check(f, value)


def check(f: Field[Any], value: Any, where: str = "") -> Any:
    """``value`` if it is valid for option ``f``, else a ConfigError naming it."""
    meta = f.metadata
    name = f.name
    kind = meta["kind"]
    if value is None and (f.default is None or (isinstance(kind, tuple) and type(None) in kind)):
        return value
    if kind is tuple:
        if isinstance(value, str) or not isinstance(value, (tuple, list)):
            raise ConfigError(f"{where}option {name!r} must be a list, not {value!r}")
        if not all(isinstance(v, (str, os.PathLike)) for v in value):
            raise ConfigError(f"{where}option {name!r} must be a list of names, not {value!r}")
        if any("\0" in os.fspath(v) for v in value):
            raise ConfigError(f"{where}option {name!r} has a NUL character")
        return value
    if float in (kind if isinstance(kind, tuple) else (kind,)) and type(value) is int:
        value = float(value)
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if not ok:
        expected = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}option {name!r} must be {expected}, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{where}option {name!r} must be a finite number, not {value!r}")
    if isinstance(value, (str, os.PathLike)) and "\0" in os.fspath(value):
        raise ConfigError(f"{where}option {name!r} has a NUL character")
    choices = meta["choices"]
    if callable(choices):
        choices = choices()
    if choices is not None and value not in choices:
        raise ConfigError(
            f"{where}option {name!r} must be one of {', '.join(map(str, choices))}, not {value!r}"
        )
    if (meta["low"] is not None and value < meta["low"]) or (
        meta["high"] is not None and value > meta["high"]
    ):
        raise ConfigError(f"{where}option {name!r} must be in [{meta['low']}, {meta['high']}]")
    return value
