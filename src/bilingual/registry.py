"""Names → implementations: what the options accept and the CLI offers as choices.

Plain data (``"module:attribute"`` strings), so that reading it imports nothing; the code
is imported only when a name is used (:func:`bilingual.translate.get_engine`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["ENGINES", "opencc_configs"]

ENGINES: dict[str, tuple[str, str]] = {
    "argos": ("bilingual.translate.engines.argos:ArgosEngine", "argos"),
    "statistics": ("bilingual.translate.engines.statistics:StatisticsEngine", ""),
    "openai": ("bilingual.translate.engines.openai_chat:OpenAIEngine", "openai"),
    "deepl": ("bilingual.translate.engines.deepl_api:DeepLEngine", "deepl"),
    "libretranslate": (
        "bilingual.translate.engines.libretranslate:LibreTranslateEngine",
        "libretranslate",
    ),
}
"""Translation engine name → (``module:class``, the optional extra it needs, or "")."""


@lru_cache(maxsize=1)
def opencc_configs() -> tuple[str, ...]:
    """The OpenCC configuration names available, such as ``t2s``, ``s2twp``, ``hk2s``."""
    share = resources.files("opencc") / "clib" / "share" / "opencc"
    names = sorted(p.name[:-5] for p in share.iterdir() if p.name.endswith(".json"))
    return tuple(names) or ("hk2s", "s2hk", "s2t", "s2tw", "s2twp", "t2s", "tw2s", "tw2sp")
