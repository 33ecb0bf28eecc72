"""Keeping secrets out of logs: a structlog processor that masks them wherever they appear.

Three nets, coarse to fine: keys that name a secret (``api_key``, ``authorization``, ``cookie``...),
values that look like one (``Bearer ...``, ``sk-...``, JWTs, AWS key ids), and exact values the process
was told are secret (``remember``: settings' API keys, values of a tool's ``secret_args``), masked even
inside longer text such as an error message that echoes a header back, and in every encoding
orchestra/secrets.py knows (percent, JSON, base64, hex).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextvars import ContextVar
from typing import Any, NamedTuple
from urllib.parse import quote, quote_plus

from orchestra.encoded_spans import decoded_words
from orchestra.literal_set import TEXTS_APART, LiteralSet, across_ends, beside_mask, masked
from orchestra.nested_strings import strings_within
from orchestra.secrets import (
    DECODED_CHARACTERS_PER_BYTE,
    DECODED_SKIP,
    MIN_ENCODED_LENGTH,
    Masker,
    longest_form,
    rebuilt,
    rebuilt_each,
)

MASK = "[REDACTED]"
# Of a plan's values (every header an http_request sends: ``gzip``, ``json``): shorter ones are words
# every line holds. The worker's own secrets the operator named are masked from the length their forms are.
MIN_REMEMBERED_LENGTH = 6
MIN_KNOWN_LENGTH = MIN_ENCODED_LENGTH
MAX_REMEMBERED = 2048
MAX_WRITTEN_CHARACTERS = 1 << 20  # of a plan's values, as written: a request's headers are kilobytes at most

# A word of a key begins after a separator or, in camelCase, at a capital after a small letter or digit
# (``githubToken``, ``dbPassword`` were shown in clear).
_CAMEL_CASE_WORD = r"(?-i:(?<=[a-z0-9])(?=[A-Z]))"
_KEY_WORD_START = r"(?:^|[_\-.]|" + _CAMEL_CASE_WORD + ")"
_SECRET_KEY = re.compile(
    _KEY_WORD_START + r"(?:authorization|proxy[_\-]authorization|cookie|set[_\-]cookie|password|passwd|passphrase"
    r"|secret|api[_\-]?key|x[_\-]api[_\-]key|access[_\-]?token|refresh[_\-]?token|id[_\-]token|auth[_\-]token"
    r"|token|private[_\-]?key|client[_\-]secret|credentials?|codec[_\-]key)$",
    re.IGNORECASE,
)
# A count of a model's tokens (``input_token``, ``completionTokens``) names no secret: masked, the usage
# a log line reports was lost.
_TOKEN_COUNT_KEY = re.compile(
    _KEY_WORD_START + r"(?:input|output|prompt|completion|total|max|num|cached|reasoning)"
    r"[_\-.]?tokens?$",
    re.IGNORECASE,
)
_KEY_WORDS = (
    r"authorization|cookie|password|passwd|passphrase|secret|api[_\-]?key|access[_\-]?token|refresh[_\-]?token"
    r"|id[_\-]token|auth[_\-]token|token|private[_\-]?key|client[_\-]secret|credentials?"
)
# An Authorization header's scheme, one word or two (``Token Bearer abc``: read as scheme Token and value
# Bearer, abc was left in clear); as HTTP/2 writes it too (lower case).
_SCHEME = r"(?:Bearer|bearer|BEARER|Basic|basic|Token|Digest|Negotiate|NTLM|ApiKey)"
# The value is no scheme word (masked twice, ``Token Bearer [REDACTED]`` lost its Bearer); up to three words
# (any number made a line of 8,000 ``Bearer `` 25 s to read: each place tried the rest of the run).
_SCHEMES = r"(?:" + _SCHEME + r"\s+){1,3}(?!" + _SCHEME + r"\b)"
_SECRET_VALUE = re.compile(
    # A Cookie header holds pairs (a=b; session=...): all of them, to the line's end or a quote.
    r"(?P<cookie>(?<![A-Za-z0-9])(?i:set[_\-]?cookie|cookie)\s*:\s*)[^\"'\r\n]+|"
    # A secret named in text as a key writes it (token=, api_key:, "password": "...", \"secret\": \"...\",
    # Authorization: Basic ...): the key kept, its value masked to its quote or the value's end.
    r"(?P<key>(?:(?<![A-Za-z0-9])|"
    + _CAMEL_CASE_WORD
    + ")(?i:"
    + _KEY_WORDS
    + r")\\?[\"']?\s*[:=]\s*(?P<quote>\\?[\"'])?(?:"
    + _SCHEMES
    + r")?)"
    r"(?(quote)[^\"'\\\r\n]+|[^\s\"'&,;\\]+)"
    r"|(?P<scheme>\b" + _SCHEMES + r")[A-Za-z0-9._~+/=\-]{6,}"
    r"|\bsk-[A-Za-z0-9_\-]{16,}"
    r"|\b(?:ghp|gho|ghs|github_pat|xox[abpr])_?[A-Za-z0-9_\-]{16,}"
    r"|\bAKIA[0-9A-Z]{16}\b"
    # A JWT known once its claims begin (its signature need not follow), or by a header too long for that
    # to be known within SHAPE_WINDOW: a quote's cut in a JWT of more left it in clear there (the claims'
    # ``.`` or the signature's were past what was read), where masked whole it was masked.
    r"|\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}(?:\.[A-Za-z0-9_\-]*)?"
    # Base64url only: standard base64 of a JSON document over 1 KiB (a body a tool logged) holds a + or a /
    # or ends in =, and was blanked whole.
    r"|\beyJ[A-Za-z0-9_\-]{1024,}+(?![+/=])(?:\.[A-Za-z0-9_\-]*)*",
)

# HTTP headers whose values are no credential (RFC 9110's content negotiation and connection headers,
# conditionals, the agent): ``is_plain_header``.
_PLAIN_HEADERS = frozenset(
    {
        "accept", "accept-charset", "accept-encoding", "accept-language", "cache-control", "connection",
        "content-encoding", "content-language", "content-length", "content-type", "date", "dnt", "expect",
        "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
        "keep-alive", "pragma", "range", "te", "transfer-encoding", "upgrade", "user-agent", "x-requested-with",
    }
)  # fmt: skip
# A header value's credential after its scheme words (``Bearer tok``), its pairs' values: ``_credential_parts``.
_AFTER_SCHEME = re.compile(r"\s*(?:" + _SCHEME + r"\s+){1,3}(?P<credential>\S.*)", re.DOTALL | re.IGNORECASE)
# A pair's value that may be a credential: letters and digits, 8 or more (a session id, base64, hex). Its
# words were remembered too, and masked everywhere (``Prefer: return=minimal``, ``mode=strict``).
_TOKEN_LIKE = re.compile(r"(?=.*[A-Za-z])(?=.*[0-9]).{8,}", re.DOTALL)
_PAIR = re.compile(r"(?:^|[;,])\s*[^=;,\s]+\s*=\s*\"?(?P<value>[^\";,\s]+)")

# Held by every log line and span (_redactor), so never while a pattern compiles: compiling a merged level
# of 2,048 values held it ~0.2-0.75 s, and every other thread's log lines waited. _compiling keeps one
# remember's compiling at a time, in the order the stores changed (taken before _lock, never after).
_lock = threading.Lock()
_compiling = threading.Lock()
# The worker's own secrets (masked in every form) apart from values a plan chose (as written): in one store
# of MAX_REMEMBERED, a plan's 2,048 header values pushed out the LLM API key and the secrets used before.
_known: OrderedDict[str, None] = OrderedDict()
_written: OrderedDict[str, _Forms] = OrderedDict()
# Built once per change, not once per log line or span: the plan's values one LiteralSet added to as they
# come, the worker's own a Masker made again only when one is added (made per line, the 2,048 a plan may
# add cost every line and every span 2.85 ms; bench/log_masking.py).
_plan_values = LiteralSet()
_masker: Masker | None = None
# How many running calls use each of a plan's values (in_use): those are never pushed out.
_pins: Counter[str] = Counter()
# A call's spans are exported after it ends (the batch processor's 5 s, and a backlog; masked as they are
# exported): its values stay pinned this long after, or 2,048 others remembered meanwhile left them in
# clear in its own spans.
LINGER_S = 60.0
_now = time.monotonic
_ended: deque[tuple[float, list[str]]] = deque()  # (when to let go, what) in the order calls ended
_held: ContextVar[_Held | None] = ContextVar("plan_values_held", default=None)


class _Held:
    """What one running call pins, while it runs (``open``: read and changed under _lock). A thread the
    call started remembers through the same one (a copied context), and may do so after the call ended:
    cancelled while its arguments were remembered in a thread, what that thread pinned after was never
    let go, kept past every bound for the worker's life."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.open = True


