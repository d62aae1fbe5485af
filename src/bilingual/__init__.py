"""bilingual: clean, segment, translate and deduplicate mixed Chinese/English text.

The public API is listed in ``__all__``; everything else is an implementation detail.
Importing this package has no side effects and loads no model.
"""

from __future__ import annotations

from .change import Change, apply_changes
from .dedupe import DedupeResult, Duplicate, dedupe
from .errors import BilingualError, ConfigError, DecodeError, GlossaryError, InputError
from .glossary import Entry, Glossary, Match
from .normalize import NormalizeOptions, explain, normalize
from .pipeline import Pipeline
from .repair import RepairOptions, decode, repair
from .script import convert, detect_script
from .segment import Segment, detect_language, iter_segments, segment
from .translate import Issue, Memory, Translation, translate

__version__ = "0.1.0"

__all__ = [
    "BilingualError",
    "Change",
    "ConfigError",
    "DecodeError",
    "DedupeResult",
    "Duplicate",
    "Entry",
    "Glossary",
    "GlossaryError",
    "InputError",
    "Issue",
    "Match",
    "Memory",
    "NormalizeOptions",
    "Pipeline",
    "RepairOptions",
    "Segment",
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
