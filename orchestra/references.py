"""References from a node's arguments to earlier results: ``${fetch.output.body}``, ``${inputs.url}``.

A string that is exactly one reference takes the referenced value with its type; a reference inside
a longer string is interpolated as text (JSON for lists and objects). ``${a.output.json || a.output.text}``
takes the first alternative that exists and is not null (the last one as it is). Pure code: the
workflow resolves arguments itself, so the resolved values are what the activity's history event records.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import to_json

from orchestra.secret_references import names_secret, secret_namings

_PATH = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_\-]+|\[\d+\])*"
REFERENCE = re.compile(rf"\$\{{\s*({_PATH}(?:\s*\|\|\s*{_PATH})*)\s*\}}")
INPUTS = "inputs"
# ``${secrets.NAME}`` is never resolved here: the workflow passes it on as text and only the activity,
# on the worker, replaces it (orchestra/secrets.py), so no secret value enters the history.
SECRETS = "secrets"
NODE_FIELDS = ("output", "state", "error", "attempts")
# Values cross the workflow boundary as JSON, which Temporal's converter reads back only up to about
# 200 levels (and writes up to about 255): anything deeper would fail the workflow task itself (and
# retry forever). Plan arguments, plan inputs (both checked by the plan's first step) and tool outputs
# (checked by the activity) are at most MAX_DEPTH deep, so resolved arguments are at most twice that,
# without walking them: a walk of a large output in workflow code would take seconds, past Temporal's
# 2 s deadlock detection, which fails the workflow task too.
MAX_DEPTH = 64
MAX_INTERPOLATED_CHARS = 4_000_000


class ReferenceError_(ValueError):
    """A reference that cannot be resolved (named so it does not shadow the builtin ReferenceError)."""


# What resolving a step's arguments and building its call can raise because of the plan or the data:
# workflow code catches these and records a step failure instead of failing the workflow task.
INPUT_ERRORS = (ReferenceError_, ValueError, TypeError, RecursionError, OverflowError)


def parse_path(text: str) -> list[str]:
    return [part for part in re.split(r"\.|\[|\]", text) if part]


def alternatives(body: str) -> list[tuple[str, list[str]]]:
    """``(root, path)`` of each alternative of a reference's body (``a.output.x || b.output.y``)."""
    found = []
    for text in body.split("||"):
        parts = parse_path(text.strip())
        found.append((parts[0], parts[1:]))
    return found


def iter_references(value: Any) -> Iterator[tuple[str, list[str]]]:
    """Yield ``(root, path)`` for every reference (every alternative of one) anywhere inside ``value``."""
    if isinstance(value, str):
        for match in REFERENCE.finditer(value):
            yield from alternatives(match.group(1))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from iter_references(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from iter_references(item)


def contains_reference(value: Any) -> bool:
    return next(iter_references(value), None) is not None


def lookup(scope: Mapping[str, Any], root: str, path: list[str]) -> Any:
    if root not in scope:
        raise ReferenceError_(f"${{{root}}} is not available (no such node or input, or it has not run)")
    current = scope[root]
    walked = root
    for part in path:
        walked += f".{part}"
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.lstrip("-").isdigit() and -len(current) <= int(part) < len(current):
            current = current[int(part)]
        else:
            raise ReferenceError_(f"${{{walked}}} does not exist in the referenced value")
    return current


def _first(scope: Mapping[str, Any], body: str) -> Any:
    """The first alternative that exists and is not null; the last one as it is (or its error)."""
    *earlier, last = alternatives(body)
    for root, path in earlier:
        try:
            value = lookup(scope, root, path)
        except ReferenceError_:
            continue
        if value is not None:
            return _not_naming_secrets(root, value, body)
    return _not_naming_secrets(last[0], lookup(scope, *last), body)


def _not_naming_secrets(root: str, value: Any, body: str) -> Any:
    """A step's result is data (a fetched page, a model's answer): it may not name a secret, or the
    activity would resolve it as if the plan had (and send it wherever the data also chose). Only the
    plan's own text and its inputs, given by whoever started the run, may."""
    if root == INPUTS:
        return value
    if isinstance(value, str):
        secret = names_secret(value)
    else:
        secret = isinstance(value, Mapping | list) and scan(value).names_secret
    if secret:
        raise ReferenceError_(f"${{{body}}} holds a ${{secrets.…}} reference: a step's result may not name a secret")
    return value


def _is_secret(body: str) -> bool:
    return alternatives(body)[0][0] == SECRETS


def depth_over(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True if ``value`` nests lists/dicts deeper than ``limit`` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping | list | tuple):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, Mapping) else item))
    return False