def remember(*values: object, every_form: bool = True) -> None:
    """Mask these exact values from now on (strings; a mapping's or a list's string values too), in
    every encoding, or as written only (``every_form=False``: values a plan chose, of any size and
    number; building every form's pattern for each would be the plan's to stall the worker with). Of
    those, the newest MAX_REMEMBERED are kept, up to MAX_WRITTEN_CHARACTERS in all (the newest always)."""
    global _masker
    with _compiling:  # _written changes only under it: read here without _lock
        strings = list(strings_within(values, skipped=None if every_form else is_plain_header))
        # Built before _lock is taken: a value's forms are up to a megabyte, and every log line waits on _lock.
        built = {
            value: _written_forms(value)
            for value in strings
            if not every_form and len(value) >= MIN_REMEMBERED_LENGTH and value not in _written
        }
        # The log masker this makes, made here, in the caller's thread (a step's, a connection's), before any log
        # line can need it: made at the next line, on the event loop maybe, a secret's pattern of every form (0.64 s
        # of CPU for 168 characters) held every activity's heartbeats, and so did the one pattern of every short
        # secret known (0.22 s for one, 1.4 s for 16), which the new values' own masker never compiled. A caller
        # on the event loop (an LLM call's span, an embedded worker made) has it made in a thread (below).
        upcoming = None if _on_an_event_loop() else _masker_after(strings, every_form)
        with _lock:
            known_before = list(_known)
            added: list[str] = []
            for value in strings:
                if every_form and len(value) >= MIN_KNOWN_LENGTH:
                    _written.pop(value, None)
                    _known[value] = None
                    _known.move_to_end(value)
                elif value in _known:
                    _known.move_to_end(value)
                elif value in built or value in _written:
                    if value not in _written:
                        _written[value] = built[value]
                        added.append(value)
                    _written.move_to_end(value)
                    if (held := _held.get()) is not None and held.open:
                        held.values.append(value)
                        _pins[value] += 1
            _unpin_ended()
            while len(_known) > MAX_REMEMBERED:
                _known.popitem(last=False)
            # A plan's values by their number and size (a header may be megabytes, and 2,048 of them the
            # automata's gigabytes): the oldest pushed out, never the newest. Weighed by the forms built, not
            # as written: a header of 64 Ki 'é' is 1.3 Mi characters of forms.
            size = sum(forms.size for forms in _written.values())
            for value in list(_written)[:-1]:  # the oldest first, never the newest
                if len(_written) <= MAX_REMEMBERED and size <= MAX_WRITTEN_CHARACTERS:
                    break
                if not _pins[value]:
                    size -= _written.pop(value).size
            if set(_known) != set(known_before):
                made = upcoming is not None and upcoming[0] == list(_known) and upcoming[1] is _plan_values
                _masker = upcoming[2] if made and upcoming is not None else None
            plan_values = _plan_values
            kept = sum(len(forms.forms) for forms in _written.values()), size
            written = list(_written.values())
        # Masked by the masker already made from now on: a LiteralSet is read as it is when a text is. Only
        # the new values' forms each time (all 2,048's were 3 ms a call), all of them only when most of the
        # set is of values forgotten (LiteralSet.keep_only's own measure).
        plan_values.add(form for value in added for form in built[value].forms)
        if plan_values.outweighs(*kept):
            plan_values.keep_only(form for forms in written for form in forms.forms)
    if _masker is None and _on_an_event_loop():
        # Made now in a thread of its own, not by the next line logged on this loop (every form's pattern of each
        # secret: about half a second of CPU a key, every activity's heartbeat held). A line before it is ready
        # still makes its own: no line goes unmasked.
        threading.Thread(target=_current_masker, name="log-masker-compile", daemon=True).start()


