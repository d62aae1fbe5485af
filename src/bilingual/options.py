"""Every option of every stage, each with its one default and a one-line doc.

:class:`PipelineOptions` is the one table: the CLI builds its options from it (names,
defaults, choices, help), ``bilingual.toml`` / ``[tool.bilingual]`` are checked against it,
and :class:`~bilingual.Pipeline`, :func:`~bilingual.translate`, :func:`~bilingual.dedupe`
and :func:`~bilingual.normalize` take their defaults from it. It is made of one group per
stage, which the stages accept on their own (a :class:`PipelineOptions` is also a
:class:`NormalizeOptions`, a :class:`TranslateOptions` and a :class:`DedupeOptions`).

Values are checked when an options object is made: a wrong type or an unknown choice is a
:class:`~bilingual.errors.ConfigError` naming the option.

The rules for two options that users ask about most:

``glossaries``
    names of bundled glossaries (a bare word such as ``automotive``; ``bundled`` means all
    of them) or paths of glossary files (anything with a ``/`` or a file extension:
    ``./terms.tsv``, ``terms.tsv``). The default is every bundled glossary; an empty list
    means none. A bare word is never read from the working folder.
``memory``
    ``default`` is ``$BILINGUAL_HOME/memory.sqlite``; ``none`` turns the memory off;
    ``:memory:`` keeps a private one for the run; anything else is the path of a SQLite
    file. The same rule holds in the CLI and the API.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from typing import Any, TypeVar, cast

from .errors import ConfigError
from .registry import ENGINES

__all__ = [
    "STEPS",
    "DedupeOptions",
    "NormalizeOptions",
    "PipelineOptions",
    "TranslateOptions",
]

STEPS = ("repair", "normalize", "segment", "translate", "dedupe")
"""The pipeline's stages, in the order they run (dedupe runs before translate)."""

ALL = frozenset({"normalize", "convert", "segment", "detect", "translate", "dedupe", "run"})
TEXT = frozenset({"normalize", "run"})
TRANSLATING = frozenset({"translate", "run"})


def _opencc_configs() -> tuple[str, ...]:
    from .text.script import config_names

    return config_names()


def _engine_names() -> tuple[str, ...]:
    return ("auto", *ENGINES)


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


class _Checked:
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
        return value
    if float in (kind if isinstance(kind, tuple) else (kind,)) and type(value) is int:
        value = float(value)
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if not ok:
        expected = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}option {name!r} must be {expected}, not {value!r}")
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


@dataclass(frozen=True)
class NormalizeOptions(_Checked):
    """Options of :func:`bilingual.normalize`; every default is the recommended setting."""

    repair: bool = option(
        True,
        "Repair encoding damage (ftfy, Chinese mojibake) first.",
        commands=TEXT,
        negatable=True,
    )
    width: bool = option(
        True, "Fold full-width letters and digits to ASCII.", commands=TEXT, negatable=True
    )
    punctuation: bool = option(
        True, "Choose full-width or ASCII punctuation by context.", commands=TEXT, negatable=True
    )
    spacing: bool = option(
        True, "Space Han from Latin letters and digits; tidy spaces.", commands=TEXT, negatable=True
    )
    quotes: str = option(
        "context",
        "Quotes: fixed by context, all straight, or kept.",
        commands=TEXT,
        choices=("context", "straight", "keep"),
    )
    apostrophe: str = option(
        "’",
        "What a quote used as an apostrophe (SMM‘s) becomes.",
        commands=TEXT,
        choices=("’", "'"),
    )
    script: str | None = option(
        None,
        "OpenCC config for Chinese runs (t2s, s2t, s2twp, tw2sp, hk2s, ...); none: keep.",
        commands=TEXT,
        choices=_opencc_configs,
        kind=str,
        metavar="CONFIG",
    )
    overrides: str | os.PathLike[str] | Mapping[str, str] | None = option(
        None,
        "Phrases that win over OpenCC: a TSV file of from<TAB>to.",
        commands=TEXT,
        kind=(str, os.PathLike, Mapping),
        metavar="TSV",
    )


@dataclass(frozen=True)
class TranslateOptions(_Checked):
    """Options of :func:`bilingual.translate`."""

    to: str = option(
        "en",
        "Translate into this language; none: clean and dedupe only.",
        commands=TRANSLATING,
        choices=("en", "zh", "none"),
    )
    source: str = option(
        "auto",
        "The language translated from; auto: the other one of --to.",
        commands={"translate"},
        flags=("--from",),
        choices=("auto", "zh", "en"),
    )
    glossaries: tuple[str | os.PathLike[str], ...] = option(
        ("bundled",),
        "Glossaries (repeat; later wins): bundled names, 'bundled' for all, or ./files.",
        commands=TRANSLATING,
        flags=("-g", "--glossary"),
        kind=tuple,
        metavar="NAME_OR_PATH",
    )
    engine: str = option("auto", "Translation engine.", commands=TRANSLATING, choices=_engine_names)
    memory: str | os.PathLike[str] | None = option(
        "default",
        "Translation memory: default, none, or a SQLite file.",
        commands=TRANSLATING,
        kind=(str, os.PathLike, type(None)),
        metavar="PATH",
    )
    beam_size: int = option(4, "argos: beam size.", commands=TRANSLATING, low=1, high=64)
    device: str = option(
        "cpu",
        "argos: where CTranslate2 runs.",
        commands=TRANSLATING,
        choices=("cpu", "cuda", "auto"),
    )

    @property
    def source_lang(self) -> str:
        """The language translated from: ``source``, or the other one of ``to``."""
        if self.source != "auto":
            return self.source
        return "en" if self.to == "zh" else "zh"


