"""An MCP server's input schemas, checked by the worker without letting the server stall it.

The schema is the server's and the arguments are the plan's or the model's: together they may be
made to cost anything. So:
- regular expressions (``pattern``, ``patternProperties``, and ``additionalProperties`` beside them)
  match with RE2, in linear time: Python's backtracking ``re`` takes exponential time on
  ``^(a|a)*$`` against 40 characters, on the worker's event loop. A schema whose expression RE2
  cannot run (back-references, look-around) is refused when the tools are listed, as is
  ``unevaluatedProperties`` beside ``patternProperties`` (jsonschema would match those with ``re``);
- a schema that refers to itself without end, or nests deeper than Python can follow, is an error of
  that schema (refused at listing, or a validation error of the call), never a RecursionError;
- a check costs at most a budget of steps (keywords applied, an ``enum`` its length) that grows with
  the value checked, never with what the schema makes of it: 3 KB of ``anyOf`` over ``$ref`` four deep
  took 66 s on one string, and jsonschema's ``uniqueItems`` compares every pair of objects (58 s for
  4,000 of them, 60 KB of arguments); past the budget the value is refused, and ``uniqueItems`` is
  checked by hashing, in linear time. The schema's own check against its meta-schema is held to the
  same bounds;
- a tool's listing is at most MAX_TOOL_BYTES of JSON: every schema and description goes to the
  planner, into the agent's prompts and into the records.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import heapq
import json
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import jsonschema
import re2
from jsonschema import ValidationError
from jsonschema.exceptions import SchemaError
from jsonschema.protocols import Validator
from referencing import Registry

from orchestra.reference_types import values_within

MAX_TOOL_BYTES = 64 * 1024
UNCHECKABLE = "the server's input schema cannot be checked: it refers to itself without end or nests too deep"


# Steps a check may take: keyword applications. A schema that checks each value with a handful of
# keywords (the largest real ones: a few dozen) stays far under; one that makes the work grow faster
# than the value (references fanned out by anyOf, which jsonschema follows branch by branch) reaches it.
BASE_STEPS = 10_000
STEPS_PER_VALUE = 20


class UnsafePattern(ValueError):
    pass


class TooCostly(Exception):
    """The check went past its budget of steps."""


_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("schema_check_budget", default=None)


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> Any:
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise UnsafePattern(f"regular expression {pattern!r} is not one RE2 runs (in linear time): {reason}") from None


def _search(pattern: str, text: str) -> bool:
    return _compiled(pattern).search(text) is not None


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(
    validator: Any, additional: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    extras = [k for k in instance if k not in known and not any(_search(p, k) for p in patterns)]
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        yield ValidationError(
            f"Additional properties are not allowed ({_names(extras)} {'was' if len(extras) == 1 else 'were'} unexpected)"
        )


def _names(extras: list[str]) -> str:
    """The unexpected names, the first in order up to about MAX_QUOTED characters, then how many more: they
    are the plan's words, named so that a misspelt one is found, but all of them (100,000, or one of 10 MB)
    made the refusal as long as the arguments. A name longer than MAX_QUOTED is said by its length, never cut
    (a secret cut in two would no longer be found by the masking that runs after)."""
    said: list[str] = []
    length = 0
    for extra in heapq.nsmallest(len(extras) if len(extras) <= _NAMES_SORTED else _NAMES_SORTED, extras):
        text = repr(extra) if len(extra) <= MAX_QUOTED else f"a name of {len(extra):,} characters"
        length += len(text) + 2
        if said and length > MAX_QUOTED:
            break
        said.append(text)
    left = len(extras) - len(said)
    return ", ".join(said) + (f" and {left:,} more" if left else "")


_NAMES_SORTED = 32  # at most this many are said, so at most this many are sorted out of the rest


def _unique_items(validator: Any, unique: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if unique and validator.is_type(instance, "array"):
        keys = [_hashable(item) for item in instance]
        if len(set(keys)) < len(keys):
            yield ValidationError(f"the array of {len(keys):,} items has non-unique elements")


def _hashable(value: Any) -> Any:
    """A key equal for values JSON Schema holds equal (1 and 1.0, not 1 and true; objects whatever their order)."""
    if isinstance(value, bool) or value is None:
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, list):
        return ("array", tuple(_hashable(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, _hashable(item)) for key, item in value.items()))
    return (type(value).__name__, value)


def _enum(validator: Any, allowed: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not isinstance(allowed, list):  # not a valid schema: the checks before the call say so
        return
    if _hashable(instance) not in _enum_keys(allowed):
        listed = repr(allowed) if len(allowed) <= 20 else f"the {len(allowed):,} values of its enum"
        yield ValidationError(f"{instance!r} is not one of {listed}")


def _enum_keys(allowed: list[Any]) -> frozenset[Any]:
    """The keys of an enum's values, made once per enum: the list is the schema's own, kept with them
    (its id cannot be taken by another list while it is here)."""
    with _enum_lock:
        if (kept := _enums.get(id(allowed))) is not None:
            _enums.move_to_end(id(allowed))
            return kept[1]
    keys = frozenset(_hashable(value) for value in allowed)
    with _enum_lock:
        _enums[id(allowed)] = (allowed, keys)
        while len(_enums) > OUTPUT_CHECKERS:
            _enums.popitem(last=False)
    return keys


def _branches_tried_to_first_error(stock: Keyword, *, only_one: bool) -> Keyword:
    """``anyOf`` / ``oneOf`` that try each branch only up to its first error, and leave the errors to
    jsonschema's own keyword (``stock``) only when the value is refused: jsonschema collected every error
    of every branch that failed, so a union of 20 object kinds checked each of 20 events' fields against
    all 20 kinds (about 55 steps a value: 100 events refused past the budget, an ordinary output). The
    branch that matches costs what it did; one that does not, what it takes to see that."""

    def branches(validator: Any, subschemas: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if isinstance(subschemas, list):
            passing = (
                index
                for index, subschema in enumerate(subschemas)
                if next(validator.descend(instance, subschema, schema_path=index), None) is None
            )
            first = next(passing, None)
            # anyOf holds with one branch passing; oneOf with exactly one (the rest tried, as jsonschema does).
            if first is not None and not (only_one and next(passing, None) is not None):
                return
        yield from stock(validator, subschemas, instance, schema)

    return branches


_enums: OrderedDict[int, tuple[list[Any], frozenset[Any]]] = OrderedDict()
_enum_lock = threading.Lock()
Keyword = Callable[[Any, Any, Any, dict[str, Any]], Any]


def _counted(check: Keyword) -> Keyword:
    def counted(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Any:
        budget = _budget.get()
        if budget is not None:
            budget[0] -= 1
            if budget[0] < 0:
                raise TooCostly
        return check(validator, value, instance, schema)

    return counted


@functools.cache
def _safe_class(base: type[Validator]) -> type[Validator]:
    keywords: dict[str, Keyword] = {**base.VALIDATORS, "pattern": _pattern, "patternProperties": _pattern_properties}
    if "additionalProperties" in base.VALIDATORS:
        keywords["additionalProperties"] = _additional_properties
    for keyword, check in (("uniqueItems", _unique_items), ("enum", _enum)):
        if keyword in base.VALIDATORS:
            keywords[keyword] = check
    for keyword in ("anyOf", "oneOf"):
        if keyword in base.VALIDATORS:
            keywords[keyword] = _branches_tried_to_first_error(base.VALIDATORS[keyword], only_one=keyword == "oneOf")
    counted = {keyword: _counted(check) for keyword, check in keywords.items()}
    extended: type[Validator] = jsonschema.validators.extend(base, counted)  # type: ignore[no-untyped-call]
    extended.evolve = _evolve_within  # type: ignore[method-assign]
    return extended


def _evolve_within(self: Any, **changes: Any) -> Any:
    """The validator for a subschema, of this same class whatever the subschema's ``$schema`` says:
    jsonschema's own evolve takes the stock class of the dialect a subschema names (or the root names,
    through ``$ref: "#"``), and with it Python's ``re`` and no budget: ``^(a|a)*$`` under a
    ``$schema`` of its own took 1.3 s for 22 characters, doubling with each one more."""
    changes.setdefault("schema", self.schema)
    for field in attrs.fields(type(self)):
        if field.init and field.alias not in changes:
            changes[field.alias] = getattr(self, field.name)
    return type(self)(**changes)


def validator(schema: dict[str, Any]) -> Validator:
    """A validator of ``schema`` whose expressions run on RE2 and whose ``$ref`` stay inside it."""
    base = jsonschema.validators.validator_for(schema)
    return _safe_class(base)(schema, registry=Registry())


def output_checker(schema: dict[str, Any]) -> Validator | str:
    """The validator of a tool's output schema, or why that schema cannot be used: built once per schema
    (checking and compiling it took longer than most answers do to check, on every call), the latest kept
    up to OUTPUT_CHECKERS of them and OUTPUT_CHECKER_BYTES of their JSON. By the schema's JSON: the
    session holds a new dict each time it lists tools. A schema over MAX_TOOL_BYTES is refused uncached:
    the SDK keeps the schemas of tools the listing refused too, and a server that changes its schemas
    (list_changed) would otherwise have had each kept whole, up to 64 MiB a message, 256 of them."""
    text = json.dumps(schema, sort_keys=True)
    if len(text) > MAX_TOOL_BYTES:
        return f"its output schema is {len(text):,} bytes of JSON; at most {MAX_TOOL_BYTES:,} are taken"
    key = hashlib.sha256(text.encode()).digest()
    with _checkers_lock:
        if (kept := _checkers.get(key)) is not None:
            _checkers.move_to_end(key)
            return kept[1]
    unusable = problem(schema, {"outputSchema": schema}, "outputSchema")
    checker = unusable if unusable is not None else validator(schema)
    with _checkers_lock:
        _checkers[key] = (len(text), checker)
        while len(_checkers) > OUTPUT_CHECKERS or sum(size for size, _ in _checkers.values()) > OUTPUT_CHECKER_BYTES:
            _checkers.popitem(last=False)
    return checker


OUTPUT_CHECKERS = 256
# Of schema JSON: what a validator keeps (the schema read, its compiled parts) is about 7 times its JSON.
OUTPUT_CHECKER_BYTES = 2 * 1024 * 1024
_checkers: OrderedDict[bytes, tuple[int, Validator | str]] = OrderedDict()
_checkers_lock = threading.Lock()


def errors(checker: Validator, instance: Any) -> list[ValidationError]:
    """What ``instance`` breaks of ``checker``'s schema, within a budget of steps that grows with it."""
    allowed = BASE_STEPS + STEPS_PER_VALUE * values_within(instance, sys.maxsize)
    token = _budget.set([allowed])
    try:
        return list(checker.iter_errors(instance))
    except RecursionError:
        return [ValidationError(UNCHECKABLE)]
    except UnsafePattern as exc:
        return [ValidationError(str(exc))]
    except TooCostly:
        return [ValidationError(f"{TOO_COSTLY} ({allowed:,} steps for this value)")]
    finally:
        _budget.reset(token)