def _masker_after(strings: list[str], every_form: bool) -> tuple[list[str], LiteralSet, Masker] | None:
    """The worker's own secrets once ``remember`` added ``strings``, and the plan's values, with their masker;
    None when they stay the same secrets (under _compiling: nothing else changes them meanwhile but forget_all)."""
    with _lock:
        known, plan_values = OrderedDict(_known), _plan_values
    before = set(known)
    for value in strings:  # as remember changes _known
        if every_form and len(value) >= MIN_KNOWN_LENGTH:
            known.pop(value, None)
            known[value] = None
        elif value in known:
            known.move_to_end(value)
    while len(known) > MAX_REMEMBERED:
        known.popitem(last=False)
    if set(known) == before:
        return None
    order = list(known)
    return order, plan_values, Masker(order, MASK, as_written=plan_values, compiled=True)  # log lines: on a loop too


def _on_an_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@contextlib.contextmanager
def in_use() -> Iterator[None]:
    """Within: a plan's values remembered (a call's headers, while the call runs, logs and fails) are
    never pushed out by others'; after, they are as any other, the oldest pushed out first. 2,048 values or
    1 MiB of forms remembered by other calls meanwhile (or by the same call: its headers past the bound)
    left the first ones in clear in the call's own error and spans. What is held so is what running calls
    hold as their arguments (each up to Temporal's 2 MiB input, a worker's max_concurrent_activities at
    once), times their forms: the bound above is on what no call uses any more. They are let go of
    LINGER_S after the call ends, when its spans have been exported."""
    held = _Held()
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        with _lock:
            held.open = False
            _unpin_ended()  # here too: a worker whose calls remember nothing holds no record of each
            if held.values:
                _ended.append((_now() + LINGER_S, held.values))


