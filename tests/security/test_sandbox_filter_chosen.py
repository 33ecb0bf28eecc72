"""Which system call filter a sandboxed program gets, and that none goes without one by a caller's oversight
(attack395 F5, notes): the filter's architecture is the programs' (their shell's ELF header), not the kernel's, whose
filter killed an i386 userland's every call on an x86-64 kernel; a probe the filter kills says so; and
``Sandbox.command`` has no unfiltered default."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestra import sandbox_seccomp
from orchestra.sandbox import Jail, Sandbox, _probe, detect

# e_machine, EI_CLASS (1: 32-bit, 2: 64-bit) of a little-endian ELF header.
SHELLS = {"i386": (0x03, 1), "x86_64": (0x3E, 2), "aarch64": (0xB7, 2), "x32": (0x3E, 1), "riscv64": (0xF3, 2)}


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The sandbox's shell, as a file the test writes: each choice of it read afresh."""
    path = tmp_path / "sh"
    monkeypatch.setattr(sandbox_seccomp, "SHELL", str(path))
    sandbox_seccomp.machine.cache_clear()
    yield path
    sandbox_seccomp.machine.cache_clear()


@pytest.mark.parametrize("name", list(SHELLS))
def test_the_filter_is_the_programs_architectures(shell: Path, name: str) -> None:
    machine, elf_class = SHELLS[name]
    shell.write_bytes(b"\x7fELF" + bytes([elf_class, 1, 1]) + bytes(9) + struct.pack("<HH", 2, machine))
    expected = name if name != "riscv64" else "ELF machine 0xf3"
    assert sandbox_seccomp.machine() == expected
    # An i386 userland on an x86-64 kernel: unfiltered, and said so, rather than killed at its first call.
    assert (sandbox_seccomp.program() is not None) == (name in ("x86_64", "aarch64"))
    if name == "i386":
        assert Sandbox(mode="bwrap").describe() == "bubblewrap (user namespace, no system call filter for i386)"


def test_an_unreadable_shell_leaves_the_kernels_architecture(shell: Path) -> None:
    assert sandbox_seccomp.machine() == os.uname().machine


def test_a_probe_the_filter_kills_names_the_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap" or sandbox_seccomp.program() is None:
        pytest.skip(f"no filtered sandbox here: {sandbox.reason}")
    other = next(arch for arch in sandbox_seccomp.AUDIT_ARCH if arch != sandbox_seccomp.machine())
    wrong = sandbox_seccomp.program(other)  # its architecture check kills every call of this machine's programs
    monkeypatch.setattr(sandbox_seccomp, "program", lambda arch=None: wrong)
    problem = _probe(sandbox)
    assert problem is not None and "system call filter" in problem and "SIGSYS" in problem, problem


def test_a_command_is_never_built_without_its_filter(tmp_path: Path) -> None:
    jail = Jail(workspace=tmp_path, cwd=tmp_path)
    with pytest.raises(TypeError, match="seccomp"):
        Sandbox(mode="bwrap").command(["true"], jail)  # type: ignore[call-arg]
