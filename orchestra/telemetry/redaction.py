"""Keeping secrets out of logs: a structlog processor that masks them wherever they appear.

Three nets, coarse to fine: keys that name a secret (``api_key``, ``authorization``, ``cookie``...),
values that look like one (``Bearer ...``, ``sk-...``, JWTs, AWS key ids), and exact values the process
was told are secret (``remember``: settings' API keys, values of a tool's ``secret_args``), masked even
inside longer text such as an error message that echoes a header back, and in every encoding
orchestra/secrets.py knows (percent, JSON, base64, hex).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any
from urllib.parse import quote, quote_plus

from orchestra.literal_set import LiteralSet, beside_mask
from orchestra.secrets import Masker, rebuilt

MASK = "[REDACTED]"
MIN_REMEMBERED_LENGTH = 6  # shorter values would mask ordinary words
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
    r"|\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]+",
)

# Held by every log line and span (_redactor), so never while a pattern compiles: compiling a merged level
# of 2,048 values held it ~0.2-0.75 s, and every other thread's log lines waited. _compiling keeps one
# remember's compiling at a time, in the order the stores changed (taken before _lock, never after).
_lock = threading.Lock()
_compiling = threading.Lock()
# The worker's own secrets (masked in every form) apart from values a plan chose (as written): in one store
# of MAX_REMEMBERED, a plan's 2,048 header values pushed out the LLM API key and the secrets used before.
_known: OrderedDict[str, None] = OrderedDict()
_written: OrderedDict[str, None] = OrderedDict()
# Built once per change, not once per log line or span: the plan's values one LiteralSet added to as they
# come, the worker's own a Masker made again only when one is added (made per line, the 2,048 a plan may
# add cost every line and every span 2.85 ms; bench/log_masking.py).
_plan_values = LiteralSet()
_masker: Masker | None = None


def remember(*values: object, every_form: bool = True) -> None:
    """Mask these exact values from now on (strings; a mapping's or a list's string values too), in
    every encoding, or as written only (``every_form=False``: values a plan chose, of any size and
    number; building every form's pattern for each would be the plan's to stall the worker with). Of
    those, the newest MAX_REMEMBERED are kept, up to MAX_WRITTEN_CHARACTERS in all (the newest always)."""
    global _masker
    with _compiling:
        with _lock:
            known_before = list(_known)
            added: list[str] = []
            for value in strings_within(values):
                if len(value) < MIN_REMEMBERED_LENGTH:
                    continue
                if every_form:
                    _written.pop(value, None)
                store = _known if every_form or value in _known else _written
                store[value] = None
                store.move_to_end(value)
                if store is _written:
                    added.append(value)
            for store in (_known, _written):
                while len(store) > MAX_REMEMBERED:
                    store.popitem(last=False)
            # A plan's values by their size too (a header may be megabytes, and 2,048 of them the automata's
            # gigabytes): the oldest pushed out, never the newest.
            # Weighed by the forms built, not as written: a header of 64 Ki 'é' is 1.3 Mi characters of forms.
            size = sum(_written_weight(value)[1] for value in _written)
            while len(_written) > 1 and size > MAX_WRITTEN_CHARACTERS:
                size -= _written_weight(_written.popitem(last=False)[0])[1]
            if set(_known) != set(known_before):
                _masker = None
            plan_values = _plan_values
            weights = list(map(_written_weight, _written))  # cached: 0.2 ms for 2,048
            kept = sum(count for count, _ in weights), sum(size for _, size in weights)
            written = list(_written)
        # Masked by the masker already made from now on: a LiteralSet is read as it is when a text is. Only
        # the new values' forms each time (all 2,048's were 3 ms a call), all of them only when most of the
        # set is of values forgotten (LiteralSet.keep_only's own measure).
        plan_values.add(form for value in added for form in _written_forms(value))
        if plan_values.outweighs(*kept):
            plan_values.keep_only(form for value in written for form in _written_forms(value))


@functools.lru_cache(maxsize=2 * MAX_REMEMBERED)  # remember reads every value at each call
def _written_weight(value: str) -> tuple[int, int]:
    """How many forms ``value`` is masked in, and their characters in all."""
    forms = _written_forms(value)
    return len(forms), sum(map(len, forms))


@functools.lru_cache(maxsize=2 * MAX_REMEMBERED)
def _written_forms(value: str) -> frozenset[str]:
    """A value a plan chose as it is quoted where a log line or a span shows it: as written, as ``repr``
    writes a text or its bytes (an exception quoting a header: ``'t\\xc3\\xb6k'``), JSON-escaped (a body
    echoing the headers), percent-encoded; each a literal, built in linear time (every form's pattern is
    the worker's own secrets'). And the parts of each outside the mask (``beside_mask``)."""
    forms = {
        value,
        repr(value)[1:-1],
        repr(value.encode())[2:-1],
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        quote(value, safe=""),
        quote_plus(value, safe=""),
    }
    forms |= {part for form in forms for part in beside_mask(form, MASK, MIN_REMEMBERED_LENGTH)}
    if sum(map(len, forms)) > MAX_WRITTEN_CHARACTERS:
        # As written only: its forms are up to 21 times its length (percent, \x, \u of each 'é'), and
        # 1 Mi 'é' were 21 Mi characters built (62 s and 226 MB for 64 Ki of them, loaded machine).
        forms = {value}
    return frozenset(form for form in forms if len(form) >= MIN_REMEMBERED_LENGTH)


def forget_all() -> None:
    global _masker, _plan_values
    with _compiling, _lock:
        _known.clear()
        _written.clear()
        _plan_values = LiteralSet()
        _masker = None


def strings_within(values: Iterable[object]) -> Iterable[str]:
    """The strings among ``values``, and inside their mappings and lists, at any depth (without recursion)."""
    pending = list(values)[::-1]  # a stack, read in the order given: the oldest remembered go first
    seen: set[int] = set()
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping | list | tuple | set) and id(value) not in seen:
            seen.add(id(value))
            pending.extend(reversed(list(value.values() if isinstance(value, Mapping) else value)))


def is_secret_key(key: object) -> bool:
    return isinstance(key, str) and bool(_SECRET_KEY.search(key)) and not _TOKEN_COUNT_KEY.search(key)


def redact_text(text: str) -> str:
    return _redactor()(text)


def _redactor() -> Callable[[str], str]:
    """Masks what is remembered now, in any text."""
    global _masker
    with _lock:
        masker, known, plan_values = _masker, list(_known), _plan_values
    if masker is None:  # made outside the lock: each of the worker's secrets compiles a pattern of every form
        masker = Masker(known, MASK, as_written=plan_values)
        with _lock:
            if _masker is None and list(_known) == known and _plan_values is plan_values:
                _masker = masker
    return lambda text: _SECRET_VALUE.sub(_value_masked, masker.text(text))


def _value_masked(match: re.Match[str]) -> str:
    return (match.group("cookie") or match.group("key") or match.group("scheme") or "") + MASK


def redact(value: Any) -> Any:
    """A copy of ``value`` with secrets masked (dicts, lists and strings, keys too; other values as they
    are), at any depth: the walk stopped at 12 levels and left what was below as it was."""
    return rebuilt(
        value,
        _redactor(),
        lambda key, item: (
            MASK if is_secret_key(key) and item not in (None, "") and not isinstance(item, bool) else None
        ),
    )


def redact_processor(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: runs last before rendering, so it sees formatted exceptions too. Every field,
    its name too: one whose name began with ``_`` (``log.info(..., _note=...)``, a standard library
    ``extra={"_x": ...}``) was rendered in clear, and a name holding a secret was."""
    masked: dict[str, Any] = redact(dict(event_dict))
    return masked