TOO_COSTLY = "checking this value against the server's schema takes more steps than the value's size allows"
# Of a path or a schema's value named in a breach: longer ones are described, never cut (see breach).
MAX_QUOTED = 200


def breach(error: ValidationError | SchemaError) -> str:
    """Where a value breaks a schema and which rule, in the schema's words, never the value's: jsonschema's
    message quotes the value ("'sk-live-...' is not of type 'integer'"), and a server's answer may echo
    what it was given (its secrets, a plan's values). Nothing is cut either: a secret cut in two is no
    longer found by the masking that runs after, and its start would be shown in clear."""
    if not isinstance(error.validator, str):  # ours (errors above): no keyword, and no value quoted
        return error.message
    path = error.json_path
    where = path if len(path) <= MAX_QUOTED else f"a place {len(error.absolute_path):,} levels deep"
    return f"the value at {where} breaks its schema's {json.dumps(error.validator)}: {_rule(error.validator_value)}"


def _rule(value: Any) -> str:
    """The schema's value a breach names, as JSON, or what it is when longer than MAX_QUOTED: written only
    that far. Writing all of it (an enum of 200,000 values: 2 MB) cost 30 ms a refused value, and plan
    validation tries up to 17 values a step."""
    if isinstance(value, list) and 3 * len(value) > MAX_QUOTED:
        # Each value is at least a character of JSON and a separator of two: known longer, none written (a
        # refused argument of 50,000 items wrote an enum's first 200 characters 50,000 times: 5 s of CPU).
        return f"(a value of more than {MAX_QUOTED} characters of JSON: a list of {len(value):,} values)"
    written = []
    length = 0
    for chunk in json.JSONEncoder(default=str).iterencode(value):
        written.append(chunk)
        length += len(chunk)
        if length > MAX_QUOTED:
            count = f": a list of {len(value):,} values" if isinstance(value, list) else ""
            return f"(a value of more than {MAX_QUOTED} characters of JSON{count})"
    return "".join(written)


