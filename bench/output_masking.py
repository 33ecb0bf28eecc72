"""What masking a tool's output costs: the worker's secret settings masked in every output, at every size.

    python -m bench.output_masking [--sizes 1000,10000,100000,1000000,10000000] [--settings 0,3,10]

Each output goes through the activity's own walk (activities/tools.py ``_output_value``): the call's
secrets (none here) and the worker's secret settings (ORCHESTRA_SECRET_*, set here) masked in every form.
An output is a JSON object of rows (many short strings) or one bare string of the same size, of text a
tool prints (words, numbers, hex digests, base64 runs), holding no secret: the cost every call pays; or one line a
hex dump's would begin, of hex pairs to its end, or lines of each dump form the masker reads, each at its most
costly (hostile outputs: ``_HOSTILE_DUMPS``).
Each figure is the CPU time of the masking thread (the machine is shared). "Build s" is the settings' masker
made from nothing (its patterns' caches emptied), as after a change; "first find s" its first text holding a setting
masked (that one's pattern compiled, where its prefilter first finds it).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import random
import time
from collections.abc import Callable
from typing import Any

from activities.tools import _output_value
from bench.table import print_table
from orchestra import secrets as secret_module
from orchestra.secret_settings import ENV_PREFIX

_WORDS = [
    "the",
    "tool",
    "read",
    "a",
    "file",
    "of",
    "rows",
    "and",
    "wrote",
    "its",
    "status",
    "code",
    "with",
    "the",
    "value",
    "returned",
    "by",
    "the",
    "server",
    "in",
]


def _line(rng: random.Random, number: int) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 12)))
    digest = hashlib.sha256(str(number).encode()).hexdigest()
    blob = base64.b64encode(rng.randbytes(rng.randint(6, 30))).decode()
    return f"{number}: {words} id={digest[:16]} data={blob} took {rng.randint(1, 999)} ms"


def _bare(size: int) -> str:
    rng, length = random.Random(size), 0
    lines: list[str] = []
    while length < size:
        lines.append(_line(rng, len(lines)))
        length += len(lines[-1]) + 1
    return "\n".join(lines)[:size]


def _object(size: int) -> dict[str, Any]:
    rng, length = random.Random(size), 0
    rows: list[dict[str, Any]] = []
    while length < size:
        text = _line(rng, len(rows))
        rows.append({"id": len(rows), "name": f"row {len(rows)}", "text": text, "ok": rng.random() < 0.5})
        length += len(text) + 40
    return {"status": 200, "rows": rows}


def _dump_line(size: int) -> str:
    """One line that begins as a hex dump's and goes on with hex pairs its ASCII column does not match: an output a
    hostile server can send (each pair given back and the line measured again took seconds: hex_dumps._parsed)."""
    return "00000000:" + " 00" * (size // 3) + "  zz"


def _lines(size: int, line: str) -> str:
    """``line`` again and again, one a line, to ``size`` characters."""
    return "\n".join([line] * max(size // (len(line) + 1), 1))


# Outputs of dump lines of each form the masker reads (orchestra/hex_dumps.py), each at its most costly: lines of the
# most bytes a dump writes whose ASCII column never matches (every group given back), quoted; xxd -p's plain hex,
# quoted; od -c's fields; '*' lines, each standing for lines repeated as far as offsets can say.
_HOSTILE_DUMPS: dict[str, Callable[[int], str]] = {
    "dump line": _dump_line,
    "quoted dump lines": lambda size: _lines(size, "> 12: 00000000:" + " 00" * 256 + "  zz"),
    "plain hex lines": lambda size: _lines(size, "> " + "00" * 30),
    "od -c lines": lambda size: _lines(size, "0000000" + "   a" * 16),
    "repeat lines": lambda size: _lines(size, "00000000  " + "41 " * 16 + " |AAAAAAAAAAAAAAAA|\n*\nffffffffffff"),
    # od's words a byte (-td1's decimal, -ta's names) and xxd -b's bits, each line read to its end and failing there
    # (every way of reading it tried); od -An's fields with no offset, the same.
    "od -td1 lines": lambda size: _lines(size, "> 12: 0000000" + "  -99" * 230 + " zzzz"),
    "od -ta lines": lambda size: _lines(size, "> 0000000" + " nul" * 290 + " zzzz"),
    "od -An -c lines": lambda size: _lines(size, "> " + "   a" * 290 + "zzzz"),
    "xxd -b lines": lambda size: _lines(size, "> 00000000: " + "01100011 " * 128 + " zzzz"),
    # Numbers of any width (od -d's, od -td4's), one a line (od -w1's, xxd -c 1's), and od -tx1 -tc's rows of two
    # kinds, each line failing at its end; lines of numbers read in each base, byte order and with the offset as a
    # word, each a column.
    "od -d lines": lambda size: _lines(size, "> 12: 0000000" + " 30840" * 190 + " zzzz"),
    "od -td4 lines": lambda size: _lines(size, "> 0000000" + "  1868789880" * 95 + " zzzz"),
    "one number lines": lambda size: _lines(size, "> 0000017 74"),
    "seq lines": lambda size: "\n".join(map(str, range(1, size // 3 + 10)))[
        :size
    ],  # seq's, a CSV column's: ordinary output
    "xxd -c 1 lines": lambda size: _lines(size, "00000000: 65  e"),
    # A narrow dump behind a log's prefix, and two numbers a line (a table's, od -An -w2 -tu1's): read as a block too.
    "log xxd -c 1 lines": lambda size: _lines(size, "2026-12-02T10:00:00Z stdout: 00000000: 65  e"),
    "two numbers lines": lambda size: "\n".join(f"{n} {7 * n}" for n in range(1, size // 6))[:size],
    "od -tx1 -tc lines": lambda size: _lines(size, "0000000" + "  78" * 16 + "\n       " + "   x" * 16),
    # Short blocks of one value a line, each followed by a line a dump reads (the block's end read again with it).
    "short blocks + dump line": lambda size: _lines(size, "0\n1\n2\n3\n4\nab cd ef"),
    "16-line blocks + xxd line": lambda size: _lines(
        size, "\n".join(map(str, range(16))) + "\n00000000: 6865 6c6c  he"
    ),
    # A wide string's bytes each escaped or percent-encoded (orchestra/escaped_bytes.py reads both): every byte may
    # begin a secret's form.
    "\\x bytes": lambda size: _lines(size, "\\x41\\x00" * 60),
    "%XX bytes": lambda size: _lines(size, "%41%00%00%00" * 30),
}


def _xxd(size: int, values: dict[str, str]) -> str:
    """xxd's dump of the settings' values again and again, to ``size`` characters: a dump full of secrets, each found
    and masked."""
    data = (" ".join(values.values()) + "\n").encode() * max(size // 4 // (sum(map(len, values.values())) + 1), 1)
    rows = (data[at : at + 16] for at in range(0, len(data), 16))
    return "\n".join(
        f"{16 * n:08x}: {' '.join(row[i : i + 2].hex() for i in range(0, len(row), 2)):<39}  "
        + "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        for n, row in enumerate(rows)
    )[:size]


def _settings(count: int) -> dict[str, str]:
    rng = random.Random(count)
    return {f"{ENV_PREFIX}BENCH_{n}": base64.b64encode(rng.randbytes(32 + 8 * n)).decode() for n in range(count)}


def _seconds(action: Callable[[], object]) -> float:
    """The CPU time of this thread ``action`` took: the machine's other work (a shared one) left out."""
    started = time.thread_time()
    action()
    return time.thread_time() - started


