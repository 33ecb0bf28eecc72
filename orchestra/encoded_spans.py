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
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import re2

from orchestra.literal_set import TEXTS_APART
from orchestra.secret_prefilter import Encoded

# A break inside a run of base64 or hex: a line's end (MIME's every 76 characters, openssl's every 64, a
# hex dump's; LF, CRLF or CR alone, as written or JSON-escaped), a quoted-printable soft break (``=`` at a
# line's end), a space or a tab (a PEM in a header, hex in groups of 4): the run goes on after it. Wrapped,
# a value's encoding was two runs, and found in neither (only LF and CRLF were known).
_BREAK = r"(?:=?(?:\r\n?|\n|\\r(?:\\n)?|\\n)|[ \t])"
_BREAKS = re.compile(_BREAK)
_MAY_BREAK = re.compile(r"[\r\n \t]|\\[rn]")
# Both alphabets at once (a run mixing them decodes as one): a value of 6 bytes is 8 characters.
_BASE64_CHARS = r"[A-Za-z0-9+/_\-]"
_HEX_CHARS = r"[0-9A-Fa-f]"
_BASE64_RUN = re.compile(_BASE64_CHARS + "{8,}")


class _RunKind(NamedTuple):
    """Runs of one alphabet of at least ``shortest`` characters: as written, and going on past line breaks, for
    a text that has one (read from a run's first character only: tried from each, a text of words cost twice as
    much)."""

    run: re.Pattern[str]
    broken: re.Pattern[str]
    shortest: int
    decodings: Callable[[list[Run], int], list[_Runs]]


def _run_kind(chars: str, shortest: int, decodings: Callable[[list[Run], int], list[_Runs]]) -> _RunKind:
    broken = re.compile(
        rf"(?<!{chars})(?:{chars}{{{shortest},}}+(?:{_BREAK}{chars}++)*|{chars}++(?:{_BREAK}{chars}++)+)"
    )
    return _RunKind(re.compile(f"{chars}{{{shortest},}}"), broken, shortest, decodings)


# Bytes as hex pairs a separator apart (``5a:71``, ``5a-71``, ``5a,71``, ``5a, 71``, ``5a.71``, ``0x5a, 0x71``:
# a hex dump, a fingerprint, a C array); a space, a tab or a line's end alone are a run's breaks above.
_HEX_PAIR = r"(?:0[xX])?[0-9A-Fa-f]{2}"
_HEX_PAIRS = re.compile(
    r"(?<![0-9A-Za-z])" + _HEX_PAIR + r"(?:(?:[:\-,;.]|[,;]?" + _BREAK + r")" + _HEX_PAIR + r"){5,}(?![0-9A-Fa-f])"
)
_PAIR_DIGITS = re.compile(r"[0-9A-Fa-f]{2}(?![xX])")
_TO_STANDARD = str.maketrans("-_", "+/")
# Percent escapes, and the same escaped twice (``%2541``: a query string's value encoded again).
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")
_PERCENT_TWICE = re.compile(rb"%(?:25)?([0-9A-Fa-f]{2})")
_ESCAPED = {f"{byte:{case}}".zfill(2).encode(): bytes([byte]) for byte in range(256) for case in "xX"}
_ESCAPED |= {digits[0:1] + digits[1:2].swapcase(): byte for digits, byte in _ESCAPED.items()}

Finder = Callable[[str], Iterable[tuple[int, int]]]


def encoded_spans(text: str, find: Finder, *, short: bool = False) -> list[tuple[int, int]]:
    """The characters of ``text`` that encode what ``find`` finds in a base64 or hex run of it decoded:
    from each of the 4 (base64) or 2 (hex) places a run's first whole byte may begin, since the run may
    begin with a word's letters that are no part of the encoding (``tokenaGVsbG8``). A character that
    holds bits of a found byte and of its neighbour is masked with it. A run goes on past a line break,
    and hex pairs past a separator; the text's percent escapes are decoded (once, and twice), and the
    runs in what they decode to read too (base64 in a URL: its ``+``, ``/`` and ``=`` escaped). ``short``: runs
    as short as 4 bytes' encoding (6 base64 characters, 8 hex digits), for a short secret in a text holding one
    of its forms: only 6-byte ones were decoded, and base64('2026'), base64('2026!') or hex('2026!') alone left
    a PIN in clear (its form there is no whole token, and its run too short to be read)."""
    segments: list[_Segment | _Runs | _Within] = [*_run_segments(text, short)]
    if "%" in text:
        for decoded in _percent_decodings(text):
            segments.append(decoded)
            if decoded.bits == 8 and decoded.plus_kept:
                segments += [_Within(inner, decoded) for inner in _run_segments(decoded.decoded, short)]
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


