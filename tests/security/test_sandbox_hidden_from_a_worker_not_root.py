"""A worker that is not root cannot list the descriptors of a sandboxed process that is not dumpable (attack395 F6): the
watchdog took the refusal for a process that had ended, and a memfd it held went uncounted. Made non-dumpable by
``prctl(PR_SET_DUMPABLE, 0)`` or by running a program its owner may not read, a program holding a memfd past the
sandbox's total ran to its end; now the sandbox is stopped, saying why.

The worker runs as uid 4242 here: the system's Python (the project's may lie where that uid cannot reach) runs the
watchdog on a sandbox it spawns, as a worker that is not root would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
UID = 4242
PYTHON = "/usr/bin/python3"
HELD_MIB, TOTAL_MIB = 64, 48

# The program: hidden first (so no look sees the memfd while it may), then a memfd past the total, then a wait longer
# than any watchdog needs.
HIDING = {
    "prctl": "import ctypes; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)",  # PR_SET_DUMPABLE
    "exec_only": "",  # run from a copy of Python its owner may only execute
}
HOLD = f"""
import os, time
fd = os.memfd_create("held")
for _ in range({HELD_MIB}):
    os.write(fd, b"x" * 1024 * 1024)
print("holding", flush=True)
time.sleep(60)
"""

# The worker's side, as uid 4242: spawn the program in the sandbox a worker that is not root gets, watch it.
WORKER = """
import asyncio, json, shutil, sys
from pathlib import Path
from orchestra import sandbox_memory
from orchestra.sandbox import Jail, Limits, Sandbox

async def main(workspace, argv, total):
    sandbox = Sandbox(mode="bwrap", bwrap=shutil.which("bwrap"), privileged=False)
    jail = Jail(workspace=Path(workspace), cwd=Path(workspace), limits=Limits(cpu_s=120))
    process = await sandbox.spawn(argv, jail, stdout=asyncio.subprocess.DEVNULL)
    held = await asyncio.wait_for(sandbox_memory.watch(process, total), 240)
    await process.wait()
    said = None if held is None else sandbox_memory.over_message(held, total)
    print(json.dumps({"said": said, "status": process.returncode}))

asyncio.run(main(sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])))
"""


@pytest.fixture
def workspace() -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("bwrap") is None or not Path(PYTHON).exists():
        pytest.skip("needs root (to run the worker as another uid), bubblewrap and the system's Python")
    reachable = _as_worker(["-c", "import orchestra.sandbox_memory"])
    if reachable.returncode != 0:
        pytest.skip(f"uid {UID} cannot run this checkout with {PYTHON}: {reachable.stderr[-300:]}")
    path = Path(tempfile.mkdtemp(prefix="orchestra-hidden-", dir="/tmp"))  # pytest's own is root's, mode 0700
    os.chown(path, UID, UID)
    try:
        yield path
    finally:
        shutil.rmtree(path)


def _as_worker(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, *arguments], user=UID, group=UID, extra_groups=[], capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)}, cwd="/",
    )  # fmt: skip


@pytest.mark.parametrize("hiding", list(HIDING))
def test_a_process_hidden_from_a_worker_not_root_stops_its_sandbox(workspace: Path, hiding: str) -> None:
    program = HIDING[hiding] + HOLD
    if hiding == "exec_only":
        argv = ["/bin/sh", "-c", f'cp {PYTHON} ./py && chmod 0111 ./py && exec ./py -c "$0"', program]
    else:
        argv = [PYTHON, "-c", program]
    seen = _watched(workspace, argv)
    # Before, the program ran to its end (status 0), its 64 MiB under a 48 MiB total never seen.
    said = seen["said"]
    assert isinstance(said, str) and "hid its open files from the worker's watchdog" in said, seen
    assert seen["status"] != 0, seen


def test_a_worker_not_root_counts_a_dumpable_programs_memfd_and_lets_an_ordinary_one_end(workspace: Path) -> None:
    held = _watched(workspace, [PYTHON, "-c", HOLD])
    said = held["said"]
    assert isinstance(said, str) and "over the sandbox's 48 MiB" in said, held
    ordinary = _watched(workspace, ["/bin/sh", "-c", "echo made > made && cat made"])
    assert ordinary == {"said": None, "status": 0}


def _watched(workspace: Path, argv: list[str]) -> dict[str, object]:
    done = _as_worker(["-c", WORKER, str(workspace), json.dumps(argv), str(TOTAL_MIB * 1024 * 1024)])
    assert done.returncode == 0, done.stderr[-2000:]
    seen: dict[str, object] = json.loads(done.stdout)
    return seen
