"""What the log and span masker costs a span and a log line, by how many values a plan chose.

    python -m bench.log_masking [--spans 200]

Each run's http_request headers are remembered (up to MAX_REMEMBERED, 2,048) and masked in every log
line and every exported span. "span ms" masks one span shaped as an http_request's (url, status, an
error echoing a header); "line ms" one log line's fields; "add one ms" the stall one more value causes
(the next line builds it). All three should stay near the figure for no values, whatever the count
(before: 0.09 ms a span with none, 2.85 ms with 2,048, the masker made anew per line and each value a
pass of its own). "hostile" is 2,048 values each the one before and a character more ('a'*k + 'b') read
through 1,000 'a's; "prefixes" 2,048 values each a prefix of the next ('a'*k) read through runs of 'a's:
as regex tries, every place matched as far as the longest went (3.4 s, then 114 ms; 0.19 s for 1,000
'a's and 5.1-9 s for 10,000); as Aho-Corasick automata, each character is a step (0.3 ms, 0.9 ms, 12 ms).
"worst add" is the longest one remember of 2,048 took, one at a time (a merge of every level built them
all at once on the remembering thread: 0.2-0.75 s as a regex); "keep only" the rebuild once most are
forgotten. "100 KB base64" is a line of base64 read through every value (decoded at each offset, since
values are held as written only), "1 MiB add" remembering one header of a mebibyte (4.3 s and 250 MB
as an automaton, now found by str.find). "hostile texts" reads texts built to make the decoders work
hardest at 64 KiB and four times that: linear (ratio 3.6-4.5), about 0.5-3.7 us a character, so a text
of a megabyte costs seconds (2026-12, loaded machine). "an error's quote" is what the log's 500 characters
of a tool's error of 1 MiB cost: masked whole, then cut (before: on the event loop, every activity's
heartbeat held meanwhile), and masked only as far as a value begun before the cut can reach
(``redaction.quoted_start``), the same 500 characters. "a log line's field of 1 MiB" is a whole line's
masking with one such field (its texts joined, then each): masked whole, 17.9-19.8 s for ``%41+`` words,
8.3-8.6 s for ``%2541``, 2.4-5.6 s for base64 in lines; quoted to 64 KiB and decoded in C, about 1 s,
1 s and 0.4-0.7 s (2026-12, loaded machine). With a run's breaks being CR, spaces, tabs and soft breaks too
(attack148): 1 MiB of line breaks 0.48 s, of ``%25`` 0.78 s, of hex pairs 1.1 s, of ``AAAA=\n`` 0.94 s, the same
order as the rest. A line of many small texts cost their number: 10^5 items of a list 8.1 s (each text a pass
of every matcher: about 30-80 us a text, loaded machine), on the thread that logged; masked together now (one
pass of every matcher over them all, a text's base64 and hex runs decoded a call per offset), a line costs its
characters: CPU time, same machine and load, before -> after: 10^5 items 1202 -> 429 ms, 10^4 dicts of lists
1959 -> 609 ms, 2x10^4 distinct texts of 31 characters 1820 -> 1613 ms (most of it now each character's cost
in the worker key's every-form pattern and the runs' decoding), 8x10^4 of them 8167 -> 6084 ms (2026-12).
"""

from __future__ import annotations

import argparse
import base64
import functools
import random
import resource
import secrets
import string
import textwrap
import time
from collections.abc import Callable

from bench.table import print_table
from orchestra import secret_prefilter
from orchestra import secrets as masker_module
from orchestra.literal_set import LiteralSet
from orchestra.secrets import Masker
from orchestra.telemetry import redaction


def _ms_each(action: Callable[[], object], times: int) -> float:
    started = time.perf_counter()
    for _ in range(times):
        action()
    return (time.perf_counter() - started) * 1000 / times


def _span(header: str) -> dict[str, object]:
    return {
        "name": "http_request",
        "attributes": {"http.url": "https://api.example.com/v1/items?page=2", "http.status_code": 401},
        "events": [{"name": "exception", "attributes": {"exception.message": f"HTTP 401: bad header {header}"}}],
        "links": [],
        "status": "HTTP 401 from https://api.example.com/v1/items",
    }


