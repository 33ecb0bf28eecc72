"""A checked delete deletes only the file it checked. Another process keeps exchanging the file a delete was asked
of (bytes ``CHECKED``) with a user's file (``USERS``), one renameat2 each: delete_file hashed the one at the name,
then unlinked by name whatever was there by then, often the user's. Now the file is renamed aside first, checked
there and unlinked by that name: after every call the user's file is still there, the checked one gone or kept."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from tests.tools.test_files import DELETE, call
from tests.tools.test_raced_fifo import _ended

ROUNDS = 150
CHECKED, USERS = b"the file the undo wrote", b"the user's own file"

# A program of its own (a thread of the test's waits for the GIL): it exchanges the two names as fast as it can; an
# exchange fails, and nothing moves, while either name is missing.
EXCHANGER = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
parent = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
print("exchanging", flush=True)
while True:
    libc.renameat2(parent, b".spare", parent, b"a.txt", 2)  # RENAME_EXCHANGE
"""


def _contents(workspace: Path) -> list[bytes]:
    return sorted(path.read_bytes() for path in workspace.iterdir() if path.is_file())


@contextlib.contextmanager
def _paused(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """``process`` stopped (seen so by the system) while the files are counted: an exchange between reading one
    name and the other read the checked file twice."""
    os.kill(process.pid, signal.SIGSTOP)
    while Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
        time.sleep(0.001)
    try:
        yield
    finally:
        os.kill(process.pid, signal.SIGCONT)


def test_a_checked_delete_never_deletes_a_file_exchanged_in_after_its_check(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_bytes(CHECKED)
    (workspace / ".spare").write_bytes(USERS)
    checked = hashlib.sha256(CHECKED).hexdigest()
    exchanger = subprocess.Popen([sys.executable, "-c", EXCHANGER, str(workspace)], stdout=subprocess.PIPE)
    deleted = [0]

    async def deletes() -> None:
        for _ in range(ROUNDS):
            try:
                done = await call(DELETE, ctx, path="a.txt", only_if_sha256=checked)
            except ToolError:
                done = {"deleted": False}
            deleted[0] += bool(done["deleted"])
            with _paused(exchanger):
                # The user's file is never lost; what is gone is the checked one alone.
                assert _contents(workspace).count(USERS) == 1, f"the user's file was deleted: {done}"
                missing = [name for name in ("a.txt", ".spare") if not (workspace / name).exists()]
                for name in missing:  # the checked file again, at whichever name it left: the exchanges go on
                    (workspace / name).write_bytes(CHECKED)

    try:
        assert exchanger.stdout is not None and exchanger.stdout.readline() == b"exchanging\n"
        _ended(deletes, workspace)
    finally:
        exchanger.kill()
        exchanger.wait()
    assert _contents(workspace).count(USERS) == 1
    assert deleted[0] > 0, "no delete ever found the checked file"
    assert not [name for name in os.listdir(workspace) if name.endswith(".deleting")], "a file left aside"