def not_json(value: Any) -> str | None:
    """What in ``value`` JSON cannot carry as it is, and where (``json.b: binary data``), or None. A YAML
    ``.inf``, ``.nan`` or ``1e999`` would reach the tool as null; ``!!binary`` that is not UTF-8, or half
    a surrogate pair (which JSON's ``\\ud800`` escape reads), cannot be sent at all: a run's values travel
    as UTF-8; nor can a ``!!set`` or a ``!!timestamp``. Iterative, for a value whose depth is already
    bounded (``depth_over``)."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return f"{where or 'the value'}: {item} is not a number JSON can carry"
        if isinstance(item, bytes | bytearray):
            return f"{where or 'the value'}: binary data (YAML !!binary) is not a JSON value; give it as text"
        if not isinstance(item, str | int | float | Mapping | list | tuple | None):
            return f"{where or 'the value'}: {_not_json_kind(item)} is not a JSON value; give it as {_instead(item)}"
        if isinstance(item, int) and (digits := too_long_for_text(item)):
            return f"{where or 'the value'}: a number of {digits:,} digits; Python writes at most {sys.get_int_max_str_digits():,}"
        if isinstance(item, str) and (half := half_surrogate(item)):
            return f"{where or 'the value'}: a string with half a surrogate pair ({half}), which no UTF-8 carries"
        if isinstance(item, Mapping):
            for key, child in item.items():
                inside = f"{where}.{shown(str(key))}" if where else shown(str(key))
                if isinstance(key, str) and (half := half_surrogate(key)):
                    return f"{inside}: a key with half a surrogate pair ({half}), which no UTF-8 carries"
                stack.append((child, inside))
        elif isinstance(item, list | tuple):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
    return None


def _not_json_kind(item: object) -> str:
    """What a YAML safe loader's other tags build: ``!!set``, ``!!timestamp`` (a date or a datetime)."""
    if isinstance(item, set | frozenset):
        return "a set (YAML !!set)"
    if isinstance(item, datetime.date):
        return f"a {type(item).__name__} (YAML !!timestamp)"
    return f"a {type(item).__name__}"


def _instead(item: object) -> str:
    return "a list" if isinstance(item, set | frozenset) else "text"


def too_long_for_text(number: int) -> int:
    """How many digits ``number`` has if that is more than Python writes (``sys.get_int_max_str_digits()``):
    a YAML ``0x…`` of 5,000 hex digits is read, but no JSON can be written with it. 0 if it can be."""
    limit = sys.get_int_max_str_digits()
    if not limit or number.bit_length() <= limit * 3:  # 2**(3 * limit) < 10**limit: within the limit
        return 0
    if abs(number) < 10**limit:
        return 0
    return math.floor(math.log10(abs(number))) + 1


_SURROGATE = re.compile("[\ud800-\udfff]")


