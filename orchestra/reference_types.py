"""What a step's output can give a reference, read off its tool's output schema before anything runs.

At run time ``${a.output.x}`` written whole is replaced by the value itself (any JSON type), and one inside
a longer string by its text (references.py). The rule: the check refuses what the run would certainly
fail on, and passes whatever it might take.
- A field the producing tool's output lacks, where the run reads it: in an argument (of the step, an
  alternative, a compensation), the last alternative of ``a || b`` only when every one before it is
  certainly not there (a field no output has, an input null or not given); in a condition, unless ``or``,
  ``and``, ``x if c else y`` or a chained comparison may pass it over.
- A whole reference whose kind the argument refuses for every value of it: values of the field's type
  (text that reads as no number and text that does, a whole float and a fraction, a list with an item)
  stand in for it, and only refusals of the kind count (a wrong type, text no number or boolean is read
  from, a check of the argument's own); a value's size, or which of a set it is, is known at the run.
  A small closed set (an enum, a ``Literal``) is tried whole: its values are all the run may give.
An input's value is passed as the run passes it, references in it as text. A tool with no output schema, a
node with alternatives (which tool produced it is known only then), or a part of the output the schema
leaves open (``Any``, a union, a map, text of a format) is unknown here, and allowed.
"""

from __future__ import annotations

import ast
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from orchestra import conditions
from orchestra.argument_validators import SCHEMA_IS_THE_CHECK, is_its_set
from orchestra.references import INPUTS, REFERENCE, SECRETS, ReferenceError_, alternatives, lookup

OUTPUT = "output"
# Values of each JSON type, as the run would pass them. A type is refused only where the argument refuses
# every one of them: text that reads as a number or a boolean, and a whole float, are what lax validation
# coerces, and a URL what an argument's own check may want, so such a value passes where the run might.
_SAMPLES: dict[str, list[Any]] = {
    "string": ["text", "1", "true", "", "https://example.com/a.txt"],  # a URL, a file's name: what checks look for
    "integer": [2, 1, 0],
    "number": [1.5, 1.0],
    "boolean": [True, False],
    "null": [None],
}
# A closed set (an enum, a Literal) this small is tried whole: its values are all the run may give, so a
# refusal of each, of any sort, is certain. Of a larger one, the first value of each kind a type check
# tells apart is tried, read off at most _ENUM_SCAN values (a hostile schema's enum may hold millions;
# each value read is a part of the schema's bound): past that, the values of its type stand for it.
_ENUM_WHOLE = 16
_ENUM_SCAN = 1_000
_SAMPLE_DEPTH = 8  # a recursive ``$ref`` (a tree of nodes) is sampled this deep, then left open
# Parts of a schema read for one reference's values: a type of ten fields each of its own type, eight
# deep, is 10**8 of them; past this, the rest is left open.
_SAMPLE_PARTS = 1_000
# Parts read for the values of all the references of one plan: a plan of 100,000 references to a wide
# type, or to as many paths within it, read 10**8 parts (minutes). Values are kept per schema and path,
# so what a plan repeats is read once; past this, its other references are left open.
PLAN_SAMPLE_PARTS = 100 * _SAMPLE_PARTS
# Arguments validated with values put in for references, in one plan: each try is a check of the tool's
# schema (an MCP server's up to its own budget of steps), and a step has up to 17. Past this, a plan's
# other references are left open: 200 steps of a set into a server's enum of 200,000 values took 75 s.
PLAN_SAMPLE_TRIES = 20_000
# JSON values those tries validate in all: each validates the step's arguments whole, the inputs' values put
# in, so 4,000 steps each given an input of 40,000 headers took 20 minutes within the tries (50 ms a try).
PLAN_SAMPLE_VALUES = 2_000_000
# JSON values the steps' own checks may validate with the inputs' values put in, in one plan: this many, and
# PLAN_CHECK_VALUES_EACH for each JSON value the plan holds. Each step validated its inputs whole, so 4,000
# steps (each its own URL) given one input of 40,000 headers took 10 minutes of CPU. Past it, an input is
# left to the run, as a step's output is: the activity validates the call then.
PLAN_CHECK_VALUES = 1_000_000
PLAN_CHECK_VALUES_EACH = 4
# An argument's own closed set is read for membership up to this many values (once per model and place).
_MEMBERS_READ = 100_000


