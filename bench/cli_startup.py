"""How long `client.py` takes to start, as a person typing commands feels it (targets: `--help` < 0.3 s, `plan` < 0.5 s).

    .venv/bin/python -m bench.cli_startup [--repeats 15] [--only plan]

Each command line runs as a fresh process (what a shell does), wall clock from spawn to exit and the CPU
time it used (user + system); the table gives the medians and the wall clock's spread over the repeats, next
to a bare `python -c pass` for the floor. The CPU time is the figure to compare on a shared machine: other
work stretches the wall clock, hardly the CPU time. The commands that need Temporal are pointed at a closed
port, so they measure start-up and the failed connection, not a server. With PYTHONDONTWRITEBYTECODE set
(as in CI) every run compiled every module again, which no installed client does: the commands then keep
their bytecode in a folder of the benchmark's own.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from bench.table import print_table
from orchestra.settings import PROJECT_ROOT

EXAMPLE = str(PROJECT_ROOT / "examples" / "site_report.yaml")
CLIENT = str(PROJECT_ROOT / "client.py")
TASK = "fetch https://example.com and save the page to page.html"  # issue 11: under 0.5 s end to end


def closed_address() -> tuple[socket.socket, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound, never listening: a connection is refused at once
    return sock, f"127.0.0.1:{sock.getsockname()[1]}"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall clock and CPU time (user + system) of one run of ``argv``, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def with_bytecode(env: dict[str, str], folder: str) -> dict[str, str]:
    """``env``, where a command keeps the bytecode it compiles: in ``folder`` when the environment says to
    write none (the project's files and the shared virtualenv stay untouched)."""
    if not env.get("PYTHONDONTWRITEBYTECODE"):
        return env
    kept = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**kept, "PYTHONPYCACHEPREFIX": folder}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--only", default="", help="run only the commands whose label holds this text")
    args = parser.parse_args()
    holder, address = closed_address()
    bytecode = tempfile.TemporaryDirectory(prefix="cli-startup-bytecode-")
    written = tempfile.TemporaryDirectory(prefix="cli-startup-plan-")
    out = os.path.join(written.name, "plan.yaml")
    env = with_bytecode({**os.environ, "TEMPORAL_ADDRESS": address, "NO_COLOR": "1"}, bytecode.name)
    cases = [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
        ("client.py --help", [sys.executable, CLIENT, "--help"]),
        ("client.py status --help", [sys.executable, CLIENT, "status", "--help"]),
        ("client.py schedule create --help", [sys.executable, CLIENT, "schedule", "create", "--help"]),
        ("client.py status (usage error)", [sys.executable, CLIENT, "status"]),
        ("client.py validate --plan site_report", [sys.executable, CLIENT, "validate", "--plan", EXAMPLE]),
        ("client.py status ID (unreachable)", [sys.executable, CLIENT, "status", "some-id"]),
        ("client.py list (unreachable)", [sys.executable, CLIENT, "list"]),
        ("client.py cancel ID (unreachable)", [sys.executable, CLIENT, "cancel", "some-id"]),
        ("client.py plan TASK (built-ins, offline)", [sys.executable, CLIENT, "plan", TASK]),
        ("client.py plan --json TASK (built-ins, offline)", [sys.executable, CLIENT, "plan", "--json", TASK]),
        ("client.py plan --out FILE TASK (checks the sizes)", [sys.executable, CLIENT, "plan", "--out", out, TASK]),
    ]
    rows = []
    for label, argv in cases:
        if args.only not in label and "floor" not in label:
            continue
        timed(argv, env)  # warm the file cache and .pyc files
        walls, cpus = zip(*(timed(argv, env) for _ in range(args.repeats)), strict=True)
        rows.append([label, f"{statistics.median(walls):.3f}", f"{min(walls):.3f}", f"{max(walls):.3f}",
                     f"{statistics.median(cpus):.3f}"])  # fmt: skip
    holder.close()
    bytecode.cleanup()
    written.cleanup()
    print_table(
        f"CLI start-up per process, {args.repeats} runs each (seconds)",
        ["command", "wall median", "wall min", "wall max", "CPU median"],
        rows,
    )


if __name__ == "__main__":
    main()
