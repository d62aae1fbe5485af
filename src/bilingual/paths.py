"""Where ``bilingual`` keeps its files: models, the default memory, caches.

Everything lives under ``$BILINGUAL_HOME`` (default: ``bilingual`` in the user's data
directory, ``$XDG_DATA_HOME`` or ``~/.local/share``). Nothing is created on import.
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """``$BILINGUAL_HOME``, or ``bilingual`` in the user's data directory."""
    if os.environ.get("BILINGUAL_HOME"):
        return Path(os.environ["BILINGUAL_HOME"])
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "bilingual"


def models_dir() -> Path:
    """Installed translation models, one folder each."""
    return home() / "models"


def cache_dir() -> Path:
    """Data built from installed packages (rebuilt when they change); safe to delete."""
    return home() / "cache"


def default_memory() -> Path:
    """The translation memory used when no other is named."""
    return home() / "memory.sqlite"
