"""What a clause shape needs: the slots and literal strings every match of its pattern
contains, read from the pattern's text once. A clause that lacks one is not matched
against the shape at all (:mod:`.statistics_patterns` checks it first), so a shape's
pattern is compiled only when some clause could fill it. The needs are a necessary
condition, never more: a test matches every development clause against every shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .statistics_patterns import Reading

__all__ = ["END_SLOTS", "Needs", "needs"]

# Slots whose last character the reading checks when a shape ends with one.
END_SLOTS = frozenset({"num", "count", "pct", "pp", "qty", "range", "money"})


@dataclass(frozen=True)
class Needs:
    """What every match of a shape contains: slots, literal strings, and for each group
    of alternatives one branch's needs (a necessary condition, checked before matching)."""

    slots: frozenset[str] = frozenset()
    texts: tuple[str, ...] = ()
    any_of: tuple[tuple[Needs, ...], ...] = ()
    last: str = ""
    """The slot that ends every match, if it is one whose end the reading checks."""

    def met(self, reading: Reading) -> bool:
        if self.last and self.last not in reading.ends:
            return False
        text = reading.text
        for needed in self.texts:
            if needed not in text:
                return False
        for branches in self.any_of:
            for branch in branches:
                if branch.met(reading):
                    break
            else:
                return False
        return self.slots <= reading.slots


def needs(pattern: str) -> Needs:
    """The needs of a grammar pattern (slots in braces), read from its text: slots and
    literal characters without a quantifier, in groups without one, and one branch of
    each such group with alternatives. Anything else (classes, escapes, lookarounds,
    optional parts) is taken to need nothing."""
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(pattern)]
    result, _ = _sequence(tokens, 0)
    depth, top_bar = 0, False
    for kind, _text in tokens:
        depth += kind in ("group", "other_group")
        depth -= kind == "close"
        top_bar |= kind == "bar" and depth == 0
    last = re.search(r"\{([a-z]+)\d?\}$", pattern)
    if last and last.group(1) in END_SLOTS and not top_bar:  # …{num}: the clause ends in one
        result = Needs(result.slots, result.texts, result.any_of, last.group(1))
    return result


_TOKEN = re.compile(
    r"(?P<slot>\{[a-z]+\d?\})|(?P<quant>(?:[?*+]|\{\d+(?:,\d*)?\})[?+]?)"
    r"|(?P<group>\((?:\?:|\?P<\w+>|(?!\?)))|(?P<other_group>\(\?)|(?P<close>\))|(?P<bar>\|)"
    r"|(?P<cls>\[(?:\\.|[^\]\\])*\])|(?P<esc>\\.)|(?P<lit>[^.^$])|(?P<any>.)",
    re.DOTALL,
)


def _sequence(tokens: list[tuple[str, str]], i: int) -> tuple[Needs, int]:
    """The needs of the alternatives from ``tokens[i]`` up to the ``)`` that closes them
    (or the end); and the index of that ``)``."""
    branches: list[Needs] = []
    slots: set[str] = set()
    texts: list[str] = []
    any_of: list[tuple[Needs, ...]] = []
    run = ""
    while i < len(tokens) and tokens[i][0] != "close":
        kind, text = tokens[i]
        i += 1
        if kind == "bar":
            branches.append(
                Needs(frozenset(slots), (*texts, *([run] if run else [])), tuple(any_of))
            )
            slots, texts, any_of, run = set(), [], [], ""
            continue
        item: Needs | str | None = None
        if kind in ("group", "other_group"):
            inner, i = _sequence(tokens, i)
            i += 1  # its ")"
            item = inner if kind == "group" else None
        elif kind == "slot":
            item = Needs(slots=frozenset({text[1:-1].rstrip("0123456789")}))
        elif kind == "lit":
            item = text
        quantifier = tokens[i][1] if i < len(tokens) and tokens[i][0] == "quant" else ""
        i += bool(quantifier)
        optional = bool(quantifier) and not re.match(r"\+|\{[1-9]", quantifier)
        if isinstance(item, str) and not quantifier:
            run += item
            continue
        texts += [run] if run else []
        run = ""
        if isinstance(item, str) and not optional:
            texts.append(item)
        elif isinstance(item, Needs) and not optional:
            slots |= item.slots
            texts += item.texts
            any_of += item.any_of
    last = Needs(frozenset(slots), (*texts, *([run] if run else [])), tuple(any_of))
    if not branches:
        return last, i
    alternatives = (*branches, last)
    if Needs() in alternatives:
        return Needs(), i
    return Needs(any_of=(alternatives,)), i
