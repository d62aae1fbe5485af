"""Traditional/Simplified Chinese: OpenCC conversion and script detection.

``detect_script`` decides zh-Hans vs zh-Hant by how much OpenCC would change the Han
characters of a text in each direction, not by langdetect (which gets 187 of 554
Traditional HSK sentences right). Text whose characters are the same in both scripts
(``中国人``) is ``"zh"``.

Limits: the decision is per text, so a text that mixes both scripts gets the majority;
Japanese kanji that differ from Chinese forms count as Traditional (callers decide
Japanese first, by its Kana).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..chars import HAN_RUN
from ..errors import ConfigError, InputError
from ..options import DEFAULTS
from ..registry import opencc_configs as config_names

if TYPE_CHECKING:
    import opencc

__all__ = ["config_names", "convert", "detect_script", "load_overrides"]


@cache
def _converter(config: str) -> opencc.OpenCC:
    if config.endswith(".json"):
        config = config[:-5]
    if config not in config_names():
        raise ConfigError(
            f"unknown OpenCC config {config!r}; choose one of {', '.join(config_names())}"
        )
    import opencc  # the C extension loads its dictionaries lazily per config

    return opencc.OpenCC(config)


def convert(text: str, config: str = DEFAULTS.opencc) -> str:
    """Convert ``text`` with an OpenCC config (``t2s``, ``s2t``, ``s2twp``, ``tw2sp``, ...).

    Raises :class:`~bilingual.errors.ConfigError` for an unknown config name.
    """
    converted: str = _converter(config).convert(text)
    return converted


def _changed(a: str, b: str) -> int:
    if len(a) == len(b):
        return sum(1 for x, y in zip(a, b, strict=True) if x != y)
    return max(len(a), len(b))


def detect_script(text: str) -> str | None:
    """``"zh-Hans"``, ``"zh-Hant"``, ``"zh"`` (reads the same in both) or None (no Han).

    >>> [detect_script(t) for t in ("电动车", "電動車", "中文", "EV")]
    ['zh-Hans', 'zh-Hant', 'zh', None]
    """
    han = "".join(HAN_RUN.findall(text))
    if not han:
        return None
    traditional = _changed(han, convert(han, "t2s"))  # characters only Traditional uses
    simplified = _changed(han, convert(han, "s2t"))  # characters only Simplified uses
    if traditional > simplified:
        return "zh-Hant"
    if simplified > traditional:
        return "zh-Hans"
    return "zh"


def load_overrides(source: str | os.PathLike[str] | Mapping[str, str]) -> dict[str, str]:
    """Phrase overrides that win over OpenCC: a mapping, or a TSV file of ``from<TAB>to``.

    Lines starting with ``#`` and blank lines are skipped. Raises
    :class:`~bilingual.errors.ConfigError` naming the file and line of a malformed row.
    """
    if isinstance(source, Mapping):
        return dict(source)
    from ..io import read_file

    path = Path(source)
    try:
        lines = read_file(path).decode("utf-8").splitlines()
    except (InputError, UnicodeDecodeError) as e:
        reason = e.reason if isinstance(e, InputError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot read overrides: {reason}") from e
    overrides: dict[str, str] = {}
    for number, row in enumerate(csv.reader(lines, delimiter="\t"), start=1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) != 2 or not row[0] or not row[1]:
            raise ConfigError(f"{path}:{number}: expected 'from<TAB>to', got {row!r}")
        overrides[row[0]] = row[1]
    return overrides
