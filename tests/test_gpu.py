"""--device and --compute-type on translate, run and Pipeline. There is no GPU here (nor in
CI), so ``cuda`` must be one line, exit 2, for each way in; compute types reach
CTranslate2."""

from __future__ import annotations

from pathlib import Path

import pytest

import bilingual
from bilingual.errors import ConfigError
from conftest import run_cli


@pytest.fixture(autouse=True)
def _no_gpu() -> None:
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        pytest.skip("a CUDA device is here: these tests are about machines without one")


@pytest.mark.parametrize("command", ["translate", "run"])
@pytest.mark.parametrize("engine", ["argos", "auto"])
def test_cuda_without_a_device_is_one_line(tiny_installed: Path, command: str, engine: str) -> None:
    result = run_cli(
        command, "--engine", engine, "--device", "cuda", "--memory", "none", input="进口下降。"
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "bilingual: error: --device cuda: CTranslate2 finds no CUDA device here; use cpu\n"
    )


def test_cuda_for_engines_that_do_not_run_on_a_gpu(bilingual_home: Path) -> None:
    result = run_cli("translate", "--device", "cuda", "--memory", "none", input="进口下降。")
    assert result.returncode == 2
    assert result.stderr == (
        "bilingual: error: --device cuda: the statistics engine does not run on a GPU here "
        "(only argos, with CTranslate2, does); use --device cpu or auto\n"
    )
    with pytest.raises(ConfigError, match="the openai engine does not run on a GPU"):
        bilingual.Pipeline(engine="openai", model="m", url="http://127.0.0.1:9", device="cuda")


def test_the_pipeline_passes_device_and_compute_type(tiny_installed: Path) -> None:
    with pytest.raises(ConfigError, match="CTranslate2 finds no CUDA device"):
        bilingual.Pipeline(engine="argos", device="cuda")
    pipeline = bilingual.Pipeline(engine="argos", device="auto", compute_type="int8", memory="none")
    engine = pipeline.translator.engine
    assert engine.options["device"] == "cpu" and engine.options["compute_type"] == "int8"
    assert engine.id.endswith(":int8")  # a quantised model's output is remembered apart
    (result,) = pipeline.run(["黑粉价格上涨。"])
    assert result.translation is not None and result.translation.engine == "argos"


def test_an_unsupported_compute_type_is_one_line(tiny_installed: Path) -> None:
    import ctranslate2

    if "bfloat16" in ctranslate2.get_supported_compute_types("cpu"):
        pytest.skip("this CPU computes bfloat16")
    result = run_cli(
        "translate", "--engine", "argos", "--compute-type", "bfloat16", "--memory", "none",
        input="进口下降。",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "the model does not load: Requested bfloat16 compute type" in result.stderr