@dataclass
class SampleBudget:
    """What one plan's check may still read of output schemas for its references' values, and what it
    read: by the schema (kept alive here, so its id stays its own) and the path; how many more
    arguments it may validate with those values put in; and how many more JSON values the steps' own
    checks may validate with the inputs' values put in."""

    parts: int = PLAN_SAMPLE_PARTS
    tries: int = PLAN_SAMPLE_TRIES
    values: int = PLAN_SAMPLE_VALUES
    checked: int = PLAN_CHECK_VALUES  # of the steps' own checks with the inputs' values put in (see above)
    sizes: dict[int, int] = field(default_factory=dict)  # JSON values an input's value holds, by its id
    members: dict[tuple[int, frozenset[Any]], Any] = field(default_factory=dict)  # (set, argument) -> members
    read: dict[tuple[int, str], tuple[dict[str, Any], list[Any] | None, bool, list[Any] | None]] = field(
        default_factory=dict
    )
    # What the plan's checks left to the run once a budget above was spent, by where (a step, an alternative,
    # an undo): said by `validate`, which said nothing and passed the plan as if all of it had been checked.
    left: dict[str, None] = field(default_factory=dict)
    cut: int = 0  # references left open for a budget spent (``left``'s where is known only to the step's check)

    def leave(self, where: str) -> None:
        self.left.setdefault(where, None)


_UNKNOWN = object()  # the schema leaves this part open


class MissingField(Exception):
    def __init__(self, walked: str) -> None:
        super().__init__(walked)
        self.walked = walked


@dataclass(frozen=True)
class Producer:
    """The output schema of the tool a node runs (None: not known before the run); ``certain``: whether
    its output is there whenever a step reading it runs (not for ``skip_on_error``: a failed step lets
    its dependents run with no output; nor for an undo, which runs whatever steps ran)."""

    schema: dict[str, Any] | None
    certain: bool = True

    @classmethod
    def of(cls, output_model: type[BaseModel] | None) -> Producer:
        return cls(None if output_model is None else _output_schema(output_model))


@lru_cache(maxsize=256)
def _output_schema(output_model: type[BaseModel]) -> dict[str, Any]:
    """Kept per model (read, never changed): a schema of a large enum took half a second each plan check."""
    by_alias = bool(output_model.model_config.get("serialize_by_alias", False))
    return output_model.model_json_schema(by_alias=by_alias, mode="serialization")


Loc = tuple[str | int, ...]

_KINDS_OF = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


def _json_kind(value: Any) -> str | None:
    return "null" if value is None else _KINDS_OF.get(type(value))


def schema_takes_the_kind(input_model: type[BaseModel], loc: Loc, value: Any) -> bool | None:
    """Whether the argument's own schema at ``loc`` names ``value``'s JSON type among those it takes (an
    integer is a number too); None where the schema leaves that open (``Any``, a schema not read here).
    A validator's refusal of a value of a type the schema takes is one of its content (an encoding's
    name, a file's suffix): which text the run brings, the check cannot know."""
    kinds = _kinds_at(_input_schema(input_model), _input_schema(input_model), loc, 0, [_SAMPLE_PARTS])
    if kinds is None:
        return None
    kind = _json_kind(value)
    return kind in kinds or (kind == "integer" and "number" in kinds)


@lru_cache(maxsize=256)
def _input_schema(input_model: type[BaseModel]) -> dict[str, Any]:
    return input_model.model_json_schema()


