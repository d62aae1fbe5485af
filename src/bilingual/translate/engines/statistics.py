"""A model-free engine for formulaic market-statistics sentences (Chinese → English).

CAAM, CPCA, customs, NBS, SMM and company releases are written in a few dozen clause
shapes, which general NMT models garble (万 and 亿, 同比/环比, 个百分点). This engine
translates them clause by clause from a grammar kept as data
(``bilingual/data/statistics.toml``), with numbers converted exactly by
:mod:`bilingual.numbers` and nouns from the grammar's tables and the glossary.

It never guesses. A clause it does not recognise is left byte-for-byte as it was, with
its own punctuation; so are the lead clauses (source, time) that lead it and the change
clauses that hang on it, because English for them alone would mislead. English and
Chinese parts are joined with the punctuation of the language that follows. No phrase
leaves its clause. :meth:`StatisticsEngine.clauses` says which clauses were translated,
for a fallback engine to translate only the rest. See ``docs/statistics-engine.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ...errors import ConfigError
from ...glossary import Glossary
from ...numbers import guard
from ...options import TranslateOptions
from ...text.script import convert
from . import Capabilities
from .statistics_grammar import (
    glossary_nouns,
    grammar,
    lower_first,
    render_quantity,
    render_time,
)
from .statistics_patterns import matches, read
from .statistics_slots import possessive, slot_values

__all__ = ["Clause", "StatisticsEngine", "render_quantity", "render_time"]


@dataclass(frozen=True)
class Clause:
    """One clause of a sentence: where it is, and its English when the engine covers it."""

    span: tuple[int, int]
    """Start and end in the sentence as given (the clause's text, without its marks)."""
    text: str
    english: str | None
    """None: not covered; the sentence keeps the Chinese."""
    role: str = ""
    """``lead``, ``main`` or ``change`` when the grammar recognised the clause."""


# Clause marks: ，；：, ASCII , ; that are no thousands separators, 、 before a change,
# a space after a percentage (headlines), an ideographic space.
_MARK = re.compile(
    r"\s*(?:[，；：]|(?<!\d),|,(?!\d{3}(?:\D|$))|;|　"
    r"|、(?=(?:同比|环比|比上年|较上年|增长|下降|增加|减少|上涨|下跌|持平|提高|回落))"
    r"|(?<=%)\s(?=[^\s\d%])|(?<=[辆吨元高低])\s+(?=[\u4e00-\u9fff]))\s*"
)
_END = "。.！!？?；;"
_SPACING = re.compile(
    r"(?<=[\u4e00-\u9fff])\s+(?=[\w%+-])|(?<=[\w%])\s+(?=[\u4e00-\u9fff])|(?<=\d)\s+(?=[%\d])"
)


class StatisticsEngine:
    """Translates the statistics clauses it recognises; leaves the rest as it was."""

    name: ClassVar[str] = "statistics"
    capabilities: ClassVar[Capabilities] = Capabilities(
        handles_terms=True, max_batch=100_000, pairs=(("zh", "en"),)
    )
    """Gets sentences with glossary terms in place (it needs them as nouns)."""

    def __init__(
        self, source: str = "zh", target: str = "en", options: TranslateOptions | None = None
    ) -> None:
        if (source, target) != ("zh", "en"):
            raise ConfigError(
                f"the statistics engine translates zh → en only, not {source} → {target}"
            )
        self.id = f"statistics:{grammar()['_version']}"

    def translate_batch(self, sentences: Sequence[str], glossary: Glossary | None) -> list[str]:
        return [self.translate_sentence(s, glossary) for s in sentences]

    def translate_sentence(self, sentence: str, glossary: Glossary | None = None) -> str:
        """The sentence with the clauses it covers in English, the rest as it was."""
        clauses = self.clauses(sentence, glossary)
        if not any(c.english for c in clauses):
            return sentence.strip()
        body = sentence.strip()
        end = body[-1] if body and body[-1] in _END else ""
        out: list[str] = []
        previous_end: int | None = None
        english_run: list[Clause] = []

        def flush() -> None:
            if english_run:
                out.append(_english(english_run, sentence, first=not out))
                english_run.clear()

        for clause in clauses:
            gap = sentence[previous_end : clause.span[0]] if previous_end is not None else ""
            if clause.english is None:
                flush()
                out.append(gap + clause.text if out else clause.text)
            else:
                if not english_run and out:
                    out.append(_english_mark(gap))
                english_run.append(clause)
            previous_end = clause.span[1]
        flush()
        text = "".join(out)
        if clauses[-1].english is not None:
            text += {"。": ".", "！": "!", "？": "?", "；": ";"}.get(end, end)
        else:
            text += end
        return text[:1].upper() + text[1:]

    def clauses(self, sentence: str, glossary: Glossary | None = None) -> list[Clause]:
        """The clauses of ``sentence``, each with its English or None: the clause-level
        interface for a hybrid chain (translate the clauses without English elsewhere and
        put them back in place; :meth:`translate_sentence` is this engine's own join)."""
        body = sentence.rstrip()
        if body and body[-1] in _END:
            body = body[:-1]
        pieces: list[tuple[int, int]] = []
        pos = len(sentence) - len(sentence.lstrip())
        for m in _MARK.finditer(body, pos):
            if _inside_brackets(body, m.start()):
                continue
            if m.start() > pos:
                pieces.append((pos, m.start()))
            pos = m.end()
        if pos < len(body.rstrip()):
            pieces.append((pos, len(body.rstrip())))
        words, extra = _words(glossary)
        matched = [self._clause(sentence[a:b], words, extra) for a, b in pieces]
        covered = _covered([m[0] if m else None for m in matched])
        return [
            Clause((a, b), sentence[a:b], m[1] if m and ok else None, m[0] if m else "")
            for (a, b), m, ok in zip(pieces, matched, covered, strict=True)
        ]

    def _clause(
        self, clause: str, words: dict[str, str], extra: frozenset[str]
    ) -> tuple[str, str] | None:
        text = _reading(clause)
        but = re.match(r"但是?|而", text)
        if but and len(text) > 2:
            text = text[but.end() :]
        found = self._match(clause, text, bool(but), words, extra)
        if found is None and (plain := _plain(text)) != text:
            found = self._match(clause, plain, bool(but), words, extra)
        return found

    def _match(
        self, clause: str, text: str, but: bool, words: dict[str, str], extra: frozenset[str]
    ) -> tuple[str, str] | None:
        reading = read(text, extra)
        if reading is None:
            return None
        for shape, m in matches(reading):
            spec = shape.spec
            try:
                groups = {k: v for k, v in m.groupdict().items() if v and k[0] != "_"}
                values = slot_values(groups, words, text)
            except (ValueError, KeyError, IndexError, ArithmeticError):
                continue
            if values is None:
                continue
            rendered = re.sub(r"\s+", " ", spec["template"].format(**values)).strip()
            if spec["role"] == "lead":
                rendered = rendered.rstrip(", ")
            if "qz" in m.groupdict() and m.group("qz"):
                rendered = "of this, " + lower_first(rendered)
            if but and len(clause.strip()) > 2:
                rendered = "but " + lower_first(rendered)
            rendered = rendered.replace(" ,", ",")
            if guard(text, "zh", rendered, "en"):
                continue  # a figure the template would lose or change: never written
            return spec["role"], rendered
        return None


# Words news puts inside a clause that the shapes do without, tried when the clause as
# written matches no shape: 在 before a time inside the subject (出口额在二季度下降了22.7%),
# 已/已经/则 before a verb (库存天数则增加到22天), 了 after a verb of change. None of them
# carries a figure; the rendering is the same clause's.
_VERB = (
    "增长|下降|增加|减少|上涨|下跌|上升|回落|提升|提高|降低|下滑|扩大|收窄|达到|突破|超过"
    "|降至|升至|增至|跌至|涨至|回升|减少到|增加到|提升至"
)
_FILLERS = re.compile(
    rf"在(?=(?:\d{{4}}年)?(?:[一二三四]季度|[上下]半年|前?\d{{1,2}}(?:个)?月份?|今年|去年|本周|上周|当月|同期)(?!的))"
    rf"|(?:已经|已|则)(?=(?:{_VERB}))|(?P<verb>{_VERB})了"
)


def _plain(text: str) -> str:
    """The clause without the fillers of ``_FILLERS``."""
    return _FILLERS.sub(lambda m: m.group("verb") or "", text)


def _words(glossary: Glossary | None) -> tuple[dict[str, str], frozenset[str]]:
    """The words noun phrases are made of, and the glossary's nouns among them."""
    key = glossary.fingerprint if glossary is not None else ""
    if key not in _WORDS:
        g = grammar()
        actors = {k: possessive(v) for k, v in g["actors"].items()}
        nouns = glossary_nouns(glossary)
        # The glossary in force wins over the grammar's own nouns: its terms are enforced.
        words = {**g["names"], **g["nouns"], **actors, **g["notes"], **nouns}
        words |= {k: v for k, v in g["names"].items() if v[:1].isupper() and " " not in v}
        if len(_WORDS) > 8:
            _WORDS.clear()
        _WORDS[key] = words, frozenset(nouns)
    return _WORDS[key]


_WORDS: dict[str, tuple[dict[str, str], frozenset[str]]] = {}


def _reading(clause: str) -> str:
    """The clause as the grammar reads it: NFKC (full-width digits), Simplified script,
    no spaces between Han and Latin or digits (pangu spacing), no space in ``3 912``."""
    text = convert(unicodedata.normalize("NFKC", clause.strip()), "t2s")
    text = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", text)
    return _SPACING.sub("", text)


def _inside_brackets(text: str, at: int) -> bool:
    """Whether position ``at`` is inside （…） or (…): （人民币，下同） is one note."""
    before = text[:at]
    return before.count("（") > before.count("）") or before.count("(") > before.count(")")


def _covered(roles: list[str | None]) -> list[bool]:
    """Which recognised clauses are kept in English: a main clause when recognised; a change
    when the clause before it is kept (it hangs on that clause's subject); a lead when the
    first clause after the leads is kept, or nothing follows."""
    keep = [role == "main" for role in roles]
    for i, role in enumerate(roles):
        if role == "change" and i and keep[i - 1] and roles[i - 1] in ("main", "change"):
            keep[i] = True
    for i in range(len(roles) - 1, -1, -1):
        if roles[i] == "lead":
            j = i + 1
            keep[i] = j == len(roles) or (keep[j] and roles[j] != "change")
    return keep


def _english_mark(gap: str) -> str:
    """The English joiner for a source gap before an English part: ``，`` → ``, ``."""
    mark = gap.strip()
    if mark in ("；", ";"):
        return "; "
    if mark in ("：", ":"):
        return ": "
    return ", "


_CHANGE = re.compile(r"^(up|down) (\S+) (YoY|MoM|QoQ|WoW)$")


def _english(run: list[Clause], sentence: str, first: bool) -> str:
    """A run of covered clauses in English: leads before the clause they lead, changes
    merged after their main clause, parts joined as the source joins them (``；`` → ``;``)."""
    text, changes, leads = "", list[str](), list[str]()
    gap_before_leads = ""
    previous: Clause | None = None
    for clause in run:
        gap = sentence[previous.span[1] : clause.span[0]] if previous else ""
        previous = clause
        english = clause.english or ""
        if clause.role == "change":
            changes.append(english)
            continue
        if changes:
            text += ", " + _join_changes(changes)
            changes = []
        if clause.role == "lead":
            if not leads:
                gap_before_leads = gap
            leads.append(english)
            continue
        if text:
            text += _english_mark(gap_before_leads if leads else gap)
            text += lower_first(_with_leads(leads, english) if leads else english)
        else:
            text += _with_leads(leads, english) if leads else english
        leads = []
    if changes:
        text += ", " + _join_changes(changes)
    if leads:
        text += (_english_mark(gap_before_leads) if text else "") + _with_leads(leads, "")
    text = re.sub(r"\s+", " ", text).strip().rstrip(",")
    return text if first else lower_first(text)


def _with_leads(leads: list[str], main: str) -> str:
    """``According to …``, ``in December`` + main: each lead before the next, "that"
    leads (``Customs said on Friday that``) without a comma."""
    out = ""
    for lead in [*leads, main]:
        if not lead:
            continue
        if out:
            out += " " if out.endswith(" that") else ", "
            lead = lower_first(lead)
        out += lead
    return out


def _join_changes(changes: list[str]) -> str:
    """``down 30.4% MoM`` + ``down 56.1% YoY`` → ``down 30.4% MoM and 56.1% YoY`` (``down …
    and up …`` when they differ); other additions (``accounting for 93%``) follow commas."""
    groups: list[list[str]] = []
    last_dir = None
    for text in changes:
        m = _CHANGE.match(text)
        if m and last_dir is not None and groups:
            groups[-1].append(f"{m.group(2)} {m.group(3)}" if m.group(1) == last_dir else text)
        else:
            groups.append([text])
        last_dir = m.group(1) if m else None
    return ", ".join(" and ".join(g) for g in groups)
