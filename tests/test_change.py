from __future__ import annotations

import pytest

from bilingual import BilingualError, Change, apply_changes
from bilingual.change import Edit, apply_edits, diff_edits


def test_apply_edits_records_replayable_changes() -> None:
    text = "a,b,c"
    changes: list[Change] = []
    out = apply_edits(
        text, [Edit(1, 2, "，", "x"), Edit(3, 4, " ; ", "y"), Edit(5, 5, "!", "z")], "s", changes
    )
    assert out == "a，b ; c!"
    assert [c.start for c in changes] == [1, 3, 7]
    assert apply_changes(text, changes) == out


def test_identity_edits_are_dropped() -> None:
    changes: list[Change] = []
    assert apply_edits("abc", [Edit(0, 1, "a", "same")], "s", changes) == "abc"
    assert changes == []


def test_overlapping_edits_are_a_bug() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        apply_edits("abcdef", [Edit(0, 3, "x", "r"), Edit(2, 4, "y", "r")], "s", None)


def test_changes_that_do_not_fit_are_refused() -> None:
    with pytest.raises(BilingualError, match="does not fit"):
        apply_changes("abc", [Change("s", 0, 1, "z", "y", "r")])


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "abc"),
        ("abc", ""),
        ("one\ntwo\nthree", "one\n2\nthree\nfour"),
        ("你好,世界", "你好，世界"),
    ],
)
def test_diff_edits_replay(before: str, after: str) -> None:
    changes: list[Change] = []
    assert apply_edits(before, diff_edits(before, after, "r"), "s", changes) == after
    assert apply_changes(before, changes) == after
