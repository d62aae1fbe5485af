"""Language identification: by Unicode script first, then by the words of Latin text.

Language (:func:`detect_language`) is decided by Unicode script first: Han vs Latin by
weight (a Han character counts one, a Latin word two, an acronym one; addresses count
nothing), Kana makes Japanese, Hangul Korean. Han text is ``zh-Hans``/``zh-Hant``/``zh``
by :func:`bilingual.script.detect_script` (never a statistical detector, which calls
``新能源汽车`` Korean). Latin text is English, one of 29 other Latin-script languages, or
``und``, by :func:`bilingual.text.latin.latin_language` (English function words and word
list first; lingua for the rest). Other scripts (Cyrillic, Arabic, Thai, ...) go to
langdetect with a fixed seed. Text without letters is ``und``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..chars import HAN, HANGUL, KANA_CLASS
from .latin import latin_language
from .script import detect_script

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

__all__ = ["CHINESE", "CJK_LANGS", "Weights", "detect_language", "language_of"]

CHINESE = frozenset({"zh", "zh-Hans", "zh-Hant"})
CJK_LANGS = CHINESE | {"ja", "ko"}

_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
# 々 and 〇 count as Han; a run of another script stops where one of these begins (it
# used to swallow the rest of 長崎県佐々町でセフレ…).
LETTER_GROUP = re.compile(
    f"(?P<han>[{HAN}\u3005\u3007]+)|(?P<latin>[{_LATIN}]+)|(?P<kana>[{KANA_CLASS}\u30fc]+)"
    f"|(?P<hangul>[{HANGUL}]+)|(?P<other>[^\\W\\d_{HAN}\u3005\u3007{_LATIN}{KANA_CLASS}{HANGUL}]+)"
)
LATIN_WORD = re.compile(f"[{_LATIN}]+(?:['’][{_LATIN}]+)?")


@lru_cache(maxsize=1)
def _langdetect() -> DetectorFactory:
    """Our own seeded langdetect factory: no global state of langdetect is touched."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


@lru_cache(maxsize=4096)  # boilerplate repeats across a corpus
def _langdetect_code(text: str) -> str | None:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _langdetect().create()
    detector.append(text[:5000])
    try:
        code: str = detector.detect()
    except LangDetectException:
        return None
    return {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(code, code)


# Addresses are not prose: their parts (`service.en@smm.cn`) would read as words.
_ADDRESS = re.compile(r"\S+@\S+|(?:https?|ftp)://\S+|www\.\S+")


@dataclass
class Weights:
    han: int = 0
    latin: int = 0  # two per word, one per acronym
    kana: int = 0
    hangul: int = 0
    other: int = 0

    @classmethod
    def of(cls, text: str) -> Weights:
        if "@" in text or "://" in text or "www." in text:
            text = _ADDRESS.sub(" ", text)  # addresses are not words (이헌재기자 uni@donga.com)
        w = cls()
        for m in LETTER_GROUP.finditer(text):
            kind = m.lastgroup
            if kind == "latin":
                w.latin += 1 if m.group().isupper() else 2  # acronyms are names, not prose
            elif kind == "other":
                w.other += 1
            else:
                setattr(w, kind, getattr(w, kind) + len(m.group()))  # type: ignore[arg-type]
        return w

    def total(self) -> int:
        return self.han + self.latin + self.kana + self.hangul + self.other

    def script(self) -> str | None:
        """The dominant script: han, latin, kana (Japanese), hangul, other; None if no letters."""
        if not self.total():
            return None
        if self.kana and self.kana * 20 >= self.han + self.kana:
            return "kana"
        best = max(
            ("han", self.han),
            ("latin", self.latin),
            ("hangul", self.hangul),
            ("other", self.other),
            key=lambda kv: kv[1],
        )
        return best[0]

    def share_not(self, script: str) -> float:
        main = self.han + self.kana if script == "kana" else getattr(self, script)
        total = self.total()
        return round((total - main) / total, 3) if total else 0.0


def language_of(text: str, script: str | None) -> str:
    if script is None:
        return "und"
    if script == "han":
        return detect_script(text) or "zh"
    if script == "kana":
        return "ja"
    if script == "hangul":
        return "ko"
    if script == "latin":
        return latin_language(text)
    return _langdetect_code(text) or "und"


def detect_language(text: str) -> str:
    """The language of ``text``: ``zh-Hans``, ``zh-Hant``, ``zh``, ``en``, another ISO 639-1
    code, or ``und`` (no letters). See the module docs for how it decides.

    >>> [detect_language(t) for t in ("新能源汽车", "電動車", "GEM signed", "東京の電池", "2025")]
    ['zh-Hans', 'zh-Hant', 'en', 'ja', 'und']
    """
    return language_of(text, Weights.of(text).script())
