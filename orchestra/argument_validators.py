"""What a tool's argument model does at a place of its arguments, read off pydantic's core schema (the
validator itself, not the JSON schema it shows): the closed set there and how many values it holds, and
whether the check there is that set alone.

The JSON schema of a model says what it shows, not what it takes: a ``_missing_`` of an Enum, a
``BeforeValidator`` or a ``model_validator(mode="before")`` may take values its ``enum`` lacks (``"RED"`` for
``red``), and ``WithJsonSchema`` may show any set. Reading the core schema costs nothing next to making the
JSON schema (seconds for an enum of 200,000 values).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, TypeAdapter, ValidationError, WrapValidator
from pydantic_core import PydanticCustomError

Loc = tuple[str | int, ...]
# A model's class attribute saying its check is its JSON schema itself (an MCP server's arguments, checked by
# jsonschema in a ``before`` validator): what the schema shows is what it takes.
SCHEMA_IS_THE_CHECK = "schema_is_the_check"
# Validators that see the value before the set does, so may take one it lacks.
_BEFORE = ("function-before", "function-wrap", "function-plain")
_WRAPPERS = ("default", "nullable", "function-after", "model", "definitions")
_DEPTH = 64


# A closed set whose refusal pydantic would write longer than this is refused by ``one_of``'s own check.
_SAID_WHOLE = 1_000
_SAID_CHARS = 140  # of its values, at most, in that refusal


def _said_whole_too_long(values: Iterator[Any] | tuple[Any, ...]) -> bool:
    """Whether pydantic's refusal of a set of ``values`` writes more than _SAID_WHOLE characters of them."""
    length = 0
    for value in values:  # each written as pydantic writes it, until the whole is too long
        length += len(repr(value)) + 2
        if length > _SAID_WHOLE:
            return True
    return False


def one_of(values: tuple[Any, ...]) -> Any:
    """``Literal[values]``, refused in a message of a bounded size: pydantic writes every value of the set in
    each refusal (1.4 MB for 100,000 values), and copies it into each refused value's error as it validates,
    so a step of a tools file's enum cost milliseconds a check before ``said`` cut it, and a list of a
    thousand refused values 7 GB. The set is still the check (``is_its_set``): this only refuses first."""
    literal = Literal.__getitem__(values)
    try:
        members = frozenset(values)
    except TypeError:  # a set of lists: as pydantic checks it
        return literal
    if _said_whole_too_long(values):
        return Annotated[literal, WrapValidator(_OneOf(members, values, len(values)))]
    return literal


def enum_one_of(cls: type[enum.Enum]) -> Any:
    """``cls``, refused in a message of a bounded size as ``one_of`` is, where pydantic's would be longer; else
    ``cls`` itself. An Enum with a ``_missing_`` of its own (a Flag's too) may take any value: left as it is."""
    values = tuple(member.value for member in cls)
    if _own_missing(cls) or not _said_whole_too_long(values):
        return cls
    try:
        members = frozenset((*cls, *values))
    except TypeError:  # values that are lists: as pydantic checks them
        return cls
    return Annotated[cls, WrapValidator(_EnumOneOf(members, values, cls))]