def _meta_errors(schema: dict[str, Any]) -> list[ValidationError]:
    """``schema`` against its meta-schema as jsonschema's check_schema does it, by the bounded validator:
    a draft-04 schema's ``enum`` of thousands of objects made check_schema compare every pair."""
    base = jsonschema.validators.validator_for(schema)
    meta = jsonschema.validators.validator_for(base.META_SCHEMA, default=base)
    return errors(_safe_class(meta)(base.META_SCHEMA, format_checker=_formats_of(meta)), schema)


@functools.cache
def _formats_of(meta: type[Validator]) -> jsonschema.FormatChecker:
    """The meta-schema's format checks but ``regex``: jsonschema judges a pattern by Python's ``re``, which
    refused ``^\\p{L}+$`` (Unicode letters: ECMA-262's, and RE2's that runs it), so a tool taking a name
    was unusable. Patterns are compiled by RE2 right after, as they will run (``problem``)."""
    kept = jsonschema.FormatChecker(())
    kept.checkers = {name: check for name, check in meta.FORMAT_CHECKER.checkers.items() if name != "regex"}
    return kept


def problem(schema: dict[str, Any], listing: dict[str, Any], field: str = "inputSchema") -> str | None:
    """Why ``schema`` (the ``field`` of the tool ``listing``) cannot be used, or None."""
    size = len(json.dumps(listing))
    if size > MAX_TOOL_BYTES:
        return f"its listing is {size:,} bytes of JSON; at most {MAX_TOOL_BYTES:,} are taken"
    try:
        if found := _meta_errors(schema):
            if found[0].message.startswith((TOO_COSTLY, UNCHECKABLE)):
                return f"its {field} is not usable: {found[0].message}"
            raise SchemaError.create_from(found[0])
        for pattern in _patterns(schema):
            _compiled(pattern)
        if _has_key(schema, "unevaluatedProperties") and _has_key(schema, "patternProperties"):
            return f"its {field} uses unevaluatedProperties with patternProperties, which is not supported"
        # A self-reference that never reaches an instance fails on any object: find it now, not per call.
        if any(error.message == UNCHECKABLE for error in errors(validator(schema), {})):
            return f"its {field} is not usable: {UNCHECKABLE}"
    except SchemaError as exc:
        return f"its {field} is not a valid JSON Schema: {breach(exc)}"
    except RecursionError:
        return f"its {field} is not usable: {UNCHECKABLE}"
    except UnsafePattern as exc:
        return f"its {field} is not usable: {exc}"
    return None


DATA_KEYWORDS = {"const", "default", "enum", "examples"}  # values, not schemas: nothing in them is run


def _patterns(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            if key not in DATA_KEYWORDS:
                yield from _patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _patterns(item)


def _has_key(schema: Any, wanted: str) -> bool:
    if isinstance(schema, dict):
        return wanted in schema or any(_has_key(value, wanted) for value in schema.values())
    return isinstance(schema, list) and any(_has_key(item, wanted) for item in schema)
