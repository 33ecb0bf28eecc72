"""Documents users give, plan files and tools files: YAML read and written by YAML 1.2's core schema, and
in YAML and JSON alike mapping keys that are text, each given once.

YAML 1.2's core schema reads values as JSON does: a plain scalar is a boolean, null or a number only when
written as one (``true``, ``null``, ``12``, ``0x1f``, ``1.5e3``); everything else is the text as written.
PyYAML's YAML 1.1 made ``2024-01-01`` a date (a tool received it re-written, ``2024-01-01T10:00:00``
for ``2024-01-01 10:00:00``), ``12:30`` the number 750, ``no``, ``off`` and ``on`` booleans (a key
``on:`` became True), ``017`` the octal 15 and ``1_000`` 1000. A merge key (``<<: *defaults``) still merges.

A mapping key must be text: ``1: x``, ``null: x``, ``true: x``, ``[a]: x`` or ``? {a: 1}`` is refused at
its line and column (every consumer reads keys as names; a number or null became the text ``1`` or
``None`` further on, silently). Quote a key to give it as text. A key given twice in one mapping (YAML
or JSON) is refused too: the parsers kept the last silently (a second ``args:`` replaced the first).
And a YAML document whose aliases expand past MAX_VALUES values (or past a number of characters of text
its reader gives), or nest past MAX_DEPTH, is refused from its parser's events before it is built
(``check_expansion``).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when a YAML document is read: JSON documents never need it
    import yaml

_CORE_SCHEMA = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
)
# The bounds of a document read from a user (plan files, tools files): how deep, and how many values
# its YAML aliases may expand to.
MAX_DEPTH = 64
MAX_VALUES = 2_000_000
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_KINDS = {"bool": "a boolean", "int": "a number", "float": "a number", "null": "null", "timestamp": "a date"}


@cache
def core_loader() -> type[yaml.SafeLoader]:
    """A safe loader (libyaml's when PyYAML has it) reading the core schema, refusing keys not text."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: type[yaml.SafeLoader] = type(
        "CoreLoader", (base,), {"yaml_implicit_resolvers": {}, "construct_mapping": _construct_mapping}
    )
    for tag, pattern, first in _CORE_SCHEMA:
        loader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    return loader


@cache
def core_dumper() -> type[yaml.SafeDumper]:
    """PyYAML's writer, quoting every string either schema would read as something else: YAML 1.1 left
    ``1e3`` and ``0o17`` plain, which the core loader reads as numbers."""
    import yaml

    dumper: type[yaml.SafeDumper] = type("CoreDumper", (yaml.SafeDumper,), {})
    for tag, pattern, first in _CORE_SCHEMA:
        dumper.add_implicit_resolver(tag, re.compile(pattern), list(first))
    return dumper


def load_yaml(text: str) -> Any:
    """``text`` read with ``core_loader``; yaml.YAMLError (with a mark: line and column) when it cannot be."""
    import yaml

    return yaml.load(text, Loader=core_loader())


def parse_json(text: str | bytes, **options: Any) -> Any:
    """``json.loads``, with text nested deeper than its parser goes a ValueError like any other that is not
    JSON: its RecursionError went past every ``except ValueError`` (a tool's output, a model's arguments),
    into a retried activity or, in workflow code, a workflow task retried for ever."""
    try:
        return json.loads(text, **options)
    except RecursionError:
        raise ValueError("nested deeper than the JSON parser goes") from None


class DuplicateKey(ValueError):
    """A JSON object that gives a key twice."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads``' ``object_pairs_hook``: an object, or DuplicateKey when it gives a key twice."""
    value = dict(pairs)
    if len(value) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(f"the key {key!r} is given twice in one object")
            seen.add(key)
    return value


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    import yaml

    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:  # its own keys: one may replace a merged one (``<<: *defaults``)
        if key_node.tag == _MERGE:
            continue
        if key_node.tag != _STR:
            raise yaml.constructor.ConstructorError(None, None, _not_text(key_node), key_node.start_mark)
        if (first := seen.setdefault(key_node.value, key_node)) is not key_node:
            where = f"line {first.start_mark.line + 1}, column {first.start_mark.column + 1}"
            problem = f"the key {key_node.value!r} is given twice in one mapping (first at {where})"
            raise yaml.constructor.ConstructorError(None, None, problem, key_node.start_mark)
    loader.flatten_mapping(node)  # merge keys first: ``<<`` is no key of the result
    for key_node, _ in node.value:
        if key_node.tag != _STR:
            raise yaml.constructor.ConstructorError(None, None, _not_text(key_node), key_node.start_mark)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


def _not_text(key: yaml.Node) -> str:
    import yaml

    if isinstance(key, yaml.ScalarNode):
        kind = _KINDS.get(key.tag.rsplit(":", 1)[-1], key.tag)
        return f'a mapping key must be text, not {kind} ({key.value!r}): quote it ("{key.value}": ...)'
    what = "a list" if isinstance(key, yaml.SequenceNode) else "a mapping"
    return f"a mapping key must be text, not {what}"


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    import yaml

    text = str(loader.construct_scalar(node))
    try:
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text, 10)  # 017 is seventeen
    except ValueError:
        problem = f"{too_many_digits(text)}; quote it to give it as text"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


def too_many_digits(text: str) -> str:
    """Why the first number in ``text`` Python will not read (more digits than its int-from-string limit,
    ``sys.get_int_max_str_digits()``) is refused."""
    digits = len(found.group()) if (found := long_number(text)) else len(text)
    return f"a number of {digits:,} digits: numbers are read up to {sys.get_int_max_str_digits():,} digits"


