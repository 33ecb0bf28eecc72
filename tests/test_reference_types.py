"""`validate` refuses a reference to a step's output exactly where the run would fail on it, read off the
producing tool's output schema: a field no output has (in arguments and in conditions, where it is always
read), or a value whose kind the argument refuses whatever it holds. Where the run might take it (an
earlier alternative there, text that may read as a number, an input's value passed as it is), it passes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import pytest
from pydantic import AfterValidator, BaseModel, Field

from orchestra import reference_types
from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.reference_types import PLAN_SAMPLE_PARTS, Loc
from orchestra.registry import ToolRegistry, default_registry
from orchestra.temporal_bounds import NUMBER
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import _kind_refusals, prepare_plan

HUGE_ENUM = [f"v{i}" for i in range(200_000)]


class Tree(BaseModel):
    name: str
    children: list[Tree]


class Wide(BaseModel):  # ten fields of its own type: read eight deep, 10**8 parts
    a: Wide
    b: Wide
    c: Wide
    d: Wide
    e: Wide
    f: Wide
    g: Wide
    h: Wide
    i: Wide
    j: Wide


class Made(BaseModel):
    text: str
    count: int
    ratio: float
    flag: bool
    words: list[str]
    numbers: list[int]
    tree: Tree
    maybe: str | None
    color: Literal["red", "green"]
    big: Annotated[str, Field(json_schema_extra={"enum": HUGE_ENUM})]
    wide: Wide


def _csv_name(name: str) -> str:
    if not name.endswith(".csv"):
        raise ValueError(f"{name!r} is not the name of a .csv file")  # its content: some text passes
    return name


def _known_code(code: str) -> str:
    if code not in ("utf-8", "latin-1"):
        raise ValueError("not a code known here")  # the same words for every text refused: still its content
    return code


class Taken(BaseModel):
    text: str | None = None
    count: Annotated[int, NUMBER] | None = None
    seconds: float | None = None
    flag: bool | None = None
    words: list[str] | None = None
    numbers: list[int] | None = None
    mode: Literal["a", "b", "red"] | None = None  # "red" of color: the run may give it
    csv: Annotated[str, AfterValidator(_csv_name)] | None = None
    code: Annotated[str, AfterValidator(_known_code)] | None = None


class Nothing(BaseModel):
    pass


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


REGISTRY = ToolRegistry(
    [
        Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
        Tool(ToolSpec(name="take", description="takes", input_model=Taken), _never),
    ]
)


def check(args: dict[str, Any], *, condition: str | None = None, inputs: dict[str, Any] | None = None) -> list[str]:
    """The problems validation finds with a step ``take`` of ``args`` after a step ``m`` of ``make``."""
    step: dict[str, Any] = {"id": "t", "tool": "take", "args": args, "depends_on": ["m"]}
    if condition is not None:
        step["condition"] = condition
    plan = {"inputs": inputs or {}, "nodes": [{"id": "m", "tool": "make"}, step]}
    try:
        prepare_plan(parse_plan(plan), REGISTRY)
    except PlanValidationError as exc:
        return exc.problems
    return []


def refused(found: list[str], *fragments: str) -> None:
    assert found, "accepted"
    assert all(any(fragment in problem for problem in found) for fragment in fragments), found


def test_one_argument_not_text_does_not_skip_the_check_of_the_others() -> None:
    # mode may take a value of another set (which one is known at the run); text refuses the number's kind
    found = check({"mode": "${m.output.color}", "text": "${m.output.count}"})
    refused(found, "argument text", "${m.output.count} gives an integer")
    assert not any("argument mode" in problem for problem in found)


@pytest.mark.parametrize(
    "args,says",
    [
        ({"count": "${m.output.text}"}, "text, not a number"),  # NUMBER refuses every text: value_error
        ({"count": "${m.output.flag}"}, "is yes or no"),
        ({"count": "${m.output.big}"}, "gives a string"),  # an enum of 200,000 texts, none a number
        ({"text": "${m.output.flag}"}, "gives a boolean"),
        ({"mode": "${m.output.count}"}, "gives an integer"),  # a set of texts takes no number
        ({"flag": "${m.output.words}"}, "gives a list"),
        ({"count": "${m.output.wide}"}, "gives an object"),  # its values read within a bound of parts
    ],
)
def test_a_kind_the_argument_refuses_whatever_its_value_is_refused(args: dict[str, Any], says: str) -> None:
    refused(check(args), says)


@pytest.mark.parametrize(
    "args",
    [
        {"seconds": "${m.output.text}"},  # "1.5" is a number to a plain float
        {"flag": "${m.output.text}"},  # "true" is a boolean
        {"flag": "${m.output.count}"},  # 1 and 0 are booleans
        {"count": "${m.output.ratio}"},  # 2.0 is an integer
        {"mode": "${m.output.color}"},  # which value: known at the run (red or green; red is taken)
        {"text": "took ${m.output.count} s"},  # inside text: written as text
        {"words": "${m.output.words}", "numbers": "${m.output.numbers}"},
        {"numbers": "${m.output.words}"},  # ["1"] is a list of integers
        {"csv": "${m.output.text}"},  # a check of the argument's own, of the text's content
        {"code": "${m.output.text}"},  # one of a set no sample is in, the same words for each
    ],
)
def test_a_kind_the_argument_may_take_passes(args: dict[str, Any]) -> None:
    assert check(args) == []


@pytest.mark.parametrize(
    "args,says",
    [
        ({"numbers": "${m.output.tree.children}"}, "argument numbers"),
        ({"words": "${m.output.numbers}"}, "argument words"),
        ({"words": "${m.output.tree.children}"}, "argument words"),  # a list of objects, recursive
        ({"numbers": "${m.output.tree" + ".children.0" * 5_000 + ".name}"}, "gives a string"),
    ],
)
def test_a_list_of_items_the_argument_refuses_is_refused(args: dict[str, Any], says: str) -> None:
    refused(check(args), says)


def test_a_reference_deep_into_a_recursive_output_is_walked_not_refused() -> None:
    assert check({"text": "${m.output.tree" + ".children.0" * 5_000 + ".name}"}) == []
    refused(check({"text": "${m.output.tree" + ".children.0" * 5_000 + ".nope}"}), "does not have")


@pytest.mark.parametrize(
    "condition",
    [
        "m.output.nosuch > 0",
        "m.output.tree.children[0].nope == 1 and len(m.output.words) > 0",
        "not m.output.nosuch",
        "m.output.nosuch or m.output.count",
        "1 < m.output.nosuch",
    ],
)
def test_a_condition_that_always_reads_a_field_no_output_has_is_refused(condition: str) -> None:
    refused(check({}, condition=condition), "the condition reads a field the output of 'm' does not have")


@pytest.mark.parametrize(
    "condition",
    [
        "m.output.count > 0 or m.output.nosuch",
        "m.output.flag and m.output.nosuch",
        "m.output.nosuch if m.output.flag else 1",
        "0 > m.output.count > m.output.nosuch",
        "m.state == 'ok' and m.output.count > 0",
    ],
)
def test_a_condition_that_may_not_read_a_missing_field_passes(condition: str) -> None:
    assert check({}, condition=condition) == []


def test_a_reference_inside_an_input_value_is_text_the_run_passes_as_it_is() -> None:
    assert check({"text": "${inputs.note}"}, inputs={"note": "${m.output.count}"}) == []
    assert check({"text": "${inputs.note}"}, inputs={"note": "${m.output.nosuch}"}) == []
    # and so the argument takes it as text: a number's, it refuses
    refused(check({"count": "${inputs.n}"}, inputs={"n": "${m.output.count}"}), "argument count", "text, not a number")


@pytest.mark.parametrize(
    "text,inputs",
    [
        ("${m.output.text || m.output.nosuch}", {}),  # the first is there
        ("${m.output.maybe || m.output.nosuch}", {}),  # the first may be there
        ("${inputs.given || m.output.nosuch}", {"given": "x"}),
        ("${m.output.nosuch || m.output.text || m.output.nosuch}", {}),
    ],
)
def test_a_last_alternative_the_run_never_reaches_passes(text: str, inputs: dict[str, Any]) -> None:
    assert check({"text": text}, inputs=inputs) == []


@pytest.mark.parametrize(
    "text,inputs",
    [
        ("${m.output.nosuch || m.output.nosuch2}", {}),
        ("${inputs.none || m.output.nosuch2}", {"none": None}),
        ("${m.output.count.x || m.output.nosuch2}", {}),
    ],
)
def test_a_last_alternative_the_run_reaches_is_checked(text: str, inputs: dict[str, Any]) -> None:
    refused(check({"text": text}, inputs=inputs), "(${m.output.nosuch2})")


def test_text_into_an_argument_whose_own_check_reads_its_content_passes() -> None:
    fetch = {"id": "f", "tool": "http_request", "args": {"url": "${r.output.content}"}}
    plan = {"nodes": [{"id": "r", "tool": "read_file", "args": {"path": "urls.txt"}}, fetch]}
    prepare_plan(parse_plan(plan), default_registry())  # a URL read from a file: the run may take it


def test_text_into_a_built_in_argument_checked_against_a_set_passes() -> None:
    """``read_file``'s encoding from a step's text ("utf-8" from ``file -b --mime-encoding``) was refused: its
    check says the same of every sample, none of which names an encoding, though the run takes one that does."""
    plan = {
        "nodes": [
            {"id": "s", "tool": "shell", "args": {"command": ["file", "-b", "--mime-encoding", "a.txt"]}},
            {"id": "r", "tool": "read_file", "args": {"path": "a.txt", "encoding": "${s.output.stdout}"}},
            {"id": "w", "tool": "write_file", "args": {"path": "b", "content": "x", "encoding": "${s.output.stdout}"}},
        ]
    }
    prepare_plan(parse_plan(plan), default_registry())


class _CountedPlaces(dict[Loc, Any]):
    """Where references stand, counting how many of them are looked through one by one."""

    looked_through = 0

    def __iter__(self) -> Iterator[Loc]:
        for loc in super().__iter__():
            self.looked_through += 1
            yield loc


def test_refusals_are_placed_without_looking_through_every_reference_for_each() -> None:
    """Each refusal was matched to its reference by trying every reference of the step: an argument list of
    4,000 numbers where text goes (``shell {command: ["${h.output.status}", ...]}``) took 11 s to validate,
    100,000 of them (a 2 MiB plan) hours."""
    spec = default_registry().get("shell").spec
    count = 2_000
    places = _CountedPlaces({("command", i): ("${h.output.status}", [200]) for i in range(count)})
    found = _kind_refusals(spec, {"command": [200] * count}, places)
    assert len(found) == count and places.looked_through <= count, places.looked_through


def _parts_read(monkeypatch: pytest.MonkeyPatch, references: list[str]) -> int:
    """How many parts of output schemas validating a step ``take`` of ``references`` reads for their values."""
    read = 0
    values = reference_types._values

    def counted(*args: Any) -> Any:
        nonlocal read
        read += 1
        return values(*args)

    monkeypatch.setattr(reference_types, "_values", counted)
    refused(check({"words": references}), "gives an object")
    return read


def test_a_plan_reads_the_values_of_one_schema_path_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each of 5,000 references to a wide type read its 1,000 parts again: 18 to 32 s to validate."""
    assert _parts_read(monkeypatch, ["${m.output.wide}"] * 2_000) <= 2_000