class _OneOf:
    """The wrap validator of ``one_of``: a value no member equals (as pydantic's Literal compares: 1, 1.0 and
    true are one) is refused with the set's first values and its size; any other is the Literal's to check."""

    def __init__(self, members: frozenset[Any], values: tuple[Any, ...], size: int) -> None:
        self.members = members
        said: list[str] = []
        length = 0
        for value in values:
            text = repr(value)
            length += len(text) + 2
            if length > _SAID_CHARS:
                said = said or [text[: _SAID_CHARS - 3] + "..."]  # a first value longer than all: its start
                break
            said.append(text)
        self.expected = f"{', '.join(said)}, ... (one of {size:,} values)"

    def __call__(self, value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            known = value in self.members
        except TypeError:  # unhashable: a list or an object, which no member is
            known = False
        if not known:
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": self.expected})
        return handler(value)


class _EnumOneOf(_OneOf):
    """The wrap validator of ``enum_one_of``: pydantic takes a value for an Enum of ``int``, ``float`` or ``str``
    as that type takes it first (``"1"`` for an IntEnum's 1, ``b"x"`` for a str Enum's "x"), and for another
    Enum a value equal to one of its own; a value none of those make a member's is refused here, any other
    is the Enum's to check."""

    def __init__(self, members: frozenset[Any], values: tuple[Any, ...], cls: type[enum.Enum]) -> None:
        super().__init__(members, values, len(values))
        self.base = next((base for base in (int, float, str) if issubclass(cls, base)), None)

    def __call__(self, value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            known = value in self.members
        except TypeError:
            known = False
        if not known and self.base is not None:
            try:
                known = _as(self.base).validate_python(value) in self.members
            except ValidationError:
                known = False
        if not known:
            raise PydanticCustomError("enum", "Input should be {expected}", {"expected": self.expected})
        return handler(value)


@functools.cache
def _as(base: type) -> TypeAdapter[Any]:
    return TypeAdapter(base)


def set_size(model: type[BaseModel], loc: Loc) -> int | None:
    """How many values the closed sets (``Literal``, ``Enum``) that validate ``loc`` hold, or None where
    something else validates it too."""
    found = _reached(model, loc)
    if found is None:
        return None
    sizes = list(_sets(found[0], found[1], 0))
    return None if not sizes or None in sizes else sum(size or 0 for size in sizes)


def is_its_set(model: type[BaseModel], loc: Loc) -> bool:
    """Whether what validates ``loc`` is its closed set alone, as its JSON schema shows: no validator sees
    the value before the set, no Enum there has a ``_missing_`` of its own. Else a value the set lacks may
    be taken (and only a try tells)."""
    found = _reached(model, loc)
    if found is None or not found[2]:
        return False
    return all(size is not None for size in _sets(found[0], found[1], 0))


def _reached(model: type[BaseModel], loc: Loc) -> tuple[dict[str, Any], dict[Any, Any], bool] | None:
    """The core schema validating ``loc``, the definitions it may refer to, and whether nothing on the way
    sees the value before it (a model's ``before`` validator, a custom ``__init__``); None: not read here."""
    schema: Any = getattr(model, "__pydantic_core_schema__", None)
    definitions: dict[Any, Any] = {}
    plain = True
    rest = list(loc)
    for _ in range(_DEPTH):
        if not isinstance(schema, dict):
            return None
        kind = schema.get("type")
        if kind == "definitions":
            definitions.update((d.get("ref"), d) for d in schema.get("definitions", []) if isinstance(d, dict))
        if kind == "definition-ref":
            schema = definitions.get(schema.get("schema_ref"))
            continue
        if kind == "model" and schema.get("custom_init"):
            plain = False
        if kind in _BEFORE and not _refuses_first(schema):
            plain = False
        if kind in (*_WRAPPERS, *_BEFORE) and isinstance(schema.get("schema"), dict):
            schema = schema["schema"]
            continue
        if not rest:
            return schema, definitions, plain
        part = rest.pop(0)
        if kind == "model-fields" and isinstance(part, str):
            schema = _field(schema.get("fields", {}), part)
        elif kind == "list" and isinstance(part, int):
            schema = schema.get("items_schema")
        elif kind == "dict" and isinstance(part, str):
            schema = schema.get("values_schema")
        else:
            return None
    return None


def _field(fields: dict[str, Any], name: str) -> Any:
    for own, field in fields.items():
        alias = field.get("validation_alias") if isinstance(field, dict) else None
        if alias == name or (alias is None and own == name):
            return field.get("schema")
    return None


def _sets(schema: Any, definitions: dict[Any, Any], depth: int) -> Iterator[int | None]:
    """The size of each closed set validating a value here (a union's branches each), None for a branch
    that is no plain closed set (a type, a validator seeing the value first, an Enum's ``_missing_``)."""
    if not isinstance(schema, dict) or depth > _DEPTH:
        yield None
        return
    kind = schema.get("type")
    if kind == "definition-ref":
        yield from _sets(definitions.get(schema.get("schema_ref")), definitions, depth + 1)
    elif kind == "literal":
        yield len(schema.get("expected", []))
    elif kind == "enum":
        yield None if _own_missing(schema.get("cls")) else len(schema.get("members", []))
    elif kind == "none":
        yield 0
    elif kind == "union":
        for choice in schema.get("choices", []):
            yield from _sets(choice[0] if isinstance(choice, tuple) else choice, definitions, depth + 1)
    elif kind in ("default", "nullable", "function-after") or (kind == "function-wrap" and _refuses_first(schema)):
        yield from _sets(schema.get("schema"), definitions, depth + 1)
    else:
        yield None


def _own_missing(cls: Any) -> bool:
    missing = getattr(getattr(cls, "_missing_", None), "__func__", None)
    return missing is not getattr(enum.Enum._missing_, "__func__", None)


def _refuses_first(schema: dict[str, Any]) -> bool:
    """Whether this validator is ``one_of``'s: it takes only what its set takes, so the set is the check."""
    function = schema.get("function")
    return isinstance(function, dict) and isinstance(function.get("function"), _OneOf)
