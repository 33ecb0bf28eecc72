"""The sentence encoder's matrix products run on one OpenBLAS thread unless the user chose otherwise: with the
library's threads each query clause cost about 20 times the CPU on a busy machine (0.44 s against 0.021 s;
bench figures in docs/planning-passes.md, pass 74). The setting must be in place before numpy loads OpenBLAS,
so it is read in a fresh interpreter; and it is the encoder's alone (attack79): the variable, left in the
environment, reached every process a client or ``orchestra up`` started, their numpy on one thread."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestra.selection import minilm

ROOT = Path(__file__).resolve().parents[2]
# OpenBLAS's own count of its threads, asked of the library numpy loaded; then what a child process is given.
READ = """
import ctypes, os, subprocess, sys
{before}
from orchestra.selection import semantic
assert semantic.embedder() is not None
lib = next(line.split()[-1] for line in open('/proc/self/maps') if 'openblas' in line)
threads = ctypes.CDLL(lib).scipy_openblas_get_num_threads64_()
child = subprocess.run([sys.executable, '-c', 'import os; print(os.environ.get("OPENBLAS_NUM_THREADS"))'],
                       capture_output=True, text=True, check=True).stdout.strip()
print(threads, os.environ.get('OPENBLAS_NUM_THREADS'), child)
"""

needs_model = pytest.mark.skipif(minilm.model_folder() is None, reason="the sentence encoder is not installed")


def _read(given: str | None, before: str = "") -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    code = READ.format(before=before)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.split()


@needs_model
@pytest.mark.parametrize(("given", "read"), [(None, ["1", "None", "None"]), ("2", ["2", "2", "2"])])
def test_the_encoder_runs_on_one_thread_unless_the_user_says(given: str | None, read: list[str]) -> None:
    assert _read(given) == read


@needs_model
def test_numpy_loaded_before_keeps_the_users_threads() -> None:
    threads, own, child = _read("2", before="import numpy")
    assert (threads, own, child) == ("2", "2", "2")
    assert _read(None, before="import numpy")[1:] == ["None", "None"]