def _kinds_at(root: dict[str, Any], schema: Any, loc: Loc, depth: int, left: list[int]) -> frozenset[str] | None:
    """The JSON types the schema takes at ``loc`` within it, through ``anyOf``/``oneOf`` (``depth`` of
    them, ``left`` parts more to read: an MCP server's schema may nest unions of unions); None: open."""
    left[0] -= 1
    if not isinstance(schema, dict) or depth > _SAMPLE_DEPTH or left[0] < 0:
        return None
    schema = _resolved(root, schema)
    branches = schema.get("anyOf", schema.get("oneOf"))
    if isinstance(branches, list):
        found = [_kinds_at(root, branch, loc, depth + 1, left) for branch in branches]
        return None if any(kinds is None for kinds in found) else frozenset().union(*found)  # type: ignore[arg-type]
    if not loc:
        kind = schema.get("type")
        if isinstance(kind, str):
            return frozenset([kind])
        if isinstance(kind, list) and all(isinstance(k, str) for k in kind):
            return frozenset(kind)
        # A closed set without a type (an MCP server's ``{"enum": [...]}``) takes the kinds of its values.
        closed = [schema["const"]] if "const" in schema else schema.get("enum")
        if isinstance(closed, list) and 0 < len(closed) <= _MEMBERS_READ:
            kinds = _read_once(closed, "kinds", lambda: frozenset(_json_kind(value) for value in closed))
            return None if None in kinds else kinds
        return None
    part, rest = loc[0], loc[1:]
    if schema.get("type") == "array" or "items" in schema:
        return _kinds_at(root, schema.get("items"), rest, depth, left) if isinstance(part, int) else frozenset()
    properties = schema.get("properties")
    if isinstance(properties, dict) and part in properties:
        return _kinds_at(root, properties[part], rest, depth, left)
    extra = schema.get("additionalProperties")
    return _kinds_at(root, extra, rest, depth, left) if isinstance(extra, dict) else None


@dataclass(frozen=True)
class Sampled:
    """Where a whole reference to a typed output field stands in the arguments, the reference, and values
    of its type; ``variants`` gives the arguments with each such reference replaced by one of them."""

    args: Any
    placed: dict[Loc, tuple[str, list[Any]]]  # where -> (the reference, values it may give)
    whole: frozenset[Loc] = frozenset()  # where the values are every one the reference can give
    # where the values stand for a closed set too large to try whole: the set, for membership (by_members)
    closed: Mapping[Loc, list[Any]] = field(default_factory=dict)

    def variants(self, args: Any) -> Iterator[Any]:
        """``args`` (these arguments, or these with the inputs' values in: the references stand where they
        stood) once for each value a reference may give (the last one again where it has fewer)."""
        within = {loc[:end] for loc in self.placed for end in range(len(loc))}
        for index in range(max((len(values) for _, values in self.placed.values()), default=0)):
            yield self._with(args, (), index, within)

    def _with(self, value: Any, loc: Loc, index: int, within: set[Loc]) -> Any:
        if loc in self.placed:
            values = self.placed[loc][1]
            return values[min(index, len(values) - 1)]
        if loc not in within:  # nothing placed below: kept as it is, not copied
            return value
        if isinstance(value, dict):
            return {key: self._with(item, (*loc, key), index, within) for key, item in value.items()}
        if isinstance(value, list):
            return [self._with(item, (*loc, i), index, within) for i, item in enumerate(value)]
        return value


def field_problems(where: str, args: Any, producers: Mapping[str, Producer], inputs: Mapping[str, Any]) -> list[str]:
    """Each reference in ``args`` to an output field its producing tool does not have, where the run
    reaches it: the first alternative that is there and not null is taken, so the last is reached only
    when every one before it is certainly not there (a field no output has, an input that is null or not
    given); one that may be there, the run takes instead."""
    problems: list[str] = []
    for _loc, text in _strings(args, ()):
        for match in REFERENCE.finditer(text):
            *earlier, (root, path) = alternatives(match.group(1))
            if not all(_passed_over(r, p, producers, inputs) for r, p in earlier):
                continue
            if (missing := _missing(root, path, producers)) is not None:
                problems.append(
                    f"{where}: {match.group(0)[:200]!s} names a field the output of {root!r} does not have "
                    f"(${{{missing[:200]}}})"
                )
    return problems


