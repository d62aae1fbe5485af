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
import re
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, fields, replace
from typing import Any, TypeVar, cast

from .errors import ConfigError
from .optionfield import Checked, option
from .registry import ENGINES, opencc_configs

__all__ = [
    "STEPS",
    "DedupeOptions",
    "NormalizeOptions",
    "PipelineOptions",
    "ServeOptions",
    "TranslateOptions",
]

STEPS = ("repair", "normalize", "segment", "translate", "dedupe")
"""The pipeline's stages, in the order they run (dedupe runs before translate)."""

ALL = frozenset({"normalize", "convert", "segment", "detect", "translate", "dedupe", "run"})
TEXT = frozenset({"normalize", "run"})
TRANSLATING = frozenset({"translate", "run"})
SERVE = frozenset({"serve"})


def _opencc_configs() -> tuple[str, ...]:
    return opencc_configs()


CT2_COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
"""CTranslate2's compute types (``default``: as the model was converted)."""


def _engine_names() -> tuple[str, ...]:
    return ("auto", *ENGINES)


@dataclass(frozen=True)
class NormalizeOptions(Checked):
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
    input_format: str = option(
        "text",
        "Input: text; markdown or html (only their text is changed: code, tags, URLs and "
        "structure are kept); auto: by file extension, else by content.",
        commands={"normalize", "translate", "run"},
        choices=("text", "markdown", "html", "auto"),
    )
    overrides: str | os.PathLike[str] | Mapping[str, str] | None = option(
        None,
        "Phrases that win over OpenCC: a TSV file of from<TAB>to.",
        commands=TEXT,
        kind=(str, os.PathLike, Mapping),
        metavar="TSV",
    )


@dataclass(frozen=True)
class TranslateOptions(Checked):
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
        commands=TRANSLATING | SERVE,
        flags=("-g", "--glossary"),
        kind=tuple,
        metavar="NAME_OR_PATH",
    )
    engine: str = option(
        "auto", "Translation engine.", commands=TRANSLATING | SERVE, choices=_engine_names
    )
    memory: str | os.PathLike[str] | None = option(
        "default",
        "Translation memory: default, none, or a SQLite file.",
        commands=TRANSLATING | SERVE,
        kind=(str, os.PathLike, type(None)),
        metavar="PATH",
    )
    fallback: str | None = option(
        None,
        "With --engine auto: the engine for what the statistics engine does not cover.",
        commands=TRANSLATING | SERVE,
        choices=("openai", "deepl", "libretranslate", "argos"),
        kind=str,
    )
    beam_size: int = option(4, "argos: beam size.", commands=TRANSLATING | SERVE, low=1, high=64)
    device: str = option(
        "cpu",
        "argos: where CTranslate2 runs (auto: a CUDA GPU when there is one).",
        commands=TRANSLATING | SERVE,
        choices=("cpu", "cuda", "auto"),
    )
    compute_type: str = option(
        "default",
        "argos: CTranslate2's compute type (int8 is fast on a CPU, float16 on a GPU).",
        commands=TRANSLATING | SERVE,
        choices=CT2_COMPUTE_TYPES,
    )
    url: str | None = option(
        None,
        "openai: the API's base URL (http://localhost:11434/v1); libretranslate, deepl: "
        "the server's URL.",
        commands=TRANSLATING | SERVE,
        flags=("--url", "--base-url"),
        kind=str,
    )
    model: str | None = option(
        None, "openai: the model name (required).", commands=TRANSLATING | SERVE, kind=str
    )
    api_key_env: str | None = option(
        None,
        "The environment variable holding the API key (default OPENAI_API_KEY, "
        "DEEPL_AUTH_KEY, LIBRETRANSLATE_API_KEY); keys are never options.",
        commands=TRANSLATING | SERVE,
        kind=str,
        metavar="VAR",
    )
    batch_size: int | None = option(
        None,
        "Sentences per request at most (default: the engine's limit).",
        commands=TRANSLATING | SERVE,
        kind=int,
        low=1,
        high=1024,
    )
    concurrency: int = option(
        4, "Requests to a server in flight at once.", commands=TRANSLATING | SERVE, low=1, high=64
    )
    timeout: float = option(
        120.0,
        "Seconds to wait for a server's whole answer.",
        commands=TRANSLATING | SERVE,
        low=1.0,
    )
    retries: int = option(
        4,
        "Retries of a request refused with 429/5xx or cut off (exponential backoff, "
        "Retry-After honoured).",
        commands=TRANSLATING | SERVE,
        low=0,
        high=20,
    )
    price: float | None = option(
        None,
        "Price per million billed units (openai: tokens; deepl, libretranslate: "
        "characters), for the cost estimate in the report.",
        commands=TRANSLATING | SERVE,
        kind=float,
        low=0.0,
    )
    formality: str = option(
        "default",
        "deepl: formality, where the target language has it.",
        commands=TRANSLATING | SERVE,
        choices=("default", "more", "less", "prefer_more", "prefer_less"),
    )
    context: str | None = option(
        None,
        "deepl: text that informs the translation and is not translated.",
        commands=TRANSLATING | SERVE,
        kind=str,
    )

    @property
    def source_lang(self) -> str:
        """The language translated from: ``source``, or the other one of ``to``."""
        if self.source != "auto":
            return self.source
        return "en" if self.to == "zh" else "zh"


