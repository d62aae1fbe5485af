"""Translation: Chinese ↔ English with enforced glossaries, exact numbers and a memory.

``translate(texts, source, target, glossary=, engine=, memory=)`` segments each text,
translates the sentences in the source language (Latin names inside them are kept as they
are) and the source-language phrases inside other sentences (``a 三元前驱体 workshop``),
and returns a :class:`Translation` per text with the terms it applied and the issues a
pipeline should see. Engines come from a registry of names
(:data:`~bilingual.translate.engines.ENGINES`), imported only when used:
``bilingual normalize`` never loads CTranslate2.
"""

from __future__ import annotations

from .engines import ENGINES, Capabilities, Engine, get_engine
from .memory import Memory
from .result import AppliedTerm, Issue, IssueKind, Translation
from .translator import Translator, load_glossary, open_memory, translate

__all__ = [
    "ENGINES",
    "AppliedTerm",
    "Capabilities",
    "Engine",
    "Issue",
    "IssueKind",
    "Memory",
    "Translation",
    "Translator",
    "get_engine",
    "load_glossary",
    "open_memory",
    "translate",
]
