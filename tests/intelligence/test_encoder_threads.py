"""The sentence encoder's matrix products run on one OpenBLAS thread unless the user chose otherwise: with the
library's threads each query clause cost about 20 times the CPU on a busy machine (0.44 s against 0.021 s;
bench figures in docs/planning-passes.md, pass 74). The setting must be in place before numpy loads OpenBLAS,
so it is read in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = "import os, sys, orchestra.selection.semantic; print(os.environ.get('OPENBLAS_NUM_THREADS'), 'numpy' in sys.modules)"


@pytest.mark.parametrize(("given", "read"), [(None, "1"), ("3", "3")])
def test_openblas_threads_are_set_before_numpy_loads(given: str | None, read: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run([sys.executable, "-c", READ], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [read, "False"]