def _unpin_ended() -> None:
    """Let go of what calls that ended LINGER_S ago pinned (under _lock)."""
    while _ended and _ended[0][0] <= _now():
        values = _ended.popleft()[1]
        _pins.subtract(values)
        for value in values:
            if _pins[value] <= 0:
                del _pins[value]


class _Forms(NamedTuple):
    forms: frozenset[str]
    size: int  # their characters in all


def _written_forms(value: str) -> _Forms:
    """A value a plan chose as it is quoted where a log line or a span shows it: as written, as ``repr``
    writes a text or its bytes (an exception quoting a header: ``'t\\xc3\\xb6k'``), JSON-escaped (a body
    echoing the headers), percent-encoded, its UTF-8 and UTF-16 read as Latin-1 (as base64 and hex decoded are read:
    orchestra/encoded_spans.py), and what its base64 words decode to (``Basic``'s ``user:password``); each a
    literal, built in linear time (every form's pattern is the worker's own secrets'). And the parts of each
    outside the mask (``beside_mask``). Kept with the value, and dropped with it: cached by value, the forms
    of 4,096 values forgotten were kept too, up to a mebibyte each."""
    makers: list[Callable[[str], Iterable[str]]] = [
        # A half surrogate pair (a value from a JSON "\\ud800") encoded as its three bytes: no UTF-8 carries
        # it, and the strict encoder raised in every log call that remembered such a value.
        lambda v: [repr(v)[1:-1], repr(v.encode(errors="surrogatepass"))[2:-1], _utf8_as_latin1(v)],
        lambda v: [json.dumps(v)[1:-1], json.dumps(v, ensure_ascii=False)[1:-1]],
        lambda v: [quote(v, safe="", errors="surrogatepass"), quote_plus(v, safe="", errors="surrogatepass")],
        # Its UTF-16, either byte order, as hex and base64 decoded are read (Latin-1): a Windows or Java tool's dump.
        lambda v: [v.encode(order, errors="surrogatepass").decode("latin-1") for order in ("utf-16-le", "utf-16-be")],
        decoded_words,
        _credential_parts,
    ]
    forms = {value}
    size = len(value)
    for make in makers:
        # Each form is at most 21 times the value (percent, \x, \u of each 'é'); the bound is checked
        # before the next are built: 1 Mi 'é' were 21 Mi characters built (62 s and 226 MB for 64 Ki of them).
        if size > MAX_WRITTEN_CHARACTERS:
            forms = {value}  # as written only
            break
        made = set(make(value)) - forms
        forms |= made
        size += sum(map(len, made))
    else:
        forms |= {part for form in forms for part in beside_mask(form, MASK, MIN_REMEMBERED_LENGTH)}
    # A form holding the separator texts are masked together by (a value from a JSON "\\ud800"), or its UTF-8 read
    # as Latin-1 (as a joined line's percent escapes are decoded), matched across the joint of two texts or of two
    # decoded runs: a text's end masked for the start of the next. Its parts are remembered instead, which every
    # text holding the whole holds too.
    forms = {part for form in forms for part in re.split(_APART_FORMS, form)}
    kept = frozenset(form for form in forms if len(form) >= MIN_REMEMBERED_LENGTH)
    return _Forms(kept, sum(map(len, kept)))


