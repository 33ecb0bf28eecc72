"""The CPU profile (tests/cpu_profile.py) counts a child's CPU once, whether it is still running or reaped."""

from __future__ import annotations

import subprocess
import sys

from tests.cpu_profile import _command_name, _Sample

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"


def test_a_reaped_child_is_counted_once() -> None:
    before = _Sample.now()
    subprocess.run([sys.executable, "-c", BURN], check=True)
    spent, _ = _Sample.now().since(before)
    assert 0.3 <= spent < 2.0  # the child's 0.3 s, its start-up, and this process's little


def test_a_live_child_is_counted_then_not_again_once_reaped() -> None:
    before = _Sample.now()
    child = subprocess.Popen([sys.executable, "-c", BURN + "import sys\nsys.stdin.read()\n"], stdin=subprocess.PIPE)
    middle = _Sample.now()
    while middle.since(before)[0] < 0.3:  # the burn ends; the child then waits on stdin, alive
        middle = _Sample.now()
    assert child.pid in middle.live
    child.communicate(b"")
    after = _Sample.now()
    assert child.pid not in after.live
    assert after.since(middle)[0] < 0.3, "the reaped child's earlier CPU was counted a second time"


def test_commands_are_named_by_their_script() -> None:
    assert _command_name([sys.executable, "client.py", "status"]) == f"{sys.executable.rsplit('/', 1)[1]} client.py"
    assert _command_name(["/x/python3", "-m", "orchestra.tools.offload", "1"]) == "python3 -m orchestra.tools.offload"
    assert _command_name(["/x/python3", "-c", "pass"]) == "python3 -c"
    assert _command_name(["bwrap", "--ro-bind"]) == "bwrap"
