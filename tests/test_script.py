from __future__ import annotations

import pytest

from bilingual import ConfigError, convert, detect_script
from bilingual.text.script import config_names, load_overrides
from conftest import load_cases


@pytest.mark.parametrize("case", load_cases("script", "convert"))
def test_convert(case: dict) -> None:
    assert convert(case["input"], case["config"]) == case["expected"]


@pytest.mark.parametrize("case", load_cases("script", "detect"))
def test_detect_script(case: dict) -> None:
    assert detect_script(case["input"]) == case["expected"]


def test_every_config_name_loads() -> None:
    assert {"t2s", "s2t", "s2twp", "tw2sp", "hk2s"} <= set(config_names())
    for name in config_names():
        assert isinstance(convert("电池", name), str)


def test_unknown_config_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"unknown OpenCC config 'x2y'.*t2s"):
        convert("电池", "x2y")


def test_overrides_file(tmp_path) -> None:
    path = tmp_path / "overrides.tsv"
    path.write_text("# comment\n乾燥\t乾燥\n\n軟體\t软件(TW)\n", encoding="utf-8")
    assert load_overrides(path) == {"乾燥": "乾燥", "軟體": "软件(TW)"}


def test_overrides_file_bad_row_names_line(tmp_path) -> None:
    path = tmp_path / "overrides.tsv"
    path.write_text("乾燥\t乾燥\nonly-one-column\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"overrides.tsv:2: expected"):
        load_overrides(path)