def long_number(text: str) -> re.Match[str] | None:
    """The first run of more digits than Python reads as an int."""
    return re.search(f"[0-9]{{{sys.get_int_max_str_digits() + 1},}}", text)


class TooLarge(ValueError):
    """A YAML document past a bound of ``check_expansion``, at ``mark`` (its index, line and column)."""

    def __init__(self, message: str, mark: Any) -> None:  # a yaml.Mark, from PyYAML or libyaml, or None
        super().__init__(message)
        self.index = mark.index if mark is not None else 0
        self.where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "the start"


# What a flow collection's brackets are told apart from: quoted scalars and comments, which may hold brackets. A
# quote opens a scalar only where a node begins (after a space, a line's start, ``[``, ``{``, ``,`` or a JSON key's
# ``:``): within a plain scalar (``it's``) it is a character, and read as a quote it hid the brackets after it.
_FLOW_MARKS = re.compile(
    r"""(?:^|(?<=[\s\[{,:]))(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*")|(?:^|(?<=[ \t]))#[^\n]*|[\[\]{}]""", re.MULTILINE
)


def _bracket_past(text: str, start: int, end: int, depth: int, max_depth: int) -> int:
    """Where, between ``start`` and ``end``, the flow brackets opened nest past ``max_depth`` (``depth`` open
    already); ``end`` if they do not."""
    for mark in _FLOW_MARKS.finditer(text, start, end + 1):
        if mark.group() in ("[", "{"):
            depth += 1
            if depth > max_depth:
                return mark.start()
        elif mark.group() in ("]", "}"):
            depth -= 1
    return end


class _Mark:
    """A position of ``text`` as a YAML mark gives it (from 0)."""

    def __init__(self, text: str, index: int) -> None:
        self.index = index
        self.line = text.count("\n", 0, index)
        self.column = index - (text.rfind("\n", 0, index) + 1)


@dataclass
class _Open:
    """A collection being read: where its counts started, its anchor, how deep it goes."""

    anchor: str | None
    values_before: int
    chars_before: int
    depth: int
    deepest: int


@dataclass(frozen=True)
class _Anchored:
    """What an anchor stands for: its values, the characters of its scalars, how deep it nests."""

    values: int
    chars: int
    depth: int


def check_expansion(text: str, max_values: int, max_depth: int, max_chars: int | None = None) -> None:
    """TooLarge when the YAML ``text`` would have more than ``max_values`` values with every alias
    expanded, more than ``max_chars`` characters of text in them (keys and scalars), or nest deeper than
    ``max_depth``: counted from the parser's events, what each anchor stands for, so an alias bomb of a
    few hundred bytes is refused without building its tree (building it, and walking it after, took 12 s
    for ten to the seventh values, ten times that a level more), and so is one of few values and long
    text (one 900,000-character scalar aliased 2,000 times: 24 s and 3.6 GB before it was refused)."""
    import yaml

    anchors: dict[str, _Anchored] = {}
    stack: list[_Open] = []
    values = chars = 0
    read_to = 0  # where the last event ended

    def fail(event: yaml.Event, message: str) -> TooLarge:
        return TooLarge(message, event.start_mark)

    events = yaml.parse(text, Loader=core_loader())
    while True:
        try:
            event = next(events)
        except StopIteration:
            break
        except yaml.MarkedYAMLError as exc:
            if "nesting depth" not in (exc.problem or ""):
                raise
            # libyaml's own bound (1,000 flow levels), met while it scans ahead of its events for a key: it said
            # where it gave up, far past where this bound was passed, which is found among the brackets it read.
            end = exc.problem_mark.index if exc.problem_mark is not None else len(text)
            raise TooLarge(f"nesting deeper than {max_depth} levels", _Mark(text, _bracket_past(
                text, read_to, end, len(stack), max_depth))) from None  # fmt: skip
        read_to = event.end_mark.index if event.end_mark is not None else read_to
        depth = len(stack)
        if isinstance(event, yaml.AliasEvent):
            if any(o.anchor == event.anchor for o in stack):
                raise fail(event, f"alias *{event.anchor} refers to a collection that contains it (a cycle)")
            if event.anchor not in anchors:
                continue  # the loader reports the unknown alias with its position
            anchored = anchors[event.anchor]
            values += anchored.values
            chars += anchored.chars
            if stack:
                stack[-1].deepest = max(stack[-1].deepest, depth + anchored.depth)
            if depth + anchored.depth > max_depth:
                raise fail(event, f"an alias nests the document deeper than {max_depth} levels")
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
            chars += len(event.value)
            if event.anchor:
                anchors[event.anchor] = _Anchored(1, len(event.value), 0)
        elif isinstance(event, yaml.CollectionStartEvent):
            values += 1
            if depth + 1 > max_depth:
                raise fail(event, f"nesting deeper than {max_depth} levels")
            stack.append(_Open(event.anchor, values - 1, chars, depth + 1, depth + 1))
        elif isinstance(event, yaml.CollectionEndEvent):
            closed = stack.pop()
            if stack:
                stack[-1].deepest = max(stack[-1].deepest, closed.deepest)
            if closed.anchor:
                anchors[closed.anchor] = _Anchored(
                    values - closed.values_before, chars - closed.chars_before, closed.deepest - closed.depth + 1
                )
        if values > max_values:
            raise fail(event, f"the document expands to more than {max_values:,} values (YAML aliases)")
        if max_chars is not None and chars > max_chars:
            raise fail(event, f"the document expands to more than {max_chars:,} characters of text (YAML aliases)")
