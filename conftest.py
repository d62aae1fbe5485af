"""For every test and doctest: a private $BILINGUAL_HOME, so nothing touches the user's,
and no telemetry from the libraries we test against."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

# The sentence encoder (--semantic) runs numpy's BLAS: one thread each, so parallel test
# runs on a shared machine do not oversubscribe the cores (set before numpy is imported).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def pytest_configure(config: pytest.Config) -> None:
    home = tempfile.mkdtemp(prefix="bilingual-tests-")
    os.environ["BILINGUAL_HOME"] = home
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # ONNX Runtime (argostranslate's) phones home
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