def condition_problems(where: str, condition: str, producers: Mapping[str, Producer]) -> list[str]:
    """Each output field a condition always reads that its producing tool does not have: the run fails
    the step when it looks it up. What ``or``, ``and``, ``x if c else y`` or a chained comparison may
    pass over (all but their first operand) is read only maybe, and allowed."""
    problems: list[str] = []
    for root, path in _always_read(conditions.parse(condition).body):
        if (missing := _missing(root, path, producers)) is not None:
            problems.append(
                f"{where}: the condition reads a field the output of {root!r} does not have ({missing[:200]})"
            )
    return problems


def sampled(args: Any, producers: Mapping[str, Producer], budget: SampleBudget, inputs: Mapping[str, Any]) -> Sampled:
    """Every string of ``args`` that is exactly one reference to a typed field of a step's output (or
    alternatives of which the run certainly takes such a one), with values of that field's type: the run
    puts the value itself there."""
    placed: dict[Loc, tuple[str, list[Any]]] = {}
    whole: set[Loc] = set()
    closed: dict[Loc, list[Any]] = {}
    for loc, text in _strings(args, ()):
        values, every, of_set = _values_for(text, producers, budget, inputs)
        if values is not None:
            placed[loc] = (text.strip(), values)
            if every:
                whole.add(loc)
            elif of_set is not None:
                closed[loc] = of_set
    return Sampled(args, placed, frozenset(whole), closed)


def by_members(samples: Sampled, input_model: type[BaseModel], budget: SampleBudget) -> Sampled:
    """``samples`` with each closed set too large to try whole decided by its values where the argument
    is a closed set too (cheap: a set's keys): none of them a member, every value tried is refused of any
    sort (``whole``); one is, and it is tried too. Elsewhere only the kinds of its values decide."""
    placed = dict(samples.placed)
    whole = set(samples.whole)
    for loc, values in samples.closed.items():
        members = _members_at(input_model, loc)
        if members is None:
            continue
        if not _set_is_the_check(input_model, loc):
            # Its validator may take what the set it shows lacks (an Enum's ``_missing_`` took "RED" for red,
            # a BeforeValidator lowered "APPEND"): membership refused what the run takes. Each value is tried.
            if len(values) <= min(_ENUM_SCAN, budget.tries):
                placed[loc] = (placed[loc][0], list(values))
                whole.add(loc)
            elif len(values) <= _ENUM_SCAN:
                budget.cut += 1  # the plan's tries spent
            continue
        # Once per set and argument: 200 steps of one set into one argument read it once.
        key = (id(values), members)
        if (found := budget.members.get(key, _NONE)) is _NONE:
            if len(values) > budget.parts:
                budget.cut += 1
                continue
            budget.parts -= len(values)
            found = budget.members[key] = _members_among(values, members)
        if found is _NOT_ONE:
            whole.add(loc)
        elif found is _TOO_MANY:
            del placed[loc]  # which of them the argument takes, only the run tells
        else:
            text, tried = placed[loc]
            placed[loc] = (text, [*tried, *found])
    return Sampled(samples.args, placed, frozenset(whole))


def _members_among(values: list[Any], members: frozenset[Any]) -> Any:
    """The values of a set to try as members of an argument's set: one that is a member as it is (of its
    own JSON kind: true is no 1 to an MCP server's check); else each one that may be taken as one
    (``_loose_keys``: text that reads as a member's number), up to _ENUM_WHOLE; _TOO_MANY past them;
    _NOT_ONE: none. Of the texts of the numbers, an ``IntEnum`` takes "10" and refuses "1e1": only the
    first was tried, and a set holding "1e1" before "10" was refused though the run may give "10"."""
    loose: list[Any] = []
    for value in values:
        keys = _loose_keys(value)
        if members.isdisjoint(keys):
            continue
        if keys[0] in members and not isinstance(value, bool):
            return [value]
        if len(loose) == _ENUM_WHOLE:
            return _TOO_MANY
        loose.append(value)
    return loose or _NOT_ONE


