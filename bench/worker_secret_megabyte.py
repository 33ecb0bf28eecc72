"""What masking a text with one worker secret (ORCHESTRA_SECRET_*, every form) costs, by the text's size.

    python -m bench.worker_secret_megabyte [--largest 1048576]

Each text is one short unit repeated: plain words, base64, digits, and units that begin a secret's forms over
and over (HTML references, C array bytes, percent-encoding, escapes), the texts that make the pattern of
every form work hardest. "x4" is the time of a text four times as long over the time of the one before: near
4 is linear. Masking runs in C holding the GIL: a figure here is a stall of every other thread of the worker.
Measured 2026-12 (quiet machine): 0.42-0.80 us a character, 0.45-0.80 s a MiB, x4 from 2.6 to 5.5 (noise): linear;
the 4-10 s a MiB seen before is this figure on a machine shared by seven.
"""

from __future__ import annotations

import argparse
import secrets
import time

from bench.table import print_table
from orchestra.secrets import Masker

UNITS = {
    "words": "lorem ipsum dolor ",
    "base64": "QUJDREVGR0hJSktM",
    "digits": "0123456789, ",
    "&#x73;": "&#x73;",
    "0x73, ": "0x73, ",
    "%41+ ": "%41+ ",
    "%2573": "%2573",
    "\\u0073": "\\u0073",
    "QUJD\\n": "QUJD\n",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--largest", type=int, default=1 << 20)
    largest = parser.parse_args().largest
    secret = "sk-" + secrets.token_urlsafe(32)
    masker = Masker([secret])
    masker.text("warm")  # the pattern of every form compiled once, as at a worker's start
    sizes = [largest // 16, largest // 4, largest]
    rows = []
    for name, unit in UNITS.items():
        times = []
        for size in sizes:
            text = (unit * (size // len(unit) + 1))[:size]
            started = time.perf_counter()
            masker.text(text)
            times.append(time.perf_counter() - started)
        rows.append(
            [name, *(f"{t:.2f}" for t in times), f"{times[2] / times[1]:.1f}", f"{times[2] / largest * 1e6:.2f}"]
        )
    header = ["text", *(f"{s // 1024} KiB s" for s in sizes), "x4", "us/char"]
    print_table("one worker secret, every form", header, rows)


if __name__ == "__main__":
    main()
