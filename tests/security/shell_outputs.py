"""A real program's output masked as the shell tool's is on its way to the history: a ``ShellOutput`` through the
activity's own walk (activities/tools.py ``_output_value``), which reads its strings together, apart by
``TEXTS_APART``, not each alone as ``Masker.text`` does."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from activities.tools import _output_value
from orchestra.tools.shell import ShellOutput


def run_shell(script: str, data: bytes = b"") -> str:
    """What ``bash -c script`` prints given ``data`` on its stdin."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    return subprocess.run(["bash", "-c", script], input=data, capture_output=True, check=True).stdout.decode()


def masked_stdout(stdout: str, secrets: list[str]) -> str:
    """``stdout`` as the history keeps a shell call's output holding it, ``secrets`` the call's."""
    output = ShellOutput(
        exit_code=0, stdout=stdout, stderr="", stdout_truncated=False, stderr_truncated=False, duration_ms=1.0
    )
    dumped, _, _ = _output_value(output, secrets)
    stdout_masked: str = dumped["stdout"]
    return stdout_masked
