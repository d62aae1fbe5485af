"""Option defaults from a file: ``bilingual.toml``, or ``[tool.bilingual]`` in ``pyproject.toml``.

Keys are the names of :class:`~bilingual.options.PipelineOptions` fields (``-`` or ``_``;
``glossary``, ``field`` and ``from`` as on the command line); every value is checked like
an option given in code.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .io import read_file
from .optionfield import check
from .options import options_fields

__all__ = ["load_config"]


def load_config(path: str | os.PathLike[str] | None = None) -> tuple[dict[str, Any], str | None]:
    """Option values from a TOML file, and the file's name: ``path``, else
    ``./bilingual.toml``, else ``[tool.bilingual]`` of ``./pyproject.toml``; ({}, None) when
    there is none. Keys are option names (``-`` or ``_``); each value is checked, and an
    unknown key or a wrong value is a ConfigError naming the file and the key."""
    table: Any
    if path is not None:
        source = Path(path)
        table = _read_toml(source)
    elif Path("bilingual.toml").is_file():
        source = Path("bilingual.toml")
        table = _read_toml(source)
    elif Path("pyproject.toml").is_file():
        source = Path("pyproject.toml")
        tool = _read_toml(source).get("tool")
        table = tool.get("bilingual") if isinstance(tool, dict) else None
        if table is None:
            return {}, None
    else:
        return {}, None
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.bilingual] must be a table")
    known = options_fields()
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = {"glossary": "glossaries", "field": "field_name", "from": "source"}.get(
            key, key.replace("-", "_")
        )
        if name not in known:
            raise ConfigError(f"{source}: unknown option {key!r}")
        if isinstance(value, list):
            value = tuple(value)
        values[name] = check(known[name], value, where=f"{source}: ")
    return values, str(source)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = read_file(path)
    except InputError as e:
        raise ConfigError(str(e)) from e
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not a TOML file (not UTF-8 text)") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    except RecursionError as e:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from e
