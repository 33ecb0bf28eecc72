"""The CPU profile (tests/cpu_profile.py) counts a child's CPU once, whether it is still running or reaped."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Generator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from tests.cpu_profile import CpuProfile, _command_name, _Sample, rank

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


def _finish(hook: Generator[None, None, None]) -> None:
    with pytest.raises(StopIteration):
        next(hook)


def test_a_modules_wall_time_is_kept_beside_its_cpu_and_a_session_fixtures_setup_apart(tmp_path: Path) -> None:
    """slowest_first orders modules by wall time: a test that waits shows its wait, and the session fixture it
    started (a dev server) is booked apart, as its CPU is."""
    path = tmp_path / "profile.jsonl"
    profile = CpuProfile(path)
    test = profile.pytest_runtest_protocol(cast(pytest.Item, SimpleNamespace(nodeid="tests/waits.py::t")), None)
    next(test)
    fixture = profile.pytest_fixture_setup(cast(Any, SimpleNamespace(scope="session", argname="server")))
    next(fixture)
    time.sleep(0.3)
    _finish(fixture)
    time.sleep(0.2)
    _finish(test)
    profile.pytest_sessionfinish(cast(pytest.Session, None))
    rows = {row["scope"]: row for row in map(json.loads, path.read_text().splitlines())}
    assert 0.2 <= rows["tests/waits.py"]["wall"] < 0.3 + 0.2 and rows["tests/waits.py"]["cpu"] < 0.2, rows
    assert rows["session:server"]["wall"] >= 0.3, rows
    header, *lines = rank(path).splitlines()
    assert header.split()[:4] == ["CPU", "s", "wall", "s"], header
    waited = next(line.split() for line in lines if "tests/waits.py:" in line)
    assert float(waited[1]) == round(rows["tests/waits.py"]["wall"], 1), waited
