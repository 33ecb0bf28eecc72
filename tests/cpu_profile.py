"""Opt-in: the CPU seconds each test module costs, its subprocesses' included (ORCHESTRA_TEST_CPU=FILE).

On CI's two cores the suite is CPU-bound (no idle CPU in any sample of a run), so its wall time falls only when
its CPU does, and wall times measured under other load rank modules badly. This plugin counts, per module, the
user+system CPU of the pytest process and of every process under it: the live ones read from /proc (the dev
server, MCP servers, workers a test started), the ones already reaped from os.times()' children fields, so a
client.py that came and went within a test is counted. It also counts the subprocesses a module started (the
``subprocess.Popen`` audit event, which asyncio's subprocesses raise too) and names their commands. The setup
of session-scoped fixtures (dev server, moto, HTTP servers) is booked apart, under ``session:<fixture>``. Each
module's wall seconds (its tests' set-up, call and teardown) are kept beside its CPU: tests/slowest_first.py orders
the modules by wall time, and a module that mostly waits (on timers, retries, a process it killed) shows as wall with
little CPU.

Each pytest process (each xdist worker) appends its records to FILE as JSON lines at the end of its session;
``python -m tests.cpu_profile FILE`` ranks the modules. Linux only (/proc); psutil is no dependency of the project.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ENV = "ORCHESTRA_TEST_CPU"
_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stats() -> Iterator[tuple[int, int, str, float]]:
    """(pid, parent pid, command, CPU s of it and its reaped children) of every process readable in /proc."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:  # gone since the listing
            continue
        # The command is in parentheses and may hold spaces or parentheses itself: the fields follow the last ')'.
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
        yield int(entry.name), int(fields[1]), name, (utime + stime + cutime + cstime) / _TICKS


def _descendants_cpu(root: int) -> dict[int, tuple[str, float]]:
    """Every live process under ``root`` (not root itself): pid -> (command, CPU s incl. its reaped children)."""
    stats = {pid: (parent, name, cpu) for pid, parent, name, cpu in _proc_stats()}
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    found: dict[int, tuple[str, float]] = {}
    todo = list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found[pid] = (stats[pid][1], stats[pid][2])
        todo.extend(children.get(pid, ()))
    return found


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@dataclass
class _Sample:
    own: float  # this process and its reaped children
    live: dict[int, tuple[str, float]]  # live descendants

    @classmethod
    def now(cls) -> _Sample:
        return cls(_own_cpu(), _descendants_cpu(os.getpid()))

    def total(self) -> float:
        return self.own + sum(cpu for _, cpu in self.live.values())

    def since(self, before: _Sample) -> tuple[float, Counter[str]]:
        """CPU s spent since ``before`` in all, and the live descendants' share by command. A descendant reaped
        in between moved all its time from ``live`` into a parent's children fields (ours in ``own``, or a live
        descendant's): the difference of the totals counts it once."""
        by_command: Counter[str] = Counter()  # CPU s (floats) by command
        for pid, (name, cpu) in self.live.items():
            earlier = before.live.get(pid)
            by_command[name] += cpu - (earlier[1] if earlier and earlier[0] == name else 0.0)  # type: ignore[assignment]
        return self.total() - before.total(), by_command


@dataclass
class _Record:
    cpu: float = 0.0
    wall: float = 0.0
    tests: int = 0
    subprocesses: int = 0
    commands: Counter[str] = field(default_factory=Counter)
    live_by_command: Counter[str] = field(default_factory=Counter)  # CPU s by command: floats


def _command_name(args: Any) -> str:
    """A short name of a started command: the script for an interpreter (client.py, worker.py, -m x), else the program."""
    parts = [os.fsdecode(args)] if isinstance(args, str | bytes | os.PathLike) else [os.fsdecode(part) for part in args]
    if not parts:
        return "?"
    program = os.path.basename(parts[0])
    if program.startswith("python") and len(parts) > 1:
        rest = parts[1:]
        if rest[0] in ("-m", "-c") and len(rest) > 1:
            return f"{program} -m {rest[1]}" if rest[0] == "-m" else f"{program} -c"
        scripts = [part for part in rest if not part.startswith("-")]
        return f"{program} {os.path.basename(scripts[0])}" if scripts else program
    return program