def test_a_plan_reads_a_bounded_number_of_schema_parts_in_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """As many paths into a wide type read 1,000 parts each: 5,000 of them 34 s, a 2 MiB plan's minutes."""
    paths = ["".join(f".{name}" for name in path) for path in itertools.product("abcdefghij", repeat=4)]
    assert _parts_read(monkeypatch, [f"${{m.output.wide{path}}}" for path in paths[:2_000]]) <= 2 * PLAN_SAMPLE_PARTS


@pytest.mark.parametrize(
    "args,says",
    [
        ({"count": "${m.output.count} + 1"}, "${m.output.count} + 1 gives a string"),  # no arithmetic: text
        ({"count": "1${m.output.count}"}, "text, not a number"),  # NUMBER takes no text, whatever it holds
        ({"flag": "x${m.output.text}"}, "gives a string"),
    ],
)
def test_references_inside_longer_text_give_text_the_argument_may_refuse(args: dict[str, Any], says: str) -> None:
    """The run writes each value's text in its place: where the argument takes no such text, every run failed."""
    refused(check(args), says)


@pytest.mark.parametrize(
    "args",
    [
        {"seconds": "${m.output.count}.${m.output.count}"},  # "1.1" is a number to a plain float
        {"text": "took ${m.output.count} s", "words": ["n=${m.output.flag}"]},
        {"csv": "${m.output.text}.csv", "code": "utf-${m.output.count}"},  # their checks read the content
        {"flag": "${m.output.text}${m.output.text}"},  # of two, which texts together: not tried
    ],
)
def test_references_inside_longer_text_the_argument_may_take_pass(args: dict[str, Any]) -> None:
    assert check(args) == []