@dataclass(frozen=True)
class DedupeOptions(Checked):
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
    memory_budget: str = option(
        "512M",
        "Memory the deduplication index may hold before it spills to a temporary file "
        "(SQLite; same duplicates found); none: no limit.",
        commands={"dedupe", "run"},
        metavar="SIZE",
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
class ServeOptions(Checked):
    """Options of ``bilingual serve``: where it listens, its limits, and what it reviews."""

    host: str = option(
        "127.0.0.1",
        "Address to listen on: loopback unless told otherwise (0.0.0.0: every interface).",
        commands=SERVE,
    )
    port: int = option(
        5000, "Port to listen on (0: any free port).", commands=SERVE, low=0, high=65535
    )
    workers: int = option(
        1, "Worker processes, each with its engines loaded once.", commands=SERVE, low=1, high=64
    )
    api_keys: str | os.PathLike[str] | None = option(
        None,
        "A file of API keys, one a line (KEY, or KEY<TAB>requests a minute); with it every "
        "request needs a key.",
        commands=SERVE,
        kind=(str, os.PathLike),
        metavar="FILE",
    )
    body_limit: int = option(
        1 << 20, "Largest request body, in bytes.", commands=SERVE, low=1024, high=1 << 30
    )
    char_limit: int = option(
        20_000, "Most characters to translate in one request.", commands=SERVE, low=1
    )
    req_limit: int = option(
        0,
        "Requests a minute per API key (or client address) and route; 0: no limit.",
        commands=SERVE,
        low=0,
    )
    request_timeout: float = option(
        30.0, "Seconds a request may take before it fails.", commands=SERVE, low=0.01, high=3600.0
    )
    batch_window: float = option(
        0.0,
        "Seconds to wait for more requests before an engine call, to translate them together "
        "(requests that arrive while the engine is busy are batched anyway).",
        commands=SERVE,
        low=0.0,
        high=1.0,
    )
    review: str | os.PathLike[str] | None = option(
        None,
        "A `bilingual run --format jsonl` result to review at /review.",
        commands=SERVE,
        kind=(str, os.PathLike),
        metavar="RESULT.jsonl",
    )


@dataclass(frozen=True)
class PipelineOptions(NormalizeOptions, TranslateOptions, DedupeOptions, ServeOptions):
    """Every option of ``bilingual``: the stages' groups, and how the pipeline runs."""

    steps: tuple[str, ...] = option(
        STEPS, "Comma-separated steps to run.", commands={"run"}, kind=tuple
    )
    field_name: str = option(
        "text",
        "With --jsonl: the field holding the text; other fields are kept (serve --review: "
        "the field the run worked on).",
        commands=ALL | SERVE,
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
    scheduler: str | None = option(
        None,
        "Run on a Dask cluster: tcp://HOST:PORT of its scheduler, or local[:N] for N local "
        "worker processes (the [dask] extra); the same outputs as --jobs.",
        commands={"run"},
        kind=str,
        metavar="tcp://HOST:PORT|local[:N]",
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
        False, "No summary or issues on stderr.", commands=ALL | SERVE, flags=("-q", "--quiet")
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
        memory_budget(self.memory_budget)
        unknown = set(self.steps) - set(STEPS)
        if unknown:
            raise ConfigError(
                f"unknown step(s) {', '.join(sorted(unknown))}; choose from {', '.join(STEPS)}"
            )

    def with_(self, **changes: Any) -> PipelineOptions:
        """A copy with ``changes``; unknown names are a TypeError."""
        return replace(self, **_known(type(self), changes))


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def memory_budget(text: str | int | None) -> int | None:
    """``--memory-budget`` in bytes: ``512M`` → 536870912, ``2G``; ``none`` → None (no
    limit). At least 1M.

    >>> memory_budget("512M"), memory_budget("none")
    (536870912, None)
    """
    if text is None or isinstance(text, int):
        return text or None
    if text.strip().lower() in ("none", "0", ""):
        return None
    m = _SIZE.match(text)
    if not m:
        raise ConfigError(f"memory budget must be a size like 512M or 2G, not {text!r}")
    size = int(float(m[1]) * 1024 ** " kmgt".index(m[2].lower() or " "))
    if size < 1 << 20:
        raise ConfigError(f"memory budget must be at least 1M, not {text!r}")
    return size


DEFAULTS = PipelineOptions()
"""Every default, for code that needs one value (``DEFAULTS.threshold``)."""

T = TypeVar("T", bound=Checked)


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