class CpuProfile:
    """The plugin: CPU and subprocesses per module, session fixtures' setup apart."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: dict[str, _Record] = {}
        self.current: _Record | None = None
        self._excluded = (0.0, 0.0)  # CPU and wall s of session fixtures' setup within the running test, booked apart
        sys.addaudithook(self._audit)

    def _audit(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "subprocess.Popen" and self.current is not None:
            self.current.subprocesses += 1
            self.current.commands[_command_name(args[1])] += 1

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
        module = item.nodeid.split("::", 1)[0]
        self.current = self.records.setdefault(module, _Record())
        self.current.tests += 1
        before, started = _Sample.now(), time.monotonic()
        self._excluded = (0.0, 0.0)
        yield
        cpu, by_command = _Sample.now().since(before)
        self.current.cpu += cpu - self._excluded[0]
        self.current.wall += time.monotonic() - started - self._excluded[1]
        self.current.live_by_command.update(by_command)
        self.current = None
        if nextitem is None or nextitem.nodeid.split("::", 1)[0] != module:
            self._write([module])  # a module of a later scope may come back to it: rank() sums its records

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any]) -> Generator[None, None, None]:
        if fixturedef.scope != "session":
            yield
            return
        outer, key = self.current, f"session:{fixturedef.argname}"
        self.current = self.records.setdefault(key, _Record())
        before, started = _Sample.now(), time.monotonic()
        yield
        cpu, by_command = _Sample.now().since(before)
        wall = time.monotonic() - started
        self.current.cpu += cpu
        self.current.wall += wall
        self.current.tests += 1
        self.current.live_by_command.update(by_command)
        self.current = outer
        self._excluded = (self._excluded[0] + cpu, self._excluded[1] + wall)

    def _write(self, keys: list[str]) -> None:
        """Append the records of ``keys`` and forget them: a run stopped half-way keeps the modules it finished."""
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        lines = []
        for key in keys:
            record = self.records.pop(key)
            row = {
                "worker": worker,
                "scope": key,
                "cpu": round(record.cpu, 3),
                "wall": round(record.wall, 3),
                "tests": record.tests,
                "subprocesses": record.subprocesses,
                "commands": dict(record.commands),
                "live_by_command": {name: round(cpu, 3) for name, cpu in record.live_by_command.items() if cpu},
            }
            lines.append(json.dumps(row) + "\n")
        with self.path.open("a") as out:
            out.write("".join(lines))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self._write(list(self.records))


def register(config: pytest.Config) -> None:
    """Profile this process when ORCHESTRA_TEST_CPU names a file: a test-running process, not xdist's controller."""
    target = os.environ.get(ENV)
    if target and (os.environ.get("PYTEST_XDIST_WORKER") or not config.getoption("numprocesses", None)):
        config.pluginmanager.register(CpuProfile(Path(target)), "orchestra-cpu-profile")


def rank(path: Path) -> str:
    """The modules of a profile by CPU, most first, records of the same scope summed over runs and workers."""
    totals: dict[str, _Record] = {}
    for line in path.read_text().splitlines():
        row = json.loads(line)
        record = totals.setdefault(row["scope"], _Record())
        record.cpu += row["cpu"]
        record.wall += row.get("wall", 0.0)  # profiles written before wall was kept have none: shown as "-"
        record.tests += row["tests"]
        record.subprocesses += row["subprocesses"]
        record.commands.update(row["commands"])
        record.live_by_command.update(row["live_by_command"])
    out = [
        f"{'CPU s':>8} {'wall s':>7} {'tests':>5} {'procs':>5}  scope: subprocesses started; CPU of live descendants"
    ]
    for scope, record in sorted(totals.items(), key=lambda pair: -pair[1].cpu):
        started = ", ".join(f"{name} x{count}" for name, count in record.commands.most_common(4))
        live = ", ".join(f"{name} {cpu:.1f}" for name, cpu in record.live_by_command.most_common(3))
        out.append(
            f"{record.cpu:8.1f} {f'{record.wall:.1f}' if record.wall else '-':>7} {record.tests:5} {record.subprocesses:5}  {scope}: {started}; {live}"
        )
    out.append(f"{sum(record.cpu for record in totals.values()):8.1f} in all")
    return "\n".join(out)


if __name__ == "__main__":
    print(rank(Path(sys.argv[1])))
