"""bilingual: clean, segment, translate and deduplicate mixed Chinese/English text.

The public API is listed in ``__all__``; everything else is an implementation detail.
Importing this package has no side effects and loads no model.
"""

from __future__ import annotations

from .change import Change, apply_changes
from .dedupe import DedupeResult, Duplicate
from .document import Document
from .errors import (
    BilingualError,
    ConfigError,
    DecodeError,
    EngineError,
    GlossaryError,
    InputError,
    ModelError,
    OutputError,
)
from .glossary import Entry, Glossary, Match
from .options import DedupeOptions, NormalizeOptions, PipelineOptions, TranslateOptions
from .pipeline import Pipeline, Report, Result, dedupe
from .text.decode import decode
from .text.normalize import explain, normalize
from .text.repair import RepairOptions, repair
from .text.script import convert, detect_script
from .text.segment import Segment, detect_language, iter_segments, segment
from .translate import Issue, IssueKind, Memory, Translation, translate

DISTRIBUTION = "bilingual-toolkit"
"""The name to install: ``pip install bilingual-toolkit`` (``bilingual`` on the package
index is an unrelated project)."""


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed distribution when asked for."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(DISTRIBUTION)
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0"
    raise AttributeError(f"module 'bilingual' has no attribute {name!r}")


__all__ = [
    "DISTRIBUTION",
    "BilingualError",
    "Change",
    "ConfigError",
    "DecodeError",
    "DedupeOptions",
    "DedupeResult",
    "Document",
    "Duplicate",
    "EngineError",
    "Entry",
    "Glossary",
    "GlossaryError",
    "InputError",
    "Issue",
    "IssueKind",
    "Match",
    "Memory",
    "ModelError",
    "NormalizeOptions",
    "OutputError",
    "Pipeline",
    "PipelineOptions",
    "RepairOptions",
    "Report",
    "Result",
    "Segment",
    "TranslateOptions",
    "Translation",
    "apply_changes",
    "convert",
    "decode",
    "dedupe",
    "detect_language",
    "detect_script",
    "explain",
    "iter_segments",
    "normalize",
    "repair",
    "segment",
    "translate",
]