def _with_settings(values: dict[str, str], action: Callable[[], object]) -> float:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        return _seconds(action)
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _build(values: dict[str, str]) -> tuple[float, float]:
    """The settings' masker made from nothing, and its first text holding one of them masked (its pattern compiled
    where its prefilter first finds it)."""
    secret_module._compiled.cache_clear()
    secret_module._spelt_and_encoded.cache_clear()
    secret_module._short_compiled.cache_clear()
    secret_module._masker_of.cache_clear()
    secret_module._long_prefilters.cache_clear()
    masker: list[secret_module.Masker] = []
    build = _seconds(lambda: masker.append(secret_module.Masker(list(values.values()))))
    return build, _seconds(lambda: masker[0].text(f"found: {next(iter(values.values()))}."))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000,10000000")
    parser.add_argument("--settings", default="0,3,10")
    parser.add_argument(
        "--dumps", default=",".join([*_HOSTILE_DUMPS, "xxd of settings"]), help="the hostile dump outputs measured"
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    counts = [int(count) for count in options.settings.split(",")]
    rows: list[list[object]] = []
    builds: list[list[object]] = []
    for count in counts:
        values = _settings(count)
        build, first = _build(values) if values else (0.0, 0.0)
        builds.append([count, f"{build:.3f}" if values else "-", f"{first:.3f}" if values else "-"])
        _with_settings(values, lambda: _output_value({"warm": "up"}, []))  # the masker made once, as a worker does
        for size in sizes:
            outputs = {"object": _object(size), "string": _bare(size)}
            outputs |= {kind: hostile(size) for kind, hostile in _HOSTILE_DUMPS.items() if kind in options.dumps}
            if values and "xxd of settings" in options.dumps:
                outputs["xxd of settings"] = _xxd(size, values)
            for kind, output in outputs.items():
                # The least of a few runs below a megabyte: one run of a millisecond is mostly the machine's noise.
                runs = range(5 if size <= 100_000 else 1)
                ms = 1000 * min(_with_settings(values, lambda output=output: _output_value(output, [])) for _ in runs)  # type: ignore[misc]
                rows.append([count, f"{size:,}", kind, f"{ms:.1f}"])
    print_table("masker build", ["settings", "build CPU s", "first find CPU s"], builds)
    print_table("tool output masking", ["settings", "chars", "output", "CPU ms"], rows)


if __name__ == "__main__":
    main()