def _never_text(value: str) -> str:
    raise ValueError("no text is taken")


class _Unions(BaseModel):
    """An argument whose schema (an MCP server's, say) nests unions ten wide eight deep: 10**8 branches."""

    code: Annotated[str, AfterValidator(_never_text)] | None = None

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        defs: dict[str, Any] = {"u0": {"type": "integer"}}
        for level in range(1, 9):
            defs[f"u{level}"] = {"anyOf": [{"$ref": f"#/$defs/u{level - 1}"}] * 10}
        return {"type": "object", "properties": {"code": {"$ref": "#/$defs/u8"}}, "$defs": defs}


def test_the_argument_schema_a_refusal_is_read_against_is_read_within_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    read = 0
    kinds_at = reference_types._kinds_at

    def counted(*args: Any) -> Any:
        nonlocal read
        read += 1
        if read > 10 * PLAN_SAMPLE_PARTS:
            raise AssertionError("read past any bound")
        return kinds_at(*args)

    monkeypatch.setattr(reference_types, "_kinds_at", counted)
    unions = Tool(ToolSpec(name="unions", description="takes", input_model=_Unions), _never)
    registry = ToolRegistry([*REGISTRY, unions])
    plan = {"nodes": [{"id": "m", "tool": "make"}, {"id": "u", "tool": "unions", "args": {"code": "${m.output.text}"}}]}
    prepare_plan(parse_plan(plan), registry)  # the schema left open past the bound: passed
    assert 0 < read <= 2 * 1_000 * len(reference_types._SAMPLES["string"]), read


def test_an_input_given_before_other_alternatives_is_what_the_run_takes() -> None:
    """``${inputs.n || m.output.count}`` with ``n`` given is ``n``, whatever follows: a text one, where
    a number goes, passed validate and failed every run."""
    said = "(the value of ${inputs.n || m.output.count})"
    refused(check({"count": "${inputs.n || m.output.count}"}, inputs={"n": "many"}), "argument count", said)
    refused(check({"count": "${inputs.x || inputs.n || m.output.count}"}, inputs={"x": None, "n": "many"}), said[:14])
    assert check({"count": "${inputs.n || m.output.count}"}, inputs={"n": 3}) == []
    assert check({"count": "${inputs.n || m.output.count}"}, inputs={"n": None}) == []  # to be given, or passed over
    assert check({"count": "${m.output.count || inputs.n}"}, inputs={"n": "many"}) == []  # the step's, first
