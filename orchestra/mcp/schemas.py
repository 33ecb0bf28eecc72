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
- a tool's listing is at most MAX_TOOL_BYTES of JSON: every schema and description goes to the
  planner, into the agent's prompts and into the records.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import jsonschema
import re2
from jsonschema import ValidationError
from jsonschema.exceptions import SchemaError
from jsonschema.protocols import Validator
from referencing import Registry

MAX_TOOL_BYTES = 64 * 1024
UNCHECKABLE = "the server's input schema cannot be checked: it refers to itself without end or nests too deep"


class UnsafePattern(ValueError):
    pass


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
        names = ", ".join(repr(extra) for extra in sorted(extras))
        yield ValidationError(
            f"Additional properties are not allowed ({names} {'was' if len(extras) == 1 else 'were'} unexpected)"
        )


@functools.cache
def _safe_class(base: type[Validator]) -> type[Validator]:
    keywords = {"pattern": _pattern, "patternProperties": _pattern_properties}
    if "additionalProperties" in base.VALIDATORS:
        keywords["additionalProperties"] = _additional_properties
    extended: type[Validator] = jsonschema.validators.extend(base, keywords)  # type: ignore[no-untyped-call]
    return extended


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
    try:
        return list(checker.iter_errors(instance))
    except RecursionError:
        return [ValidationError(UNCHECKABLE)]
    except UnsafePattern as exc:
        return [ValidationError(str(exc))]


def problem(schema: dict[str, Any], listing: dict[str, Any], field: str = "inputSchema") -> str | None:
    """Why ``schema`` (the ``field`` of the tool ``listing``) cannot be used, or None."""
    size = len(json.dumps(listing))
    if size > MAX_TOOL_BYTES:
        return f"its listing is {size:,} bytes of JSON; at most {MAX_TOOL_BYTES:,} are taken"
    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
        for pattern in _patterns(schema):
            _compiled(pattern)
        if _has_key(schema, "unevaluatedProperties") and _has_key(schema, "patternProperties"):
            return f"its {field} uses unevaluatedProperties with patternProperties, which is not supported"
        # A self-reference that never reaches an instance fails on any object: find it now, not per call.
        if any(error.message == UNCHECKABLE for error in errors(validator(schema), {})):
            return f"its {field} is not usable: {UNCHECKABLE}"
    except SchemaError as exc:
        return f"its {field} is not a valid JSON Schema: {exc.message}"
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