@dataclass(frozen=True)
class DedupeOptions(_Checked):
    """Options of :func:`bilingual.dedupe`."""

    threshold: float = option(
        0.8,
        "Near-duplicate similarity (MinHash Jaccard estimate).",
        commands={"dedupe", "run"},
        low=0.01,
        high=1.0,
    )
    paraphrase: float = option(
        0.45,
        "Word similarity for paragraphs with the same figures (0: off).",
        commands={"dedupe", "run"},
        kind=(float, type(None)),
        low=0.0,
        high=1.0,
    )
    cross_lingual: bool = option(
        True,
        "Also match Chinese against English (figures and words).",
        commands={"dedupe", "run"},
        negatable=True,
    )
    semantic: bool = option(
        False,
        "Also compare sentence embeddings: paraphrases, translations without figures "
        "(the [semantic] extra; about 400-1,000 paragraphs/s).",
        commands={"dedupe", "run"},
        negatable=True,
    )
    dedupe_level: str = option(
        "paragraph",
        "Compare paragraphs, or whole items.",
        commands={"dedupe"},
        flags=("--level",),
        choices=("paragraph", "document"),
    )
    mark: bool = option(
        False, "Keep duplicates, labelled, instead of dropping them.", commands={"dedupe"}
    )


@dataclass(frozen=True)
class PipelineOptions(NormalizeOptions, TranslateOptions, DedupeOptions):
    """Every option of ``bilingual``: the stages' groups, and how the pipeline runs."""

    steps: tuple[str, ...] = option(
        STEPS, "Comma-separated steps to run.", commands={"run"}, kind=tuple
    )
    field_name: str = option(
        "text",
        "With --jsonl: the field holding the text; other fields are kept.",
        commands=ALL,
        flags=("--field",),
    )
    id_field: str | None = option(
        None, "With --jsonl: the field holding the item id.", commands={"dedupe", "run"}, kind=str
    )
    jobs: int = option(
        1,
        "Worker processes (deduplication stays exact across all of them).",
        commands={"run"},
        flags=("-j", "--jobs"),
        low=1,
        high=64,
    )
    level: str = option(
        "sentence",
        "Paragraphs, sentences, or language runs inside sentences.",
        commands={"segment"},
        choices=("paragraph", "sentence", "run"),
    )
    opencc: str = option(
        "t2s",
        "OpenCC config of `convert`: t2s, s2t, s2twp, tw2sp, hk2s, ...",
        commands={"convert"},
        flags=("-c", "--opencc"),
        choices=_opencc_configs,
        metavar="CONFIG",
    )
    jsonl: bool = option(False, "Inputs are JSON Lines; --field holds the text.", commands=ALL)
    glob: str = option(
        "*.txt", "Files to take from folders (recursively).", commands=ALL - {"convert"}
    )
    on_error: str = option(
        "fail",
        "Stop at the first bad input, or skip it and report.",
        commands=ALL,
        choices=("fail", "skip"),
    )
    strict: bool = option(
        False,
        "Exit 1 if a number mismatch, lost term or untranslated span remains.",
        commands=TRANSLATING,
    )
    quiet: bool = option(
        False, "No summary or issues on stderr.", commands=ALL, flags=("-q", "--quiet")
    )
    format: str | None = option(
        None,
        "Output: text (default), jsonl (default with --jsonl), markdown, or bilingual "
        "(source and translation side by side).",
        commands={"run"},
        choices=("text", "jsonl", "markdown", "bilingual"),
        kind=str,
    )
    side_by_side: bool = option(
        False,
        "Write each source paragraph followed by its translation.",
        commands={"translate"},
        flags=("--bilingual",),
    )
    explain: bool = option(
        False,
        "Print every change (stderr; a 'changes' field with --jsonl).",
        commands={"normalize"},
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        unknown = set(self.steps) - set(STEPS)
        if unknown:
            raise ConfigError(
                f"unknown step(s) {', '.join(sorted(unknown))}; choose from {', '.join(STEPS)}"
            )

    def with_(self, **changes: Any) -> PipelineOptions:
        """A copy with ``changes``; unknown names are a TypeError."""
        return replace(self, **_known(type(self), changes))


DEFAULTS = PipelineOptions()
"""Every default, for code that needs one value (``DEFAULTS.threshold``)."""

T = TypeVar("T", bound=_Checked)


def _known(cls: type[Any], values: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - names)
    if unknown:  # a mistake in code, like any unexpected keyword
        raise TypeError(f"unknown option(s): {', '.join(unknown)}")
    return dict(values)


def make(cls: type[T], options: T | None = None, **overrides: Any) -> T:
    """``options`` (or the defaults) with ``overrides`` applied, as a ``cls``."""
    names = [f.name for f in fields(cast(Any, cls))]
    values = {name: getattr(options, name) for name in names} if options else {}
    values.update(_known(cls, overrides))
    return cls(**values)


def options_fields() -> dict[str, Field[Any]]:
    """Option name → its field, for the CLI and the config file."""
    return {f.name: f for f in fields(PipelineOptions)}


def default_of(name: str) -> Any:
    """The default of one option."""
    f = options_fields()[name]
    return f.default if f.default is not MISSING else None