_NONE = object()
_NOT_ONE = object()  # no value of the set is a member
_TOO_MANY = object()  # more values than are tried may be taken as members, none as it is
_NULL = [None]


def values_within(value: Any, most: int) -> int:
    """How many JSON values ``value`` holds, itself included, counted up to ``most`` and one past it (a
    try's cost: counted once a step, where validating is counted per try)."""
    count, pending = 0, [value]
    while pending and count <= most:
        item = pending.pop()
        count += 1
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return count


# Text this long weighs one JSON value more: a header's value of a megabyte, read by its check for each step,
# was counted as one.
CHARS_A_VALUE = 256


def weight(value: Any) -> int:
    """The JSON values ``value`` holds, itself included, a text (a key too) weighing one more for each
    CHARS_A_VALUE characters: what validating it may cost."""
    count, pending = 0, [value]
    while pending:
        item = pending.pop()
        count += 1
        if isinstance(item, str):
            count += len(item) // CHARS_A_VALUE
        elif isinstance(item, dict):
            count += sum(len(key) // CHARS_A_VALUE for key in item if isinstance(key, str))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return count


def _set_is_the_check(input_model: type[BaseModel], loc: Loc) -> bool:
    """Whether the argument's set at ``loc`` is all its check does there: a model checked by its JSON schema
    itself (an MCP server's), or whose validator there is that set alone (argument_validators.is_its_set)."""
    return bool(getattr(input_model, SCHEMA_IS_THE_CHECK, False)) or is_its_set(input_model, loc)


@lru_cache(maxsize=256)
def _members_at(input_model: type[BaseModel], loc: Loc) -> frozenset[Any] | None:
    """The keys of the closed set an argument's schema takes at ``loc`` (null with it, for an optional
    one), or None where it takes anything else too, or more values than _MEMBERS_READ. Kept, the same
    one each time: made anew (a union, then hashed for by_members' look-up) it cost 30 ms a step."""
    root = _input_schema(input_model)
    found = _closed_at(root, root, loc, 0, [_SAMPLE_PARTS])
    if found is None or sum(len(values) for values in found) > _MEMBERS_READ:
        return None
    return frozenset().union(*(_read_once(values, "keys", partial(_keys_of, values)) for values in found))


def _keys_of(values: list[Any]) -> frozenset[Any]:
    return frozenset(_own_key(value) for value in values)


def _read_once(values: list[Any], what: str, read: Callable[[], frozenset[Any]]) -> frozenset[Any]:
    """What ``read`` makes of a schema's own list of values, made once per list (kept with it, so its id
    stays its own), the latest 256: a list of references into one enum of 6,000 values read it per place."""
    if len(values) <= 64:  # as quick to read again (a ``const`` is a new list each time)
        return read()
    key = (id(values), what)
    with _READ_LOCK:
        if (kept := _READ.get(key)) is not None and kept[0] is values:
            _READ.move_to_end(key)
            return kept[1]
    made = read()
    with _READ_LOCK:
        _READ[key] = (values, made)
        while len(_READ) > 256:
            _READ.popitem(last=False)
    return made


_READ: OrderedDict[tuple[int, str], tuple[list[Any], frozenset[Any]]] = OrderedDict()
_READ_LOCK = threading.Lock()


def _closed_at(root: dict[str, Any], schema: Any, loc: Loc, depth: int, left: list[int]) -> list[list[Any]] | None:
    """The closed sets (the schema's own lists) the schema takes at ``loc``, through ``anyOf``/``oneOf``;
    None: open."""
    left[0] -= 1
    if not isinstance(schema, dict) or depth > _SAMPLE_DEPTH or left[0] < 0:
        return None
    schema = _resolved(root, schema)
    branches = schema.get("anyOf", schema.get("oneOf"))
    if isinstance(branches, list):
        found = [_closed_at(root, branch, loc, depth + 1, left) for branch in branches]
        return None if any(values is None for values in found) else [v for values in found for v in values or []]
    if loc:
        part, rest = loc[0], loc[1:]
        items, properties = schema.get("items"), schema.get("properties")
        if isinstance(part, int):
            return _closed_at(root, items, rest, depth, left) if isinstance(items, dict) else None
        if isinstance(properties, dict) and part in properties:
            return _closed_at(root, properties[part], rest, depth, left)
        return None
    if schema.get("type") == "null" and len(schema) == 1:
        return [_NULL]
    closed = _closed(schema)
    return None if closed is None else [closed]


def _own_key(value: Any) -> Any:
    """The key an argument's set holds ``value`` under: its own (``_loose_keys``' first)."""
    return _loose_keys(value)[0]


def _loose_keys(value: Any) -> list[Any]:
    """Keys under which ``value`` may be taken as a member of a set: itself (a number or a boolean by
    Python's equality, which pydantic's Literal follows: 1, 1.0 and true are one; jsonschema holds 1 and
    1.0 so too) and, for text that reads as a number, that number (an ``IntEnum`` takes "1", " 01 ").
    Looser than any check: a value taken is tried, so a key too many costs a try, never a refusal."""
    if isinstance(value, str):
        keys: list[Any] = [("string", value)]
        for kind in (int, float):
            try:
                keys.append(kind(value))
                break
            except (ValueError, OverflowError):
                continue
        return keys
    if isinstance(value, list):
        return [("array", tuple(_loose_keys(item)[0] for item in value))]
    if isinstance(value, dict):
        return [("object", frozenset((key, _loose_keys(item)[0]) for key, item in value.items()))]
    return [value]


def _missing(root: str, path: list[str], producers: Mapping[str, Producer]) -> str | None:
    """The reference's path as far as the output can have nothing there, or None (there, or not known)."""
    producer = producers.get(root)
    if producer is None or producer.schema is None or not path or path[0] != OUTPUT:
        return None
    try:
        _walk(producer.schema, path[1:], f"{root}.{OUTPUT}")
    except MissingField as exc:
        return exc.walked
    return None


def _passed_over(root: str, path: list[str], producers: Mapping[str, Producer], inputs: Mapping[str, Any]) -> bool:
    """Whether the run certainly passes over this alternative: not there, or null."""
    if root == INPUTS:
        try:
            return lookup({INPUTS: inputs}, root, path) is None
        except ReferenceError_:
            return True
    return _missing(root, path, producers) is not None


def _always_read(body: ast.expr) -> Iterator[tuple[str, list[str]]]:
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name | ast.Attribute | ast.Subscript) and (found := conditions.path_of(node)):
            yield found
        elif isinstance(node, ast.BoolOp):
            stack.append(node.values[0])
        elif isinstance(node, ast.IfExp):
            stack.append(node.test)
        elif isinstance(node, ast.Compare):
            stack += [node.left, node.comparators[0]]
        else:
            stack.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))


