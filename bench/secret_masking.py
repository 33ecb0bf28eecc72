"""What masking secrets costs: the log redaction's remembered values, one more added, and a text masked.

    python -m bench.secret_masking [--remembered 200] [--length 64]

The log redaction remembers up to MAX_REMEMBERED values and masks each in every form; each Masker
compiles a secret's pattern once per process. The "one more" column is the stall one new value causes:
it should stay near one secret's build, whatever the count (it grew with the count when all were one
alternation). "near misses" masks 100 kB of the first value's forms each cut one character short, the
text that makes each attempt run longest: it should stay within a few times the plain text's figure.
"""

from __future__ import annotations

import argparse
import base64
import secrets
import time
from collections.abc import Callable
from urllib.parse import quote

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
    hostile = _near_misses(values[0], 100_000)
    plain, near = _seconds(lambda: masker.text(text)), _seconds(lambda: masker.text(hostile))
    return [count, length, f"{first:.3f}", f"{more:.3f}", f"{plain:.3f}", f"{near:.3f}"]


def _near_misses(secret: str, size: int) -> str:
    """A text a tool's output could be to make matching work hardest: each form of the secret whole but
    for its last character, again and again (every attempt runs to the end before it fails)."""
    data = secret.encode()
    forms = [secret, data.hex(" ", 2), str(list(data)), base64.b64encode(data).decode(), quote(secret, safe="")]
    unit = "".join(form[:-1] + "#" for form in forms)
    return (unit * (size // len(unit) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--remembered", type=int, default=200)
    parser.add_argument("--length", type=int, default=64)
    options = parser.parse_args()
    rows = [_row(count, options.length) for count in (1, options.remembered // 4, options.remembered)]
    print_table(
        "secret masking", ["values", "length", "first build s", "one more s", "mask 100 kB s", "near misses s"], rows
    )


if __name__ == "__main__":
    main()
