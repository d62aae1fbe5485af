"""Names → implementations: what the options accept and the CLI offers as choices.

Plain data (``"module:attribute"`` strings), so that reading it imports nothing; the code
is imported only when a name is used (:func:`bilingual.translate.get_engine`).
"""

from __future__ import annotations

__all__ = ["ENGINES"]

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