def _credential_parts(value: str) -> list[str]:
    """A header value's credential without its scheme words (``Bearer tok`` -> ``tok``), and the value of
    each of its ``name=value`` pairs that may be a credential (a Cookie's ``session=...; theme=dark``, Digest's ``response="..."``):
    a server or a tool quoting what it was sent quotes the part alone (``invalid token tok``, ``session
    ... expired``), which was in clear, and so were its base64 and hex (found through the forms:
    orchestra/encoded_spans.py)."""
    found = _AFTER_SCHEME.fullmatch(value)
    credential = found.group("credential").rstrip() if found else value
    pairs = (pair.group("value") for pair in _PAIR.finditer(credential))
    return [credential, *(pair for pair in pairs if _TOKEN_LIKE.fullmatch(pair))]


def _utf8_as_latin1(value: str) -> str:
    return value.encode(errors="surrogatepass").decode("latin-1")


_APART_FORMS = "|".join(map(re.escape, (TEXTS_APART, _utf8_as_latin1(TEXTS_APART))))


def forget_all() -> None:
    global _masker, _plan_values
    with _compiling, _lock:
        _known.clear()
        _written.clear()
        _pins.clear()
        _ended.clear()
        _plan_values = LiteralSet()
        _masker = None


def is_plain_header(key: object) -> bool:
    """Whether ``key`` names an HTTP header whose value carries no credential by its definition (content
    negotiation, connection management). A plan's headers are remembered as secrets: these were too, and
    every later log line and span quoting ``application/json``, ``keep-alive``, ``gzip, deflate`` or the
    user agent was blanked there, whatever call it came from; nor does an API's version. Any other header (``X-Tenant-Sig``,
    ``Private-Token``, a ``Referer`` holding a token) is still remembered."""
    name = key.strip().lower() if isinstance(key, str) else ""
    # A version (``Accept-Version: 2024-06-01``, ``X-GitHub-Api-Version``) is a date or a number that every
    # timestamp and version logged holds: remembered, they were blanked there.
    return name in _PLAIN_HEADERS or name.endswith("-version")


def is_secret_key(key: object) -> bool:
    return isinstance(key, str) and bool(_SECRET_KEY.search(key)) and not _TOKEN_COUNT_KEY.search(key)


def redact_text(text: str) -> str:
    return _redactor()(text)