def _run_segments(text: str, short: bool = False) -> list[_Segment | _Runs]:
    """The base64 and hex runs of ``text`` decoded, at each place their first whole byte may begin; ``short``
    (what is looked for is a whole token), a text's runs broken by a space or a line's end also each part alone:
    joined, the word after a run glued its bits to the run's last byte ('Basic dXNlcjoyMDI2 end' decoded to
    'user:2026' and a letter, no whole token), and the word before it to the first."""
    broken = _MAY_BREAK.search(text) is not None
    segments: list[_Segment | _Runs] = []
    for kind in _SHORT_RUNS if short else _RUNS:
        for pattern in [kind.broken, kind.run] if broken and short else [kind.broken if broken else kind.run]:
            runs = [
                (run.start(), chars, places)
                for run in pattern.finditer(text)
                for chars, places in [_unbroken(run)]
                if len(chars) >= kind.shortest
            ]
            if runs:
                segments += kind.decodings(runs, kind.shortest)
    return segments + [_hex_pairs(run) for run in _HEX_PAIRS.finditer(text)]


Run = tuple[int, str, "Callable[[], Sequence[int]] | None"]  # where a run starts, its characters, their places


def _base64_decodings(runs: list[Run], shortest: int) -> list[_Runs]:
    """The runs decoded from each of their first 4 characters, all of them at one offset in one call (in C): a
    call and a segment per run and offset were most of the cost of a log line of many small texts (2x10^4 of
    them, seconds). A run short of a multiple of 4 is padded with 'A' (no bits) and the bytes that makes
    dropped: what '=' padding gives, without ending the data there."""
    decodings: list[_Runs] = []
    for skip in range(4):
        taken: list[tuple[Run, int]] = []
        for run in runs:
            usable = len(run[1]) - skip
            usable -= usable % 4 == 1  # a lone last character holds no whole byte
            if usable >= shortest:
                taken.append((run, usable))
        if not taken:
            break
        chars = "".join(run[1][skip : skip + usable] + "A" * (-usable % 4) for run, usable in taken)
        decoded = binascii.a2b_base64(chars.translate(_TO_STANDARD)).decode("latin-1")
        # Each run's bytes begin where the padded runs before it end.
        begins = itertools.accumulate((-(-usable // 4) * 3 for _, usable in taken[:-1]), initial=0)
        parts = [decoded[begin : begin + usable * 6 // 8] for (_, usable), begin in zip(taken, begins, strict=True)]
        decodings.append(_Runs(6, skip, [run for run, _ in taken], parts))
    return decodings


def _hex_decodings(runs: list[Run], shortest: int) -> list[_Runs]:
    """The runs decoded from their first and their second character, all of them at one offset in one call
    (each run's length is ``shortest`` or more already, from either)."""
    del shortest
    decodings: list[_Runs] = []
    for skip in range(2):
        sizes = [(len(run[1]) - skip) // 2 for run in runs]
        decoded = bytes.fromhex(
            "".join(run[1][skip : skip + 2 * size] for run, size in zip(runs, sizes, strict=True))
        ).decode("latin-1")
        ends = itertools.accumulate(sizes)
        decodings.append(
            _Runs(4, skip, runs, [decoded[end - size : end] for size, end in zip(sizes, ends, strict=True)])
        )
    return decodings


_RUNS = (_run_kind(_BASE64_CHARS, 8, _base64_decodings), _run_kind(_HEX_CHARS, 12, _hex_decodings))
_SHORT_RUNS = (_run_kind(_BASE64_CHARS, 6, _base64_decodings), _run_kind(_HEX_CHARS, 8, _hex_decodings))


def _unbroken(run: re.Match[str]) -> tuple[str, Callable[[], Sequence[int]] | None]:
    """A run's characters without its breaks, and where each is in the run (None: it has no break), worked
    out only once a value is found in it: a megabyte of words, each space a break, was every character a
    step in Python for each log line."""
    chars = run.group()
    unbroken = _BREAKS.sub("", chars)
    if len(unbroken) == len(chars):
        return chars, None
    return unbroken, functools.partial(_kept_places, chars, _BREAKS)


def _kept_places(chars: str, dropped: re.Pattern[str]) -> list[int]:
    """Where each character of ``chars`` that ``dropped`` does not match is."""
    places: list[int] = []
    done = 0
    for gap in [*dropped.finditer(chars), None]:
        stop = gap.start() if gap else len(chars)
        places += range(done, stop)
        done = gap.end() if gap else stop
    return places


def _hex_pairs(run: re.Match[str]) -> _Segment:
    """Hex pairs a separator apart decoded, each byte's two characters its place."""
    digits = "".join(_PAIR_DIGITS.findall(run.group()))
    return _Segment(
        run.start(), 4, bytes.fromhex(digits).decode("latin-1"), functools.partial(_pair_places, run.group())
    )


def _pair_places(chars: str) -> list[int]:
    return [found.start() + half for found in _PAIR_DIGITS.finditer(chars) for half in (0, 1)]


_SEPARATOR = TEXTS_APART  # no byte decodes to it


class _Segment:
    """A part of a text from ``start`` decoded, ``bits`` bits a character; ``places``: where each of the
    characters decoded is, from ``start`` less ``skip``, if not one after the other (a break between them); or,
    percent-decoded, ``ends`` gives where each decoded byte's characters end. Both worked out only once a
    value is found in it: a megabyte of ``%41`` was seconds of building them for every log line."""

    def __init__(
        self,
        start: int,
        bits: int,
        decoded: str,
        places: Callable[[], Sequence[int]] | None = None,
        ends: Callable[[], Sequence[int]] | None = None,
        plus_kept: bool = True,
        skip: int = 0,
    ) -> None:
        self.start, self.bits, self.decoded, self._places, self._ends = start, bits, decoded, places, ends
        self.skip = skip  # decoded from a run's ``skip``-th character: ``places`` are the whole run's
        self.plus_kept = plus_kept  # percent-decoded: ``+`` read as itself, not as a space

    @functools.cached_property
    def ends(self) -> Sequence[int]:
        return self._ends() if self._ends is not None else ()

    @functools.cached_property
    def places(self) -> Sequence[int]:
        return self._places() if self._places is not None else ()

    def characters(self, first: int, last: int) -> tuple[int, int]:
        """The characters that hold bits of decoded bytes ``first`` to ``last``."""
        if self._ends is not None:
            ends = self.ends
            return self.start + (ends[first - 1] if first else 0), self.start + ends[last - 1]
        begin, end = first * 8 // self.bits, -(-last * 8 // self.bits)
        if self._places is not None:
            begin, end = self.places[begin + self.skip], self.places[end - 1 + self.skip] + 1
            return self.start - self.skip + begin, self.start - self.skip + end
        return self.start + begin, self.start + end


def _percent_decodings(text: str) -> list[_Segment]:
    """``text`` with its percent escapes decoded byte for byte, ``+`` as itself and, if it has one, as a
    space (a query's): in either case of hex and whatever the encoder left as it was (``!*'()``, ``~``,
    ``/``, or all but a few characters), where the value's own percent-encoded forms are one encoder's,
    upper case; and with those escaped twice decoded too (``%2541``). The whole text at once, in C: word
    by word, a megabyte of ``%41+`` words cost seconds a log line."""
    data = text.encode("utf-8", "surrogatepass")
    segments: list[_Segment] = []
    for escape in (_PERCENT, _PERCENT_TWICE) if b"%25" in data else (_PERCENT,):
        parts = escape.split(data)  # the text between escapes, and each escape's two digits (in C)
        if len(parts) == 1:
            continue
        parts[1::2] = map(_ESCAPED.__getitem__, parts[1::2])
        decoded = b"".join(parts)
        ends = functools.partial(_decoded_ends, text, data, escape)
        latin = decoded.decode("latin-1")
        segments.append(_Segment(0, 8, latin, ends=ends))
        if "+" in latin:
            segments.append(_Segment(0, 8, latin.replace("+", " "), ends=ends, plus_kept=False))
    return segments


class _Runs:
    """Runs decoded from the same offset (``skip``), as one text: each run's bytes ``_SEPARATOR`` from the next's, so
    a value is found in one run at a time. A run's ``_Segment`` is made only where something is found in it."""

    def __init__(self, bits: int, skip: int, runs: list[Run], decoded: list[str]) -> None:
        self.bits, self.skip, self._runs, self._lengths = bits, skip, runs, [len(part) for part in decoded]
        self.decoded = _SEPARATOR.join(decoded)
        self._offsets = list(itertools.accumulate((length + 1 for length in self._lengths[:-1]), initial=0))

    def characters(self, first: int, last: int) -> tuple[int, int]:
        """The characters that hold bits of decoded bytes ``first`` to ``last``; from the first run's to the
        last's should they be two (only a value holding the separator spans one)."""
        one = bisect.bisect_right(self._offsets, first) - 1
        other = max(bisect.bisect_right(self._offsets, last - 1) - 1, one)
        begin = min(first - self._offsets[one], self._lengths[one] - 1)
        end = max(min(last - self._offsets[other], self._lengths[other]), 1)
        if one == other:
            return self._segment(one).characters(begin, max(end, begin + 1))
        return self._segment(one).characters(begin, self._lengths[one])[0], self._segment(other).characters(0, end)[1]

    def _segment(self, index: int) -> _Segment:
        start, _, places = self._runs[index]
        return _Segment(start + self.skip, self.bits, "", places, skip=self.skip)


class _Within:
    """A run found in a percent-decoded text (``inner``), its characters mapped back through that text's."""

    def __init__(self, inner: _Segment | _Runs, outer: _Segment) -> None:
        self.decoded, self._inner, self._outer = inner.decoded, inner, outer

    def characters(self, first: int, last: int) -> tuple[int, int]:
        begin, end = self._inner.characters(first, last)
        return self._outer.characters(begin, end)


def _decoded_ends(text: str, data: bytes, escape: re.Pattern[bytes]) -> list[int]:
    """For each byte ``escape`` decodes ``data`` (``text``'s UTF-8) to, where in ``text`` its characters end."""
    ends: list[int] = []
    done = 0
    for found in escape.finditer(data):
        ends += range(done + 1, found.start() + 1)
        ends.append(found.end())
        done = found.end()
    ends += range(done + 1, len(data) + 1)
    if len(data) == len(text):
        return ends
    # Where a byte of ``data`` ends as a place in ``text`` (each of a character's bytes, after it).
    character_end = [0, *(at + 1 for at, char in enumerate(text) for _ in char.encode("utf-8", "surrogatepass"))]
    return [character_end[end] for end in ends]


# Quoted-printable's soft line break (``=`` at a line's end, as written or JSON-escaped): no character of
# the text it wraps. A value's characters wrapped by one (a mail body's every 76) were in clear.
_SOFT_BREAK = re.compile(r"=(?:\r\n|\n|\\r\\n|\\n)")


def soft_broken_spans(text: str, find: Finder) -> list[tuple[int, int]]:
    """What ``find`` finds in ``text`` read without its quoted-printable soft breaks, as the characters of
    ``text`` that hold it (the breaks inside it too); none if it has none."""
    return spans_without(text, _SOFT_BREAK, find) if "=" in text else []


def spans_without(text: str, dropped: re.Pattern[str], find: Finder) -> list[tuple[int, int]]:
    """What ``find`` finds in ``text`` read without what ``dropped`` matches, as the characters of ``text`` that hold
    it (what was dropped inside it too); none if nothing is dropped."""
    kept = dropped.sub("", text)
    if len(kept) == len(text):
        return []
    found = [(begin, end) for begin, end in find(kept) if begin < end]
    if not found:
        return []
    places = _kept_places(text, dropped)
    return [(places[begin], places[end - 1] + 1) for begin, end in found]


# A block of lines wrapped at a column (basenc's and base64's every 76 characters, openssl's 64): lines of printable
# characters and nothing else, the first of 16 at least. An encoding of a secret wrapped so (base2, Z85, UTF-32's
# base64) was found in none of its lines.
_LATIN1 = re2.Options()
_LATIN1.encoding = re2.Options.Encoding.LATIN1  # a byte a character: a text's UTF-8 read byte by byte
_LATIN1.never_capture = True
_WRAPPED = r"[!-~]{16,1000}(?:(?:\r\n|\r|\n)[!-~]{1,1000})+(?=[\r\n]|\Z)"
_WRAPPED_BLOCK = re.compile(_WRAPPED)
# A block after a line's break: ``re`` looks for the break first, a character at a time in C (a block looked for at
# each character, behind a lookbehind, cost a text of words 60 ms a megabyte, three times the rest of its masking).
_WRAPPED_AFTER_BREAK = re.compile(r"[\r\n](" + _WRAPPED + ")")
# Where the first block may begin, found by RE2 in a few milliseconds a megabyte: a text of words has none.
_WRAPPED_GATE = re2.compile(rb"(?:^|[\r\n])[!-~]{16}[!-~]*(?:\r\n|\r|\n)[!-~]", _LATIN1)
_WRAP = re.compile(r"\r\n|\r|\n")
# A block quoted, the same quote before each line (a mail's '> ', '> > ', a comment's '# ', '| '): read without its
# quotes (a secret's base2 or Z85 wrapped and quoted was in clear).
_QUOTE = r"(?:>[ >]*|[|#]) "
_QUOTED = r"(" + _QUOTE + r")[!-~]{16,1000}(?:(?:\r\n|\r|\n)\1[!-~]{1,1000})+(?=[\r\n]|\Z)"
_QUOTED_BLOCK = re.compile(_QUOTED)
_QUOTED_AFTER_BREAK = re.compile(r"[\r\n](?=" + _QUOTE + ")")
_QUOTED_GATE = re2.compile(
    rb"(?:^|[\r\n])" + _QUOTE.encode() + rb"[!-~]{16}[!-~]*(?:\r\n|\r|\n)" + _QUOTE.encode() + rb"[!-~]", _LATIN1
)
_QUOTE_AND_WRAP = re.compile(r"\A" + _QUOTE + r"|(?:\r\n|\r|\n)" + _QUOTE)


def wrapped_spans(text: str, find: Finder) -> list[tuple[int, int]]:
    """What ``find`` finds in each block of wrapped lines of ``text`` read as one line, as the characters of ``text``
    that hold it (the breaks inside it too, and a quoted block's quotes): each encoding a secret is found in is found
    wrapped."""
    blocks = _wrapped_blocks(text) + _quoted_blocks(text)
    if not blocks:
        return []
    joined = _SEPARATOR.join(dropped.sub("", text[start:end]) for start, end, dropped in blocks)
    found = [(begin, end) for begin, end in find(joined) if begin < end]
    if not found:
        return []
    # Each separator's place is -1: a match is cut at it.
    places = [
        place
        for start, end, dropped in blocks
        for place in [*(start + at for at in _kept_places(text[start:end], dropped)), -1]
    ]
    spans: list[tuple[int, int]] = []
    for begin, end in found:
        inside = [places[at] for at in range(begin, end) if places[at] >= 0]
        if inside:
            spans.append((inside[0], inside[-1] + 1))
    return spans


def _wrapped_blocks(text: str) -> list[tuple[int, int, re.Pattern[str]]]:
    """Where each block of wrapped lines is, looked for from where RE2 finds the first may begin, and what is no part
    of the text it wraps (its breaks)."""
    encoded = Encoded(text)
    gate = _WRAPPED_GATE.search(encoded.data)
    if gate is None:
        return []
    first = _WRAPPED_BLOCK.match(text) if gate.start() == 0 else None
    at = first.end() if first else encoded.chars([gate.start()])[0]
    spans = ([first.span()] if first else []) + [found.span(1) for found in _WRAPPED_AFTER_BREAK.finditer(text, at)]
    return [(start, end, _WRAP) for start, end in spans]


def _quoted_blocks(text: str) -> list[tuple[int, int, re.Pattern[str]]]:
    """Where each quoted block of wrapped lines is, and what is no part of the text it wraps (its quotes and breaks):
    tried at each line's start from where RE2 finds the first may begin."""
    encoded = Encoded(text)
    gate = _QUOTED_GATE.search(encoded.data)
    if gate is None:
        return []
    at = encoded.chars([gate.start()])[0]
    starts = ([0] if at == 0 else []) + [found.end() for found in _QUOTED_AFTER_BREAK.finditer(text, at)]
    blocks: list[tuple[int, int, re.Pattern[str]]] = []
    for start in starts:
        if blocks and start < blocks[-1][1]:
            continue
        if (found := _QUOTED_BLOCK.match(text, start)) is not None:
            blocks.append((start, found.end(), _QUOTE_AND_WRAP))
    return blocks


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