def _values_for(
    text: str, producers: Mapping[str, Producer], budget: SampleBudget, inputs: Mapping[str, Any]
) -> tuple[list[Any] | None, bool, list[Any] | None]:
    """Values the string's reference may give, whether they are every one it can give, and the closed
    set they stand for when it is too large to try whole."""
    whole = REFERENCE.fullmatch(text.strip())
    if whole is None:
        return _texts_for(text), False, None
    taken = _taken(alternatives(whole.group(1)), producers, inputs)
    if taken is None:  # the first of several that is there: which one is known only then
        return None, False, None
    root, path = taken
    producer = producers.get(root)
    if root == SECRETS or producer is None or producer.schema is None or not path or path[0] != OUTPUT:
        return None, False, None
    key = (id(producer.schema), ".".join(path))
    if (kept := budget.read.get(key)) is not None and kept[0] is producer.schema:
        return kept[1], kept[2], kept[3]
    try:
        found = _walk(producer.schema, path[1:], root)
    except MissingField:
        return None, False, None  # reported by field_problems
    plans_parts = budget.parts < _SAMPLE_PARTS  # fewer left than one reference may read: the plan's bound
    left = [min(_SAMPLE_PARTS, budget.parts)]
    values = None if found is _UNKNOWN or left[0] <= 0 else _values(producer.schema, found, 0, left)
    budget.parts -= min(_SAMPLE_PARTS, budget.parts) - max(left[0], 0)
    if values is None and found is not _UNKNOWN and plans_parts and left[0] <= 0:
        budget.cut += 1
        return None, False, None  # not kept: each reference left for it is counted
    closed = None if found is _UNKNOWN else _closed(_resolved(producer.schema, found))
    every = values is not None and closed == values
    of_set = closed if values is not None and not every else None
    budget.read[key] = (producer.schema, values, every, of_set)
    return values, every, of_set


