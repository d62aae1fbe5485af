"""A result as a JSON object: what ``bilingual run --format jsonl`` writes for each item, and
what :mod:`bilingual.dask` yields and writes."""

from __future__ import annotations

from typing import Any

from .pipeline import Result

__all__ = ["result_record"]


def result_record(
    result: Result, record: dict[str, Any] | None, source: str, target: str, field_name: str
) -> dict[str, Any]:
    """A copy of ``record`` (the input object; None for a text input) with the clean text,
    the translation, segments, duplicates, issues and where things are. The record itself
    is left as it was: Dask holds a partition's input until the run ends, and would hold
    every output with it."""
    obj: dict[str, Any] = dict(record) if record is not None else {"id": source}
    obj.setdefault(field_name, result.source_text)
    obj[f"{field_name}_clean"] = result.clean
    if target != "none":
        obj[f"{field_name}_{target}"] = result.text
    obj["segments"] = [s.to_dict() for s in result.segments]
    obj["duplicate_of"] = [d["duplicate_of"] for d in result.duplicates] or None
    obj["duplicates"] = result.duplicates
    obj["issues"] = [str(i) for i in result.translation.issues] if result.translation else []
    # Where things are, for `bilingual serve --review`: the kept paragraphs (by the unit ids
    # duplicates name), and the translation's terms, issues and alignment by span.
    obj["paragraphs"] = [[unit, start, end] for unit, start, end in result.units]
    if result.translation is not None:
        obj["translation"] = {k: v for k, v in result.translation.to_dict().items() if k != "text"}
    return obj
