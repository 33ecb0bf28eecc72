"""What an MCP server's stderr costs the worker: a chatty server's lines, with the server's secrets masked.

    python -m bench.mcp_stderr [--lines 20000] [--secrets 4]

Every line of a stdio server's stderr used to be masked as it came (each secret's every-form pattern run
over it), though only the last STDERR_LINES are ever shown; now lines are kept as they came and masked
when the tail is read (an error naming why the server went away). "per line" is the old cost of one line,
"whole stream" what the old reading spent on the stream, "tail read" what reading the tail costs now.
"""

from __future__ import annotations

import argparse
import secrets
import time
from collections import deque

from bench.table import print_table
from orchestra.mcp.transports import STDERR_LINE_CHARS, STDERR_LINES
from orchestra.secrets import Masker


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--secrets", type=int, default=4)
    options = parser.parse_args()
    masker = Masker([secrets.token_urlsafe(32) for _ in range(options.secrets)])
    masker.text("warm")  # the patterns are compiled once per process, not per line
    lines = [
        f"INFO 2026-01-01T00:00:{i % 60:02d} downloading shard {i} of the model ({i * 37 % 100}%)"
        for i in range(options.lines)
    ]
    started = time.perf_counter()
    for line in lines:
        masker.text(line)[:STDERR_LINE_CHARS]
    every = time.perf_counter() - started
    kept: deque[str] = deque(lines, maxlen=STDERR_LINES)
    started = time.perf_counter()
    " | ".join(masker.text(line)[:STDERR_LINE_CHARS] for line in kept)
    tail = time.perf_counter() - started
    rows = [
        [
            options.lines,
            options.secrets,
            f"{every / options.lines * 1e6:.1f} µs",
            f"{every:.3f} s",
            f"{tail * 1e3:.2f} ms",
        ]
    ]
    print_table("MCP server stderr", ["lines", "secrets", "per line", "whole stream", "tail read"], rows)


if __name__ == "__main__":
    main()