def half_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text``, escaped (a Python str holds a pair as one character)."""
    found = _SURROGATE.search(text)
    return None if found is None else shown(found.group())


def utf8_text(text: str) -> str:
    """``text``, if UTF-8 can carry it: a request built in Python (not by the CLI, which refuses such an
    argument) failed only when the client serialised it, as a PydanticSerializationError."""
    if half := half_surrogate(text):
        raise ValueError(f"a string with half a surrogate pair ({half}), which no UTF-8 carries")
    return text


# A text field of what starts a run: pydantic checks a ``str`` is whole only when a constraint needs it.
Utf8Text = Annotated[str, AfterValidator(utf8_text)]


def whole_characters(value: Any) -> Any:
    """``value`` with each half surrogate pair in its strings and keys replaced by U+FFFD, as undecodable
    bytes are: what a tool brings back (a server's JSON ``"\\ud800"``, a file name that is not UTF-8)
    must reach the workflow, and no UTF-8 carries such a string. Lists and dicts are changed in place:
    call it on a value freshly built. Iterative: the value's depth is not bounded yet."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if any(isinstance(key, str) and _SURROGATE.search(key) for key in item):
                pairs = list(item.items())
                item.clear()  # keys rewritten in their order; two that now read the same: the last one stays
                item.update((_SURROGATE.sub("\ufffd", k) if isinstance(k, str) else k, v) for k, v in pairs)
            for key, child in item.items():
                if isinstance(child, str):
                    item[key] = _SURROGATE.sub("\ufffd", child)
                elif isinstance(child, dict | list):
                    stack.append(child)
        elif isinstance(item, list):
            for index, child in enumerate(item):
                if isinstance(child, str):
                    item[index] = _SURROGATE.sub("\ufffd", child)
                elif isinstance(child, dict | list):
                    stack.append(child)
    return value


def shown(text: str) -> str:
    """``text`` as a message may print it: a lone surrogate (which no stream can write) as ``\\udXXX``."""
    return text.encode("utf-8", "backslashreplace").decode()


def resolve(value: Any, scope: Mapping[str, Any], taken: Callable[[Any], None] | None = None) -> Any:
    """Replace every reference in ``value`` with its value from ``scope``; ReferenceError_ for one that
    cannot be resolved. ``value`` and the values in ``scope`` are at most MAX_DEPTH deep (see above);
    a part of ``value`` that holds no reference is kept as it is, not walked. ``taken`` is handed each
    value a string resolved to, as it is put in, and may raise to stop there: run_tool's bound on what
    references add (orchestra/resolved_args.py), which a plan's millions of them passed unmeasured."""
    return _resolve(value, scope, taken)


def _has_reference(value: Any) -> bool:
    """Whether ``value`` holds ``${`` anywhere (a plan may carry megabytes of literals)."""
    if isinstance(value, str):
        return "${" in value
    return isinstance(value, Mapping | list) and scan(value).has_reference


@dataclass(frozen=True)
class Scan:
    json_bytes: int  # the size of the value's JSON: what walking it costs
    has_reference: bool
    names_secret: bool


def scan(value: Any) -> Scan:
    """What workflow code must know about a (possibly large) value without walking it in Python, which
    the workflow sandbox makes slower still: read off its JSON, written by Rust (pydantic_core, several
    times faster than json.dumps), and remembered for that object, which many steps of a fan-out or
    many conditions refer to. The entry holds the object, so its id cannot be reused meanwhile."""
    entry = _SCANS.get(id(value))
    if entry is None or entry[0] is not value:
        text = to_json(value, fallback=str).decode(errors="replace")
        entry = (value, Scan(len(text), "${" in text, names_secret(text)))
        if len(_SCANS) >= SCANS_KEPT:
            _SCANS.clear()  # shared by the workflow threads: clearing is the one change safe without a lock
        _SCANS[id(value)] = entry
    return entry[1]


SCANS_KEPT = 256
_SCANS: dict[int, tuple[Any, Scan]] = {}


def _resolve(value: Any, scope: Mapping[str, Any], taken: Callable[[Any], None] | None = None) -> Any:
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value.strip())
        if whole and not _is_secret(whole.group(1)):
            resolved = _first(scope, whole.group(1))
        else:
            resolved = _interpolate(value, scope)
        if taken is not None:
            taken(resolved)
        return resolved
    if isinstance(value, Mapping):
        return {k: _resolve(v, scope, taken) if _has_reference(v) else v for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, scope, taken) if _has_reference(v) else v for v in value]
    return value


def _interpolate(text: str, scope: Mapping[str, Any]) -> str:
    """References inside a longer string, as text; the result is capped while it is built (a string
    repeating a large output's reference would otherwise grow without bound in workflow code)."""
    parts: list[str] = []
    from_results: list[tuple[int, int, str]] = []  # where a step's result was written: start, end, reference
    size = 0
    position = 0
    for match in REFERENCE.finditer(text):
        for part in (text[position : match.start()], _substitute(match, scope)):
            size += len(part)
            if size > MAX_INTERPOLATED_CHARS:
                raise ReferenceError_(f"a string argument would grow beyond {MAX_INTERPOLATED_CHARS} characters")
            parts.append(part)
        if not _from_inputs(match.group(1)):
            from_results.append((size - len(parts[-1]), size, match.group(0)))
        position = match.end()
    parts.append(text[position:])
    whole = "".join(parts)
    if from_results:
        _naming_no_secret_across(whole, from_results)
    return whole


def _from_inputs(body: str) -> bool:
    return all(root in (INPUTS, SECRETS) for root, _path in alternatives(body))


def _naming_no_secret_across(whole: str, from_results: list[tuple[int, int, str]]) -> None:
    """A step's result naming no secret on its own may with what stands next to it: ``$`` from one and
    ``{secrets.KEY}`` from the next, or after the plan's own ``$``; the activity would resolve it as the
    plan's reference (and send it wherever the data also chose). Both lists run in the string's order, so
    one sweep: a pair for each naming and result was quadratic in workflow code (8,000 of each: 2.8 s)."""
    results = iter(from_results)
    result = next(results, None)
    for start, end in secret_namings(whole):
        while result is not None and result[1] <= start:
            result = next(results, None)
        if result is None:
            return
        if result[0] < end:
            raise ReferenceError_(
                f"{result[2]} names a ${{secrets.…}} reference with the text next to it: "
                "a step's result may not name a secret"
            )


def _substitute(match: re.Match[str], scope: Mapping[str, Any]) -> str:
    if _is_secret(match.group(1)):
        return match.group(0)
    value = _first(scope, match.group(1))
    try:
        return _as_text(value)
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. an integer too long to print
        raise ReferenceError_(f"{match.group(0)} cannot be written as text: {exc}") from None


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)
