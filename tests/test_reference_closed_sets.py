"""`validate` and a reference to an output field of a closed set (an enum, a ``Literal``, a ``const``): its
values are what the run may give. A small set is tried whole, so a refusal of each of them is certain; of a
larger one, the first value of each kind; past what is read, its type's values. And an argument's own set
without a type (an MCP server's ``{"enum": [...]}``) takes the kinds of its values, no other.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest
from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema

from orchestra.errors import PlanValidationError
from orchestra.mcp.tools import arguments_model
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.temporal_bounds import NUMBER
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan

MODES = ["overwrite", "append"]
LATE_NUMBER = [f"v{i}" for i in range(200_000)] + ["7"]  # past what is read, a value that is a number


def _a_mode(value: Any) -> Any:
    if value not in MODES:
        raise ValueError(f"not one of {MODES}")
    return value


class Made(BaseModel):
    fifth_a_number: Literal["a", "b", "c", "d", "5"]
    number_among_many: Literal[tuple([f"v{i}" for i in range(50)] + ["5"] + [f"w{i}" for i in range(50)])]  # type: ignore[valid-type]
    late_number: Annotated[str, Field(json_schema_extra={"enum": LATE_NUMBER})]
    one: Literal["x"]
    letters: Literal["a", "b", "c"]
    colors: Literal["append", "red"]
    levels: Literal[1, 2, 3]
    flag: bool
    nothing: None
    count: int


class Nothing(BaseModel):
    pass


class Taken(BaseModel):
    plain: int | None = None
    count: Annotated[int, NUMBER] | None = None
    mode: Literal["overwrite", "append"] = "overwrite"
    maybe_mode: Literal["overwrite", "append"] | None = None
    # What an MCP server's schema reads as: a set of texts with no type, checked by its own validator.
    server_mode: Annotated[Any, AfterValidator(_a_mode), WithJsonSchema({"enum": MODES})] = None


SERVED = {"type": "object", "properties": {"mode": {"enum": MODES}, "name": {"type": "string"}}}


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


REGISTRY = ToolRegistry(
    [
        Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
        Tool(ToolSpec(name="take", description="takes", input_model=Taken), _never),
        # An MCP server's tool: its arguments checked against the server's JSON schema, as the run does.
        Tool(ToolSpec(name="served", description="served", input_model=arguments_model("served", SERVED)), _never),
    ]
)


def check(args: dict[str, Any], tool: str = "take") -> list[str]:
    """The problems validation finds with a step ``tool`` of ``args`` after a step ``m`` of ``make``."""
    step = {"id": "t", "tool": tool, "args": args, "depends_on": ["m"]}
    try:
        prepare_plan(parse_plan({"nodes": [{"id": "m", "tool": "make"}, step]}), REGISTRY)
    except PlanValidationError as exc:
        return exc.problems
    return []


@pytest.mark.parametrize(
    "args",
    [
        {"plain": "${m.output.fifth_a_number}"},  # "5": only the first four values were tried
        {"plain": "${m.output.number_among_many}"},  # of a set past those tried whole: one of each kind
        {"plain": "${m.output.late_number}"},  # past what is read: text, which may read as a number
        {"mode": "${m.output.colors}"},  # "append" is taken: which value, the run knows
        {"maybe_mode": "${m.output.nothing}"},
        {"server_mode": "${m.output.colors}"},  # text, which its own check reads
    ],
)
def test_a_closed_set_the_argument_may_take_a_value_of_passes(args: dict[str, Any]) -> None:
    assert check(args) == []


@pytest.mark.parametrize(
    "args,says",
    [
        ({"mode": "${m.output.one}"}, "argument mode"),  # "x" is never "overwrite" or "append"
        ({"maybe_mode": "${m.output.letters}"}, "argument maybe_mode"),  # none of a, b, c is a mode
        ({"mode": "${m.output.levels}"}, "gives an integer"),  # an integer set into a set of texts
        ({"mode": "${m.output.flag}"}, "gives a boolean"),
        ({"mode": "${m.output.nothing}"}, "argument mode"),
        ({"count": "${m.output.late_number}"}, "gives a string"),  # NUMBER takes no text, whichever
        ({"server_mode": "${m.output.count}"}, "gives an integer"),  # a set of texts takes no number
        ({"server_mode": "${m.output.flag}"}, "gives a boolean"),
        ({"server_mode": "${m.output.levels}"}, "gives an integer"),
    ],
)
def test_a_closed_set_or_kind_the_argument_never_takes_is_refused(args: dict[str, Any], says: str) -> None:
    found = check(args)
    assert found, "accepted"
    assert any(says in problem for problem in found), found


@pytest.mark.parametrize(
    "args,says",
    [
        ({"mode": "${m.output.count}"}, "gives an integer"),  # a set of texts takes no number
        ({"name": "${m.output.count}"}, "gives an integer"),  # text takes no number
        ({"mode": "${m.output.one}"}, "gives a string"),  # "x" is never a mode
    ],
)
def test_an_mcp_argument_of_a_kind_its_schema_never_takes_is_refused(args: dict[str, Any], says: str) -> None:
    """The server's schema check was never counted as a refusal of the kind: a number into its text passed."""
    found = check(args, "served")
    assert found, "accepted"
    assert any(says in problem for problem in found), found


@pytest.mark.parametrize("args", [{"mode": "${m.output.colors}"}, {"mode": "${m.output.late_number}"}])
def test_an_mcp_argument_of_a_kind_its_schema_takes_passes(args: dict[str, Any]) -> None:
    assert check(args, "served") == []