def _row(count: int, spans: int) -> list[object]:
    redaction.forget_all()
    redaction.remember("sk-" + secrets.token_urlsafe(32))  # the worker's own key, in every form
    values = [f"X-Plan-{n}: " + secrets.token_urlsafe(24) for n in range(count)]
    redaction.remember(*values, every_form=False)
    span = _span(values[-1] if values else "none")
    line = {"event": "step finished", "node": "fetch", "error": f"echoed {values[0] if values else 'none'}"}
    redaction.redact(line)  # the worker's key's every-form pattern built once, as at a worker's start
    span_ms = _ms_each(lambda: redaction.redact([span]), spans)
    line_ms = _ms_each(lambda: redaction.redact_processor(None, "info", dict(line)), spans)

    more = [f"X-More-{n}: " + secrets.token_urlsafe(24) for n in range(20)]

    def add_one(value: str) -> None:
        redaction.remember(value, every_form=False)
        redaction.redact(line)

    add_ms = sum(_ms_each(functools.partial(add_one, value), 1) for value in more)
    return [count, f"{span_ms:.3f}", f"{line_ms:.3f}", f"{add_ms / len(more):.3f}"]


def _encoded_row() -> list[object]:
    """100 KB of base64 (a body a tool logged) with 2,048 values: each of its runs decoded at its 4 offsets
    and read (orchestra/encoded_spans.py); and the remembering of one header of 1 MiB."""
    redaction.forget_all()
    redaction.remember(
        *(f"X-Plan-{n}: " + secrets.token_urlsafe(24) for n in range(redaction.MAX_REMEMBERED)), every_form=False
    )
    blob = base64.b64encode(secrets.token_bytes(75_000)).decode()
    read_ms = _ms_each(lambda: redaction.redact_text(blob), 3)
    big = secrets.token_urlsafe(3 << 18)[: 1 << 20]
    add_ms = _ms_each(lambda: redaction.remember(big, every_form=False), 1)
    redaction.forget_all()
    return ["100 KB base64, 1 MiB add", "", f"{read_ms:.3f}", f"{add_ms:.3f}"]