def _taken(
    options: list[tuple[str, list[str]]], producers: Mapping[str, Producer], inputs: Mapping[str, Any]
) -> tuple[str, list[str]] | None:
    """The alternative the run certainly takes (references.py takes the first there and not null, the
    last as it is), or None where that is known only then. An input given is put in the reference's place
    before (validation._with_inputs): None here."""
    *earlier, last = options
    for root, path in earlier:
        if _passed_over(root, path, producers, inputs):
            continue
        return (root, path) if root != INPUTS and _certainly_there(root, path, producers) else None
    return last


def _certainly_there(root: str, path: list[str], producers: Mapping[str, Producer]) -> bool:
    """Whether a step reading ``${root.path}`` finds a value there, never null: its tool's output always
    has the field (required at each level, the output dumped whole) and its type takes no null.
    ``${h.output.status || h.output.text}`` is the status: a number."""
    producer = producers.get(root)
    if producer is None or producer.schema is None or not producer.certain or not path or path[0] != OUTPUT:
        return False
    schema = producer.schema
    current = _resolved(schema, schema)
    for part in path[1:]:
        properties, required = current.get("properties"), current.get("required")
        if not isinstance(properties, dict) or not isinstance(required, list) or part not in required:
            return False
        if not isinstance(properties.get(part), dict):
            return False
        current = _resolved(schema, properties[part])
    kind = current.get("type")
    return isinstance(kind, str) and kind != "null"


def _texts_for(text: str) -> list[Any] | None:
    """What a string holding one reference inside longer text gives: text, whatever it holds (the run
    writes the value's text in its place). ``sleep {seconds: "${a.output.slept_s} + 1"}`` failed every
    run. Of several, which texts together the run may make is not tried (``"${a}${b}"``: "1" and "")."""
    found = REFERENCE.findall(text)
    if len(found) != 1 or "${secrets." in text:
        return None
    start, end = next(REFERENCE.finditer(text)).span()
    return [text[:start] + sample + text[end:] for sample in _SAMPLES["string"]]


def _values(root: dict[str, Any], schema: dict[str, Any], depth: int, left: list[int]) -> list[Any] | None:
    """Values the schema allows, one of each kind a type check tells apart; None where it leaves them
    open. ``left``: how many more parts of the schema may be read."""
    schema = _resolved(root, schema)
    left[0] -= 1
    if depth > _SAMPLE_DEPTH or left[0] < 0:
        return None
    closed = _closed(schema)
    if closed is not None and (tried := closed if len(closed) <= _ENUM_WHOLE else _one_of_each_kind(closed, left)):
        return tried
    # A set too large to read stands as its type's values (of text: "1", "true"...), if it has a type.
    kind = schema.get("type")
    if kind == "string" and ("format" in schema or "pattern" in schema):
        return None  # a date, a URL...: what such text converts to is the argument's business
    if isinstance(kind, str) and kind in _SAMPLES:
        return _SAMPLES[kind]
    if kind == "array":
        items = schema.get("items")
        # Taken to hold something: a list of the wrong items fails every run in which it is not empty.
        inner = _values(root, items, depth + 1, left) if isinstance(items, dict) else None
        return [[value] for value in inner] if inner else [[]]
    if kind == "object" or "properties" in schema:
        return _object_values(root, schema, depth, left)
    return None