# Past a place, how far a credential known by its shape alone may need the text to go on to be recognised
# (a JWT's first two parts, a scheme's value): a remembered value's reach is its longest form.
SHAPE_WINDOW = 2048
# Masked, a text read past its cut may grow: a 4-character secret becomes the 10 of MASK.
_MOST_GROWTH = 3
# How much more than a quote's first read is read where masking shrank it (16 times: 150 KB for 500
# characters, about 0.2 s of hostile text with 2,048 values remembered).
_MOST_READ_FACTOR = 16


def quoted_start(text: str, chars: int, mask: Callable[[str], str] | None = None, reach: int | None = None) -> str:
    """At most the first ``chars`` characters of ``text`` masked (by ``mask``, what is remembered and
    credentials by their shape unless given; ``reach``: the most characters a value it finds may take), as
    masking all of it then cutting would give them, at the cost of a bounded part of it.
    Masked whole: a tool's error of a megabyte of hostile text (``%41+`` words, base64-looking runs) cost
    seconds of the GIL on the event loop, every activity's heartbeat held. Cut first: a value the cut ran
    through was no longer found, its start shown. So the text is read as far as a value (or an encoded
    form of one) begun before the cut can reach, and of what that masks to, the part its last reach
    became is never kept (a value there may be cut short). Where masking shrank the text (values longer
    than the mask) it is read further, up to a bound; past it the quote is shorter, never a value's part."""
    return _bounded_quote(text, chars, mask or redact_text, _reach() if reach is None else reach, at_end=False)


def quoted_end(text: str, chars: int, mask: Callable[[str], str] | None = None, reach: int | None = None) -> str:
    """``quoted_start``'s mirror: at most the last ``chars`` characters of ``text`` masked as masking all
    of it then cutting would give them (a shell's stderr tail), reading only its last part."""
    return _bounded_quote(text, chars, mask or redact_text, _reach() if reach is None else reach, at_end=True)


def quote_read(chars: int, reach: int) -> int:
    """How much of a text to mask for its first ``chars`` characters as masking all of it would give them,
    where no masked value took more than ``reach`` characters (and none shrank the text)."""
    return chars + (_MOST_GROWTH + 1) * reach + len(MASK)


def quote_kept(chars: int, masked_chars: int, reach: int) -> int:
    """Of a text's part masked (``masked_chars`` long), how much of its uncut side may be quoted, at most
    ``chars``: what the last ``reach`` characters before its cut became (at most their growth and one
    mask) is never kept, a value there may be cut short."""
    return max(min(chars, masked_chars - _MOST_GROWTH * reach - len(MASK)), 0)


def _bounded_quote(text: str, chars: int, mask: Callable[[str], str], reach: int, *, at_end: bool) -> str:
    read = quote_read(chars, reach)
    most = _MOST_READ_FACTOR * read
    while len(text) > read:
        masked_text = mask(text[-read:] if at_end else text[:read])
        kept = quote_kept(chars, len(masked_text), reach)
        if kept == chars or read >= most:
            return masked_text[len(masked_text) - kept :] if at_end else masked_text[:kept]
        read *= 4
    masked_text = mask(text)
    return masked_text[max(len(masked_text) - chars, 0) :] if at_end else masked_text[:chars]


def _reach() -> int:
    """The most characters of a text a remembered value, in any form the masker finds, may take."""
    with _lock:
        known, plan_values = tuple(_known), _plan_values
    written = DECODED_CHARACTERS_PER_BYTE * plan_values.longest + DECODED_SKIP
    return max(_longest_known(known), written) + SHAPE_WINDOW


@functools.lru_cache(maxsize=1)  # the worker's own secrets change seldom; each form's measure is the pattern's
def _longest_known(known: tuple[str, ...]) -> int:
    return max([longest_form(known), *map(len, known)])


def _redactor() -> Callable[[str], str]:
    """Masks what is remembered now, in any text."""
    masker = _current_masker()
    return lambda text: _SECRET_VALUE.sub(_value_masked, masker.text(text))


