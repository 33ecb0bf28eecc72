"""What masking secrets costs: the log redaction's remembered values, one more added, and a text masked.

    python -m bench.secret_masking [--remembered 200] [--length 64]

The log redaction remembers up to MAX_REMEMBERED values and masks each in every form; each Masker
compiles a secret's pattern once per process. The "one more" column is the stall one new value causes:
it should stay near one secret's build, whatever the count (it grew with the count when all were one
alternation).
"""

from __future__ import annotations

import argparse
import secrets
import time
from collections.abc import Callable

from bench.table import print_table
from orchestra.secrets import Masker


def _seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _row(count: int, length: int) -> list[object]:
    values = [secrets.token_urlsafe(length)[:length] for _ in range(count)]
    first = _seconds(lambda: Masker(values))
    more = _seconds(lambda: Masker([*values, secrets.token_urlsafe(length)[:length]]))
    masker, text = Masker(values), "x" * 100_000
    return [count, length, f"{first:.3f}", f"{more:.3f}", f"{_seconds(lambda: masker.text(text)):.3f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--remembered", type=int, default=200)
    parser.add_argument("--length", type=int, default=64)
    options = parser.parse_args()
    rows = [_row(count, options.length) for count in (1, options.remembered // 4, options.remembered)]
    print_table("secret masking", ["values", "length", "first build s", "one more s", "mask 100 kB s"], rows)


if __name__ == "__main__":
    main()