def _closed(schema: dict[str, Any]) -> list[Any] | None:
    """The values of a closed set (``const``, ``enum``), or None."""
    if "const" in schema:
        return [schema["const"]]
    enum = schema.get("enum")
    return enum if isinstance(enum, list) and enum else None


def _one_of_each_kind(values: list[Any], left: list[int]) -> list[Any] | None:
    """The first value of each kind a type check tells apart (text that reads as an integer, a number, a
    boolean or none; a whole float or a fraction...); None past _ENUM_SCAN values, the parts ``left`` or
    _ENUM_WHOLE kinds. Only the first four were tried: ``["a", "b", "c", "d", "5"]`` into an integer was
    refused, though the run may give "5"."""
    if len(values) > min(_ENUM_SCAN, left[0]):
        return None
    left[0] -= len(values)
    first: dict[Any, Any] = {}
    for index, value in enumerate(values):
        first.setdefault(_kind_key(value, index, [_KIND_PARTS]), value)
    return list(first.values()) if len(first) <= _ENUM_WHOLE else None


# Parts of one list or object of a set read for its kind; past them, it is a kind of its own.
_KIND_PARTS = 64


def _kind_key(value: Any, index: int, left: list[int]) -> Any:
    """What a type check tells ``value`` apart by. A list by its items' kinds, an object by its keys and
    their values' kinds: each list was a kind of its own, so a set of 17 lists of numbers was read as
    the values of its type (``[]``), and one into a list of texts passed."""
    left[0] -= 1
    if isinstance(value, str):
        return ("string", *(_reads(adapter, value) for adapter in _TEXT_READ_AS))
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return ("integer", value in (0, 1))
    if isinstance(value, float):
        return ("number", value.is_integer(), value in (0, 1))
    if left[0] < 0 or not isinstance(value, list | dict):
        return ("own", index)
    if isinstance(value, list):
        return ("array", frozenset(_kind_key(item, index, left) for item in value))
    return ("object", frozenset((key, _kind_key(item, index, left)) for key, item in value.items()))


# What a lax check reads text as, pydantic's rule as the run meets it: Python's int() and float() read "\u0661" and
# "\uff11" (digits of other scripts) as 1 and do not read "1.0" as an int, where pydantic does the reverse; such a
# text, the first of its kind, stood for "5" as well, and its refusal refused a set the run may give "5" of.
_TEXT_READ_AS: tuple[TypeAdapter[Any], ...] = (TypeAdapter(int), TypeAdapter(float), TypeAdapter(bool))


def _reads(adapter: TypeAdapter[Any], text: str) -> bool:
    try:
        adapter.validate_python(text)
    except ValidationError:
        return False
    return True


def _object_values(root: dict[str, Any], schema: dict[str, Any], depth: int, left: list[int]) -> list[Any]:
    properties = schema.get("properties")
    if isinstance(properties, dict) and properties:
        required = [name for name in schema.get("required", []) if isinstance(properties.get(name), dict)]
        known = {name: values for name in required if (values := _values(root, properties[name], depth + 1, left))}
        count = max((len(values) for values in known.values()), default=1)
        return [{name: values[min(i, len(values) - 1)] for name, values in known.items()} for i in range(count)]
    extra = schema.get("additionalProperties")
    inner = _values(root, extra, depth + 1, left) if isinstance(extra, dict) else None
    return [{"key": value} for value in inner] if inner else [{}]


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
