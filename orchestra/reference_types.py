"""What a step's output can give a reference, read off its tool's output schema before anything runs.

At run time ``${a.output.x}`` written whole is replaced by the value itself (any JSON type), and one inside
a longer string by its text (references.py). A field the producing tool's output lacks, or a whole
reference whose value's type no argument of that kind accepts (a number into a text argument), failed
every such step with ``validation`` after the steps before it ran. A tool with no output schema, a node
with alternatives (which tool produced it is known only then), or a part of the output the schema leaves
open (``Any``, a union, a map) is unknown here, and allowed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from orchestra.references import REFERENCE, SECRETS, alternatives

OUTPUT = "output"
# One value of each JSON type, as the run would pass it: what no argument of another type accepts. Text
# that parses as a number and a whole float are what lax validation coerces, so neither is a sample's.
_SAMPLES: dict[str, Any] = {
    "string": "text",
    "integer": 1,
    "number": 1.0,
    "boolean": True,
    "array": [],
    "object": {},
    "null": None,
}
_UNKNOWN = object()  # the schema leaves this part open


class MissingField(Exception):
    def __init__(self, walked: str) -> None:
        super().__init__(walked)
        self.walked = walked


@dataclass(frozen=True)
class Producer:
    """The output schema of the tool a node runs (None: not known before the run)."""

    schema: dict[str, Any] | None

    @classmethod
    def of(cls, output_model: type[BaseModel] | None) -> Producer:
        if output_model is None:
            return cls(None)
        by_alias = bool(output_model.model_config.get("serialize_by_alias", False))
        return cls(output_model.model_json_schema(by_alias=by_alias, mode="serialization"))


@dataclass(frozen=True)
class Sampled:
    """Arguments with each whole reference to a typed output field replaced by a value of its type."""

    args: Any
    placed: dict[tuple[str | int, ...], str]  # where a sample stands -> the reference it stands for


def field_problems(where: str, args: Any, producers: Mapping[str, Producer]) -> list[str]:
    """Each reference in ``args`` to an output field its producing tool does not have."""
    problems: list[str] = []
    for _loc, text in _strings(args, ()):
        for match in REFERENCE.finditer(text):
            # The last alternative only: an earlier one that is not there is passed over by the run.
            root, path = alternatives(match.group(1))[-1]
            producer = producers.get(root)
            if producer is None or producer.schema is None or not path or path[0] != OUTPUT:
                continue
            try:
                _walk(producer.schema, path[1:], f"{root}.{OUTPUT}")
            except MissingField as exc:
                problems.append(
                    f"{where}: {match.group(0)[:200]!s} names a field the output of {root!r} does not have "
                    f"(${{{exc.walked}}})"
                )
    return problems


def sampled(args: Any, producers: Mapping[str, Producer]) -> Sampled:
    """``args`` with every string that is exactly one reference to a typed field of a step's output
    replaced by a value of that type, as the run would put the value itself there."""
    placed: dict[tuple[str | int, ...], str] = {}

    def replace(value: Any, loc: tuple[str | int, ...]) -> Any:
        if isinstance(value, str):
            sample = _sample_for(value, producers)
            if sample is _UNKNOWN:
                return value
            placed[loc] = value.strip()
            return sample
        if isinstance(value, dict):
            return {key: replace(item, (*loc, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [replace(item, (*loc, index)) for index, item in enumerate(value)]
        return value

    return Sampled(replace(args, ()), placed)


def _sample_for(text: str, producers: Mapping[str, Producer]) -> Any:
    whole = REFERENCE.fullmatch(text.strip())
    if whole is None:
        return _UNKNOWN
    options = alternatives(whole.group(1))
    if len(options) != 1:  # the first of several that exists: which one is known only then
        return _UNKNOWN
    [(root, path)] = options
    producer = producers.get(root)
    if root == SECRETS or producer is None or producer.schema is None or not path or path[0] != OUTPUT:
        return _UNKNOWN
    try:
        found = _walk(producer.schema, path[1:], root)
    except MissingField:
        return _UNKNOWN  # reported by field_problems
    if found is _UNKNOWN:
        return _UNKNOWN
    kind = _resolved(producer.schema, found).get("type")
    return _SAMPLES[kind] if isinstance(kind, str) and kind in _SAMPLES else _UNKNOWN


def _walk(root: dict[str, Any], path: list[str], walked: str) -> Any:
    """The schema ``path`` reaches within ``root``; _UNKNOWN where the schema leaves it open; MissingField
    where the output can have nothing there."""
    current: dict[str, Any] = root
    for part in path:
        walked += f".{part}"
        current = _resolved(root, current)
        kind = current.get("type")
        if "properties" in current or kind == "object":
            properties = current.get("properties", {})
            if part in properties:
                current = properties[part]
                continue
            extra = current.get("additionalProperties")
            if extra is False or (extra is None and "properties" in current):
                raise MissingField(walked)
            return _UNKNOWN
        if kind == "array":
            if not part.lstrip("-").isdigit():
                raise MissingField(walked)
            items = current.get("items")
            if not isinstance(items, dict):
                return _UNKNOWN
            current = items
            continue
        if kind in ("string", "integer", "number", "boolean", "null"):
            raise MissingField(walked)
        return _UNKNOWN  # a union, Any, or a schema this does not read
    return current


def _resolved(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = root.get("$defs", {}).get(ref.removeprefix("#/$defs/"))
        if isinstance(target, dict):
            return target
    return schema


def _strings(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))
