"""Where a text holds exact values base64- or hex-encoded: its encoded runs decoded, the values looked for
in what they decode to, and each one found mapped back to the characters that encode it.

A plan's values are masked in logs and spans as literals (orchestra/telemetry/redaction.py); their base64
(two alphabets, three byte offsets) and hex (two cases) as literals too would be about 12 times each
value's length in the masker's automata, and the 1 MiB they may take in all would hold a quarter as many
values. Decoded here instead, a text costs a pass over its runs of base64 and hex characters, and nothing
is kept per value. What decodes to UTF-8 is read byte for byte (Latin-1): a value outside ASCII is found
in it as its UTF-8 read as Latin-1, a form the caller remembers.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

# Both alphabets at once (a run mixing them decodes as one): a value of 6 bytes is 8 characters.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{8,}")
_HEX_RUN = re.compile(r"[0-9A-Fa-f]{12,}")
_TO_STANDARD = str.maketrans("-_", "+/")
_WORD = re.compile(r"[^\s\"'<>]+")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_CACHED_RUN = 256

Finder = Callable[[str], Iterable[tuple[int, int]]]


def encoded_spans(text: str, find: Finder) -> list[tuple[int, int]]:
    """The characters of ``text`` that encode what ``find`` finds in a base64 or hex run of it decoded:
    from each of the 4 (base64) or 2 (hex) places a run's first whole byte may begin, since the run may
    begin with a word's letters that are no part of the encoding (``tokenaGVsbG8``). A character that
    holds bits of a found byte and of its neighbour is masked with it."""
    segments = [
        _Segment(run.start() + skip, bits, decoded)
        for pattern, decodings in ((_BASE64_RUN, _base64_decodings), (_HEX_RUN, _hex_decodings))
        for run in pattern.finditer(text)
        # Cached for a word, not a blob: 4,096 runs of a megabyte would be kept.
        for skip, bits, decoded in (decodings if run.end() - run.start() <= _CACHED_RUN else decodings.__wrapped__)(
            run.group()
        )
    ]
    segments += [segment for run in _WORD.finditer(text) if "%" in run.group() for segment in _percent_decodings(run)]
    if not segments:
        return []
    # One text for them all, read once: a call per segment read every level of the automata each time
    # (0.2 ms a span became 1.4 ms with 2,048 values). A run found across a separator is cut at it, each
    # part masked: more than needed only for a value holding the separator, never less.
    joined = _SEPARATOR.join(segment.decoded for segment in segments)
    starts = list(itertools.accumulate((len(segment.decoded) + 1 for segment in segments[:-1]), initial=0))
    spans: list[tuple[int, int]] = []
    for begin, end in find(joined):
        for index in range(bisect.bisect_right(starts, begin) - 1, len(segments)):
            first = max(begin - starts[index], 0)
            last = min(end - starts[index], len(segments[index].decoded))
            if last <= 0:
                break
            if first < last:
                spans.append(segments[index].characters(first, last))
    return spans


@functools.lru_cache(maxsize=4096)  # a log line's and a span's names and words are the same each time
def _base64_decodings(run: str) -> tuple[tuple[int, int, str], ...]:
    chars = run.translate(_TO_STANDARD)
    decodings = []
    for skip in range(4):
        usable = len(chars) - skip
        usable -= usable % 4 == 1  # a lone last character holds no whole byte
        if usable < 8:
            break
        decoded = base64.b64decode(chars[skip : skip + usable] + "=" * (-usable % 4))
        decodings.append((skip, 6, decoded.decode("latin-1")))
    return tuple(decodings)


@functools.lru_cache(maxsize=4096)
def _hex_decodings(run: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (skip, 4, bytes.fromhex(run[skip : skip + (len(run) - skip) // 2 * 2]).decode("latin-1")) for skip in range(2)
    )


_SEPARATOR = "\ud800"  # no byte decodes to it


class _Segment(NamedTuple):
    """A run of ``text`` from ``start`` decoded, ``bits`` bits a character, or each decoded byte from its
    own place (``ends``: where each ends, percent-decoded)."""

    start: int
    bits: int
    decoded: str
    ends: tuple[int, ...] = ()

    def characters(self, first: int, last: int) -> tuple[int, int]:
        """The characters that hold bits of decoded bytes ``first`` to ``last``."""
        if self.ends:
            return self.start + (self.ends[first - 1] if first else 0), self.start + self.ends[last - 1]
        return self.start + first * 8 // self.bits, self.start + -(-last * 8 // self.bits)


def _percent_decodings(run: re.Match[str]) -> list[_Segment]:
    """A word holding percent escapes decoded byte for byte, ``+`` as itself and, if it has one, as a space
    (a query's): in either case of hex and whatever the encoder left as it was (``!*'()``, ``~``, ``/``),
    where the value's own percent-encoded forms are one encoder's, upper case."""
    decoded = bytearray()
    ends: list[int] = []
    done = 0
    word = run.group()
    for escape in _PERCENT.finditer(word):
        for at, char in enumerate(word[done : escape.start()], start=done):
            data = char.encode("utf-8", "surrogatepass")
            decoded += data
            ends += [at + 1] * len(data)
        decoded.append(int(escape.group()[1:], 16))
        ends.append(escape.end())
        done = escape.end()
    for at, char in enumerate(word[done:], start=done):
        data = char.encode("utf-8", "surrogatepass")
        decoded += data
        ends += [at + 1] * len(data)
    text = decoded.decode("latin-1")
    segments = [_Segment(run.start(), 8, text, tuple(ends))]
    if "+" in text:
        segments.append(_Segment(run.start(), 8, text.replace("+", " "), tuple(ends)))
    return segments


def decoded_words(value: str) -> set[str]:
    """The texts the base64 words of ``value`` decode to (``Basic``'s ``user:password``, a JWT's header
    and claims), and each one's part after its first colon (the password): a server or a tool that
    decodes a credential it was sent and quotes it shows these, never the base64 the plan wrote."""
    texts: set[str] = set()
    for run in _BASE64_RUN.finditer(value):
        chars = run.group().translate(_TO_STANDARD)
        try:
            text = base64.b64decode(chars + "=" * (-len(chars) % 4), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            continue
        if text.isprintable():
            texts |= {text, text.partition(":")[2]}
    return texts - {""}
