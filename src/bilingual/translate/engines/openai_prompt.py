"""The ``openai`` engine's prompt and the parser of its answers.

A request carries several sentences with ids as JSON; the answer is asked for as JSON
(``response_format: json_object`` where the server supports it) and read by a parser that
also takes code fences, ``<think>`` blocks, bare lists, ``{"1": "..."}`` maps and numbered
lines. The glossary terms matched in the request's sentences are stated as required
renderings (forbidden ones as forbidden); do-not-translate spans travel as placeholders
``⟦n⟧``. Changing the prompt changes :data:`PROMPT_VERSION`, which is part of the engine's
memory key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ...glossary import Glossary

__all__ = ["PROMPT_VERSION", "Shielded", "parse", "shield", "system_prompt", "term_lines"]

PROMPT_VERSION = "1"

LANGUAGES = {"zh": "Chinese", "en": "English"}

_SYSTEM = """You translate industry news and market reports from {source} into {target}.
The user sends a JSON object {{"sentences": [{{"id": 1, "text": "..."}}, ...]}}.
Answer with one JSON object and nothing else:
{{"translations": [{{"id": 1, "text": "..."}}, ...]}}, one entry for every id.
Rules:
- Translate every sentence completely and on its own; leave no {source} in it.
- Keep every figure exact: numbers, percentages, dates, units, currencies. Convert Chinese
  magnitudes exactly (47.6万 = 476,000; 236.4亿美元 = US$23.64 billion). Add no figure.
- Copy every placeholder such as ⟦1⟧ unchanged, exactly once, where it belongs."""

_REVISE = """
Each sentence also has "previous", your earlier translation, and "problems", what a check
found wrong with it. Translate it again, correcting every problem."""


def system_prompt(source: str, target: str, terms: str, *, revising: bool = False) -> str:
    text = _SYSTEM.format(source=LANGUAGES[source], target=LANGUAGES[target])
    return text + (_REVISE if revising else "") + terms


@dataclass
class Shielded:
    """A sentence with its do-not-translate spans as placeholders."""

    text: str
    spans: list[str] = field(default_factory=list)
    """The original of placeholder n + 1."""

    def restore(self, output: str) -> str:
        for n, original in enumerate(self.spans, start=1):
            mark = re.compile(rf"[⟦\[【]\s*{n}\s*[⟧\]】]")
            output = mark.sub(original.replace("\\", "\\\\"), output, count=1)
        return output


def shield(sentence: str, glossary: Glossary | None, source: str) -> Shielded:
    """``sentence`` with its do-not-translate glossary spans as ``⟦n⟧``."""
    if glossary is None or not len(glossary):
        return Shielded(sentence)
    out: list[str] = []
    spans: list[str] = []
    pos = 0
    for m in glossary.match(sentence, "zh" if source == "zh" else "en"):
        if m.entry.status == "do-not-translate":
            out += [sentence[pos : m.start], f"⟦{len(spans) + 1}⟧"]
            spans.append(m.text)
            pos = m.end
    out.append(sentence[pos:])
    return Shielded("".join(out), spans)


def term_lines(sentences: Sequence[str], glossary: Glossary | None, source: str) -> str:
    """The required and forbidden renderings of the terms in ``sentences``."""
    if glossary is None or not len(glossary):
        return ""
    lang: Literal["zh", "en"] = "zh" if source == "zh" else "en"
    required: dict[str, str] = {}
    forbidden: dict[str, list[str]] = {}
    for sentence in sentences:
        for m in glossary.match(sentence, lang):
            entry = m.entry
            if entry.status == "do-not-translate":
                continue
            if lang == "zh":
                chosen = glossary.preferred(entry.zh) or entry
                required.setdefault(m.text, chosen.en)
                if glossary.forbidden.get(entry.zh):
                    forbidden.setdefault(m.text, glossary.forbidden[entry.zh])
            else:
                required.setdefault(m.text, entry.zh)
    text = ""
    if required:
        text += "\nUse exactly these renderings of terms:\n"
        text += "".join(f"- {src} → {dst}\n" for src, dst in required.items())
    if forbidden:
        text += "Never use these renderings:\n"
        text += "".join(f"- {src} ↛ {', '.join(bad)}\n" for src, bad in forbidden.items())
    return text.rstrip("\n")


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)
_THINK = re.compile(r"<think>.*?</think>", re.S)
_LINE = re.compile(r"^\s*(?:[-*]\s*)?[\[(]?(?:id\s*[:=]?\s*)?(\d+)[\])]?\s*[.:)=\-–]?\s+(.+?)\s*$")


def parse(content: str, ids: Sequence[int]) -> dict[int, str]:
    """Translations by id from a model's answer; ids it does not give are left out."""
    content = _THINK.sub("", content).strip()
    fenced = _FENCE.search(content)
    if fenced:
        content = fenced.group(1).strip()
    found = {k: v for k, v in _from_json(_first_json(content), ids).items() if isinstance(v, str)}
    if not found:
        for line in content.splitlines():
            m = _LINE.match(line)
            if m and int(m.group(1)) in ids:
                found.setdefault(int(m.group(1)), _unquote(m.group(2)))
    return {k: v for k, v in found.items() if k in ids and isinstance(v, str)}


def _first_json(content: str) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        pass
    except RecursionError:  # nested too deeply: no answer of ours
        return None
    decoder = json.JSONDecoder()
    for m in re.finditer(r"[\[{]", content):
        try:
            return decoder.raw_decode(content, m.start())[0]
        except ValueError:
            continue
        except RecursionError:
            return None
    return None


def _from_json(value: Any, ids: Sequence[int]) -> dict[int, Any]:
    if isinstance(value, dict):
        for name in ("translations", "sentences", "results", "items", "data"):
            if isinstance(value.get(name), (list, dict)):
                return _from_json(value[name], ids)
        keyed = {_as_id(k): v for k, v in value.items()}
        return {k: v.get("text") if isinstance(v, dict) else v for k, v in keyed.items() if k}
    if not isinstance(value, list):
        return {}
    found: dict[int, Any] = {}
    key: int | None
    for position, item in enumerate(value):
        if isinstance(item, dict):
            key = _as_id(item.get("id", position + 1))
            text = item.get("text", item.get("translation"))
        elif isinstance(item, list) and len(item) == 2:
            key, text = _as_id(item[0]), item[1]
        else:
            key, text = (ids[position] if position < len(ids) else None), item
        if key is not None:
            found.setdefault(key, text)
    return found


def _as_id(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            value = json.loads(text)
            return value if isinstance(value, str) else text
        except ValueError:
            return text[1:-1]
    return text