def _each_redactor() -> Callable[[list[str]], list[str]]:
    """``_redactor`` for many texts at once (``Masker.texts``)."""
    masker = _current_masker()
    return lambda texts: [_SECRET_VALUE.sub(_value_masked, text) for text in masker.texts(texts)]


def _current_masker() -> Masker:
    global _masker
    with _lock:
        masker, known, plan_values = _masker, list(_known), _plan_values
    if masker is None:  # made outside the lock: each of the worker's secrets compiles a pattern of every form
        masker = Masker(known, MASK, as_written=plan_values, compiled=True)
        with _lock:
            if _masker is None and list(_known) == known and _plan_values is plan_values:
                _masker = masker
    return masker


def split_masked(texts: list[str]) -> list[str]:
    """``texts`` (a log line's fields, a span's attributes, in order) with what is remembered masked where
    it runs from one into the next: a tool logging a token's halves in two fields, or a URL's end and an
    error's start, showed each half in clear, whole to whoever reads them one after the other. Each text is
    still masked on its own after (``redact``); texts in another order, or apart, are not joined."""
    parts = across_ends(texts, _current_masker().spans, _reach())
    return [masked(text, found, MASK) if found else text for text, found in zip(texts, parts, strict=True)]


def _value_masked(match: re.Match[str]) -> str:
    if match.group("key") and _holds_no_secret(match):
        return match.group()
    if match.group("scheme") and _is_prose(match):
        return match.group()
    return (match.group("cookie") or match.group("key") or match.group("scheme") or "") + MASK


_PROSE = re.compile(r"[a-z]{6,15}\.?")


def _is_prose(match: re.Match[str]) -> bool:
    """Whether a scheme's word begins a sentence rather than a credential: one word, not ``Bearer``, then a
    word of small letters (``Token expired``, ``Basic authentication required``, ``Negotiate failed``),
    which was masked. After ``Bearer``, or two scheme words (``Token Bearer abcdefghij``), it is masked."""
    words = match.group("scheme").split()
    prose = _PROSE.fullmatch(match.string, match.end("scheme"), match.end())
    return len(words) == 1 and words[0].lower() != "bearer" and prose is not None


# What a key naming a secret may be given in a text that is no secret: a flag, or nothing.
_NO_SECRET_VALUES = frozenset({"true", "false", "none", "null", "nil", "undefined"})
_NAME_BEFORE = re.compile(r"[A-Za-z0-9_.\-]{0,64}$")
_KEY_WORD = re.compile(r"[A-Za-z_\-]+")


def _holds_no_secret(match: re.Match[str]) -> bool:
    """Whether a key and its value a text writes carry no secret: a count of a model's tokens (``input_token=512``,
    ``maxTokens: 4096``) or a flag or nothing (``has_password=True``, ``"token": null``), as a log line's
    fields are (``is_secret_key``): masked, the usage a line reported was lost. A number given to a key
    naming a secret (``password=4821``, a PIN) is masked still."""
    value = match.string[match.end("key") : match.end()]
    if value.lower() in _NO_SECRET_VALUES:
        return True
    before = _NAME_BEFORE.search(match.string, max(match.start() - 64, 0), match.start())
    word = _KEY_WORD.match(match.group("key"))
    name = (before.group() if before else "") + (word.group() if word else "")
    return value.isdigit() and bool(_TOKEN_COUNT_KEY.search(name))


def redact(value: Any) -> Any:
    """A copy of ``value`` with secrets masked (dicts, lists and strings, keys too; other values as they
    are), at any depth: the walk stopped at 12 levels and left what was below as it was."""
    return rebuilt_each(
        value,
        _each_redactor(),
        lambda key, item: (
            MASK if is_secret_key(key) and item not in (None, "") and not isinstance(item, bool) else None
        ),
    )