# Texts built to make the decoders work hardest (orchestra/encoded_spans.py): every run decoded at each
# offset, every word holding a % read byte for byte, hex runs read as base64 too.
_HOSTILE: dict[str, Callable[[int], str]] = {
    "A": lambda n: "A" * n,
    "short base64 words": lambda n: " ".join(secrets.token_urlsafe(6) for _ in range(n // 9)),
    "%41+ words": lambda n: "%41+ " * (n // 5),
    "hex run": lambda n: "ab" * (n // 2),
    "half pairs and %": lambda n: "\ud800%41" * (n // 4),
    "%2541 twice": lambda n: "%2541" * (n // 5),
    "base64 in lines": lambda n: "\n".join(
        textwrap.wrap(base64.b64encode(secrets.token_bytes(n * 3 // 4)).decode(), 76)
    ),
    "hex pairs": lambda n: " ".join(f"{byte:02x}" for byte in secrets.token_bytes(n // 3)),
    "prose": lambda n: "the quick brown fox jumps over the lazy dog " * (n // 44),
    "line breaks": lambda n: "\n" * n,
    "%25": lambda n: "%25" * (n // 3),
    "base64 a space apart": lambda n: " ".join(
        textwrap.wrap(base64.b64encode(secrets.token_bytes(n * 3 // 4)).decode(), 4)
    ),
    "soft breaks": lambda n: "AAAA=\n" * (n // 6),
}


def _hostile_rows() -> list[list[object]]:
    """A hostile text of 64 KB and of four times that through 2,048 values and the worker's key: linear,
    the second should cost about four times the first (under ~6 on a loaded machine)."""
    redaction.forget_all()
    redaction.remember("sk-" + secrets.token_urlsafe(32))
    redaction.remember(
        *(f"X-Plan-{n}: " + secrets.token_urlsafe(24) for n in range(redaction.MAX_REMEMBERED)), every_form=False
    )
    redaction.redact_text("warm")  # the worker key's every-form pattern compiled, as at a worker's start
    rows: list[list[object]] = []
    for name, make in _HOSTILE.items():
        small, large = (_ms_each(functools.partial(redaction.redact_text, make(n)), 1) for n in (1 << 16, 1 << 18))
        rows.append([name, f"{small:.1f}", f"{large:.1f}", f"{large / small:.1f}"])
    redaction.forget_all()
    return rows


def _quote_rows() -> list[list[object]]:
    """The log's quote of a 1 MiB error of each hostile text, with 2,048 values and the worker's key."""
    redaction.forget_all()
    redaction.remember("sk-" + secrets.token_urlsafe(32))
    redaction.remember(
        *(f"X-Plan-{n}: " + secrets.token_urlsafe(24) for n in range(redaction.MAX_REMEMBERED)), every_form=False
    )
    redaction.redact_text("warm")
    rows: list[list[object]] = []
    for name, make in _HOSTILE.items():
        text = make(1 << 20)
        whole = _ms_each(functools.partial(redaction.redact_text, text), 1)  # then cut: nothing to measure
        quoted = _ms_each(functools.partial(redaction.quoted_start, text, 500), 3)
        same = redaction.redact_text(text)[:500] == redaction.quoted_start(text, 500)
        rows.append([name, f"{whole:.1f}", f"{quoted:.2f}", "yes" if same else "NO"])
    redaction.forget_all()
    return rows


def _field_rows() -> list[list[object]]:
    """A log line whose one field is 1 MiB of a hostile text, with 2,048 values and the worker's key: the
    whole line's masking (its fields joined, then each), as ``redact_processor`` does it."""
    redaction.forget_all()
    redaction.remember("sk-" + secrets.token_urlsafe(32))
    redaction.remember(
        *(f"X-Plan-{n}: " + secrets.token_urlsafe(24) for n in range(redaction.MAX_REMEMBERED)), every_form=False
    )
    redaction.redact_text("warm")
    rows: list[list[object]] = []
    for name in ("%41+ words", "%2541 twice", "base64 in lines", "line breaks", "%25", "hex pairs", "soft breaks"):
        text = _HOSTILE[name](1 << 20)
        line = {"event": "x", "f": text}
        line_ms = _ms_each(functools.partial(redaction.redact_processor, None, "info", line), 1)
        rows.append([name, f"{line_ms:.1f}"])
    # Many small texts: each is masked on its own (a pass of every matcher), the line's cost their number.
    for name, many in (
        ("10^5 items in a list", ["ab"] * 100_000),
        ("10^4 dicts of lists", [{"a": ["q"] * 10} for _ in range(10_000)]),
        ("2x10^4 distinct texts", [f"item {n}: QUJD{n:06d} on 2026-12-01" for n in range(20_000)]),
    ):
        line_ms = _ms_each(functools.partial(redaction.redact_processor, None, "info", {"event": "x", "f": many}), 1)
        rows.append([name, f"{line_ms:.1f}"])
    redaction.forget_all()
    return rows


def _short_secret_rows() -> list[list[object]]:
    """5, 50 and 200 secrets of 4-7 characters (PINs, short words): a Masker's build, and a text's masking, 120 KB and
    1 MB (the first time, its prefilters built and their automata warmed; then again). A pattern of each, their edges
    tried at every character by each: 4.5 s to build 50, 14.7 s per 120 KB; one pattern of them all, each kind of edge
    once: 1.5 s and 2.7 s (2026-12, loaded machine); 1 MB with 50 about 9 s, with 200 about 35 s. Tried only where RE2
    finds a form may begin (orchestra/secret_prefilter.py), CPU time, same machine: 1 MB with 50 0.19 s the first
    time and 12 ms after, with 200 0.65 s and 75 ms (2026-12)."""
    rng = random.Random(219)
    alphabet = string.ascii_letters + string.digits
    short = [("".join(rng.choice(alphabet) for _ in range(4 + n % 4))) for n in range(200)]
    words = ["order", "2026-12-01", "FY2026Q1", "status=ok", "id:4821", "user", "Token", "\\n", "%0A", "ZGF0YQ=="]
    text = " ".join(rng.choice(words) for _ in range(120_000 // 7))[:120_000] + " " + " ".join(short[:5])
    megabyte = " ".join(rng.choice(words) for _ in range(1_000_000 // 7))[:1_000_000] + " " + " ".join(short[:5])
    Masker(["warm"])  # the tables every masker shares (letters written alike, token edges), made once
    rows: list[list[object]] = []
    for count in (5, 50, 200):
        built: list[Masker] = []

        def build(count: int = count, built: list[Masker] = built) -> None:
            masker_module._compiled.cache_clear()
            masker_module._spelt_and_encoded.cache_clear()
            built[:] = [Masker(short[:count])]

        build_ms = _cpu_ms(build)
        masked = [f"{_cpu_ms(functools.partial(built[0].text, one)):.0f}" for one in (megabyte, megabyte, text)]
        rows.append([f"{count} short secrets", f"{build_ms:.0f}", *masked])
    return rows


def _random_base64_rows() -> list[list[object]]:
    """1 MB of random base64 (a tool printing a binary blob, or doing so on purpose) through 50 and 200 short
    secrets: its runs decoded at each offset and the secrets looked for in them. Tried at every decoded character by
    Python's ``re`` ("before", the decoded runs' prefilters taken away): 5.2-7.4 s with 50 and 7.1-13.3 s with 200,
    on the thread that masks every log line, the GIL held (2026-12, loaded machine). Tried only where RE2 finds one
    may begin (``secrets._match_spans``): the first time builds the RE2 automata for the text (every prefilter's:
    most of it, 5.6 s with 200, the encoded forms' kind of the short secrets' own prefilters), then 0.2-0.34 s for the
    same text, 0.8 s for another megabyte of random base64. "peak RSS MB": the process's, after the rows (RE2's memory is
    outside Python's allocator)."""
    rng = random.Random(255)
    alphabet = string.ascii_letters + string.digits
    short = ["".join(rng.choice(alphabet) for _ in range(4 + n % 4)) for n in range(200)]
    blob = base64.b64encode(rng.randbytes(750_000)).decode()
    Masker(["warm"])
    rows: list[list[object]] = []
    for count in (50, 200):
        masker = Masker(short[:count])
        first, again = (_cpu_ms(functools.partial(masker.text, blob)) for _ in range(2))
        assert masker._short_decoded is not None
        vars(masker_module)["prefilters"] = functools.partial(_except, set(masker._short_decoded[3]))
        try:
            before = _cpu_ms(functools.partial(masker.text, blob))
        finally:
            vars(masker_module)["prefilters"] = secret_prefilter.prefilters
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append([f"{count} short secrets", f"{before:.0f} -> {again:.0f}", f"{first:.0f}", f"{peak:.0f}"])
    return rows


def _except(skipped: set[tuple[str, ...]], cores: tuple[str, ...]) -> tuple[secret_prefilter.Prefilter, ...] | None:
    """``prefilters``, but none for ``skipped``: their patterns tried at every character, as before."""
    return None if cores in skipped else secret_prefilter.prefilters(cores)


def _cpu_ms(action: Callable[[], object]) -> float:
    """CPU time, not the wall's: on a machine shared by several, the wall clock measures the others too."""
    started = time.process_time()
    action()
    return (time.process_time() - started) * 1000


_BASE64_COLUMNS = ["secrets", "before -> after ms", "first time ms", "peak RSS MB"]
_SHORT_COLUMNS = ["secrets", "build ms", "1 MB first ms", "1 MB again ms", "120 KB ms"]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--spans", type=int, default=200)
    parser.add_argument("--short-secrets", action="store_true", help="only the short secrets' figures")
    options = parser.parse_args()
    if options.short_secrets:
        print_table("short secrets", _SHORT_COLUMNS, _short_secret_rows())
        print_table("1 MB random base64", _BASE64_COLUMNS, _random_base64_rows())
        return
    rows = [_row(count, options.spans) for count in (0, 256, redaction.MAX_REMEMBERED)]
    redaction.forget_all()
    chain = LiteralSet(["a" * k + "b" for k in range(6, 6 + redaction.MAX_REMEMBERED)])
    rows.append(["hostile", "", f"{_ms_each(lambda: chain.spans('a' * 1000), 3):.3f}", ""])
    prefixes = LiteralSet(["a" * k for k in range(6, 6 + redaction.MAX_REMEMBERED)])
    for length in (1_000, 10_000):
        text = "a" * length
        rows.append([f"prefixes, {length:,} a", "", f"{_ms_each(functools.partial(prefixes.spans, text), 1):.3f}", ""])
    rows.append(_encoded_row())
    values = [f"X-Plan-{n}: " + secrets.token_urlsafe(24) for n in range(redaction.MAX_REMEMBERED)]
    growing = LiteralSet()
    worst = max(_ms_each(functools.partial(growing.add, [value]), 1) for value in values)
    rows.append(["worst add, 2,048", "", "", f"{worst:.3f}"])
    rows.append(["keep only 512", "", "", f"{_ms_each(lambda: growing.keep_only(values[-512:]), 1):.3f}"])
    print_table("log and span masking", ["plan values", "span ms", "line ms", "add one ms"], rows)
    print_table("hostile texts", ["text", "64 KiB ms", "256 KiB ms", "ratio"], _hostile_rows())
    print_table("an error's quote, 1 MiB", ["text", "masked whole ms", "quoted_start ms", "same"], _quote_rows())
    print_table("a log line's field of 1 MiB", ["text", "line ms"], _field_rows())
    print_table("short secrets", _SHORT_COLUMNS, _short_secret_rows())
    print_table("1 MB random base64", _BASE64_COLUMNS, _random_base64_rows())


if __name__ == "__main__":
    main()
