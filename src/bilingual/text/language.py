"""Language identification: by Unicode script first, langdetect only for other Latin text.

Language (:func:`detect_language`) is decided by Unicode script first: Han vs Latin by
weight (a Han character counts one, a Latin word two, an acronym one), Kana makes
Japanese, Hangul Korean.
Han text is ``zh-Hans``/``zh-Hant``/``zh`` by :func:`bilingual.script.detect_script`
(never langdetect, which calls ``新能源汽车`` Korean). Latin text is English when it is
short, or has no sign of another language (its function words, diacritics) or more
English function words than such signs; only the rest goes to langdetect, with a fixed
seed so results never change (URLs and e-mail addresses are left out of the count).
Text without letters is ``und``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..chars import HAN, HANGUL, KANA_CLASS
from .script import detect_script

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

__all__ = ["CHINESE", "CJK_LANGS", "Weights", "detect_language", "language_of"]

CHINESE = frozenset({"zh", "zh-Hans", "zh-Hant"})
CJK_LANGS = CHINESE | {"ja", "ko"}

_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
LETTER_GROUP = re.compile(
    f"(?P<han>[{HAN}]+)|(?P<latin>[{_LATIN}]+)|(?P<kana>[{KANA_CLASS}\u30fc]+)"
    f"|(?P<hangul>[{HANGUL}]+)|(?P<other>[^\\W\\d_]+)"
)
LATIN_WORD = re.compile(f"[{_LATIN}]+(?:['’][{_LATIN}]+)?")

# Function words tell English from other Latin-script languages without langdetect,
# which costs 1.6 to 3 ms a sentence: langdetect is asked only when a text has signs of
# another language (its function words, or letters with diacritics) and few English ones.
_ENGLISH_WORDS = frozenset(
    """about after and are be been but by can could did does for from had has have her
    his into it its more most not of or our over said she than that the their them then
    there these they this those to were what when which while who will with would you
    your""".split()
)  # words that are rare in other Latin-script languages (no "in", "is", "was", "a")
_FOREIGN_WORDS = frozenset(
    """le la les de des du et est une un pour dans sur avec au aux qui que ce cette sont
    der die das und ist nicht mit für von zu dem ein eine auf sich auch
    el los las del y es una por para con se su al il di che della delle gli sono
    os das dos não com uma são het een en niet voor zijn ook och att det som med är på av
    nie się jest że ve bir bu için ile dan yang untuk dengan ini dari""".split()
)
_DIACRITIC = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_MIN_WORDS_FOR_LANGDETECT = 4
_LATIN_LANGS = frozenset(
    "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw "
    "tl tr vi".split()
)


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


def _latin_language(text: str) -> str:
    text = _ADDRESS.sub(" ", text)
    words = [w.lower() for w in LATIN_WORD.findall(text) if not w.isupper()]
    if len(words) < _MIN_WORDS_FOR_LANGDETECT:
        return "en"  # names, tickers, a few words: too short to tell; our texts are English
    foreign = sum(1 for w in words if w in _FOREIGN_WORDS) + bool(_DIACRITIC.search(text))
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    if not foreign or english >= 2 * foreign:
        return "en"
    code = _langdetect_code(" ".join(LATIN_WORD.findall(text)))
    return code if code in _LATIN_LANGS else "en"


@dataclass
class Weights:
    han: int = 0
    latin: int = 0  # two per word, one per acronym
    kana: int = 0
    hangul: int = 0
    other: int = 0

    @classmethod
    def of(cls, text: str) -> Weights:
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
        return _latin_language(text)
    return _langdetect_code(text) or "und"


def detect_language(text: str) -> str:
    """The language of ``text``: ``zh-Hans``, ``zh-Hant``, ``zh``, ``en``, another ISO 639-1
    code, or ``und`` (no letters). See the module docs for how it decides.

    >>> [detect_language(t) for t in ("新能源汽车", "電動車", "GEM signed", "東京の電池", "2025")]
    ['zh-Hans', 'zh-Hant', 'en', 'ja', 'und']
    """
    return language_of(text, Weights.of(text).script())