def redact_processor(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any], shown: Callable[[Any], str] = str
) -> MutableMapping[str, Any]:
    """structlog processor: runs last before rendering, so it sees formatted exceptions too. Every field,
    its name too: one whose name began with ``_`` (``log.info(..., _note=...)``, a standard library
    ``extra={"_x": ...}``) was rendered in clear, and a name holding a secret was. Every text of the line,
    inside lists and mappings too (``positional_args``: ``log.info("%s%s", head, tail)``), in the order
    they are written, is joined to the next (``split_masked``), each first cut to MAX_LOGGED_CHARACTERS.
    A value that is no text, number, list or mapping (bytes, a set, an object) is masked as the renderer
    shows it (``shown``: JSON's ``default=str``; the console's ``repr``): left as it was, the renderer
    wrote its text in clear (``b'<secret>'``, ``{'<secret>'}``, an object's ``repr`` quoting it)."""
    fields = rebuilt(dict(event_dict), str)  # a copy to change in place (str: a text as it is)
    for holder, key in list(text_slots(fields, _rendered_as_text)):
        holder[key] = shown(holder[key])
    slots = list(text_slots(fields))
    texts = [bounded(holder[key]) for holder, key in slots]
    for (holder, key), text in zip(slots, split_masked(texts), strict=True):
        holder[key] = text
    line: dict[str, Any] = redact(fields)
    return line


# The console renderer's columns, then the other fields by name, then these: the order its line is written in.
_CONSOLE_COLUMNS = ("timestamp", "level", "event", "logger", "logger_name")
_CONSOLE_LAST = ("stack", "exception")


def console_redact_processor(
    logger: Any, method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """``redact_processor`` for structlog's console renderer: what is no text masked as its ``repr`` (as it
    writes it), and the texts joined in the order it writes them, its columns first (the event), then the
    fields by name. Joined in the line's own order (an ``extra`` or a keyword before the event), a secret
    whose first half was the event's and the rest a field's was written whole, in clear, ``[t] z=``
    between."""

    def place(key: Any) -> tuple[int, int, str]:
        if key in _CONSOLE_COLUMNS:
            return 0, _CONSOLE_COLUMNS.index(key), ""
        return (2, _CONSOLE_LAST.index(key), "") if key in _CONSOLE_LAST else (1, 0, str(key))

    ordered = {key: event_dict[key] for key in sorted(event_dict, key=place)}
    return redact_processor(logger, method, ordered, shown=repr)


# A log line's text, or a span's, past this many characters is quoted (``quoted_start``): masked whole, a
# megabyte of ``%41+`` words in a field took seconds, on the thread that logged (the event loop).
MAX_LOGGED_CHARACTERS = 1 << 16


def bounded(text: str) -> str:
    """``text``, or if longer than MAX_LOGGED_CHARACTERS its start (masked) and how much was left out."""
    if len(text) <= MAX_LOGGED_CHARACTERS:
        return text
    return quoted_start(text, MAX_LOGGED_CHARACTERS) + f"... ({len(text):,} characters)"


def _rendered_as_text(item: Any) -> bool:
    """Whether a renderer writes ``item`` as a text of its own making (not a string, number or None)."""
    return not isinstance(item, str | int | float | None | dict | list)


def text_slots(
    value: Any, wanted: Callable[[Any], bool] = lambda item: isinstance(item, str)
) -> Iterator[tuple[Any, Any]]:
    """Each text (``wanted``) inside ``value`` (lists and mappings, at any depth, met once) as its holder and
    key, in the order a renderer writes them."""
    seen: set[int] = set()
    pending: list[Iterator[tuple[Any, Any]]] = [iter(_items(value))]
    seen.add(id(value))
    while pending:
        for holder, key in pending[-1]:
            item = holder[key]
            if wanted(item):
                yield holder, key
            elif isinstance(item, dict | list) and id(item) not in seen:
                seen.add(id(item))
                pending.append(iter(_items(item)))
                break
        else:
            pending.pop()


def _items(holder: dict[Any, Any] | list[Any]) -> list[tuple[Any, Any]]:
    return [(holder, key) for key in (list(holder) if isinstance(holder, dict) else range(len(holder)))]
