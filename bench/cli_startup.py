"""How long `client.py` takes to start, as a person typing commands feels it (targets: `--help` < 0.3 s, `plan` < 0.5 s).

    .venv/bin/python -m bench.cli_startup [--repeats 15]

Each command line runs as a fresh process (what a shell does), wall clock from spawn to exit; the table
gives the median and the spread over the repeats, next to a bare `python -c pass` for the floor. The
commands that need Temporal are pointed at a closed port, so they measure start-up and the failed
connection, not a server.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
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


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    holder, address = closed_address()
    env = {**os.environ, "TEMPORAL_ADDRESS": address, "NO_COLOR": "1"}
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
    ]
    rows = []
    for label, argv in cases:
        timed(argv, env)  # warm the file cache and .pyc files
        samples = [timed(argv, env) for _ in range(args.repeats)]
        rows.append([label, f"{statistics.median(samples):.3f}", f"{min(samples):.3f}", f"{max(samples):.3f}"])
    holder.close()
    print_table(
        f"CLI start-up, wall clock per process, {args.repeats} runs each (seconds)",
        ["command", "median", "min", "max"],
        rows,
    )


if __name__ == "__main__":
    main()
