"""A plan's checks validate the inputs' values put in for at most a multiple of the values the plan holds:
each step's own check validated its inputs whole, so 4,000 steps (each its own URL, not written alike) given
one input of 40,000 headers took 10 minutes of CPU in validate and in the worker's prepare_plan. Past the
budget an input is left to the run, as a step's output is: nothing is refused for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from pydantic import BaseModel, field_validator

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.reference_types import CHARS_A_VALUE, PLAN_CHECK_VALUES, PLAN_CHECK_VALUES_EACH, weight
from orchestra.registry import ToolRegistry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan

NAMES = 20_000
STEPS = 200
seen = [0]  # the names validated, and read for attempts, in all
read = [0]  # the characters of notes validated


class Counted(BaseModel):
    names: list[str] = []
    more: dict[str, list[str]] = {}
    note: str = ""
    name: str = ""  # each step's own: steps written alike are checked once

    @field_validator("names")
    @classmethod
    def _counted(cls, names: list[str]) -> list[str]:
        seen[0] += len(names)
        return names

    @field_validator("note")
    @classmethod
    def _read(cls, note: str) -> str:
        read[0] += len(note)
        return note

    @field_validator("more")
    @classmethod
    def _counted_more(cls, more: dict[str, list[str]]) -> dict[str, list[str]]:
        seen[0] += sum(len(names) for names in more.values())
        return more


def _attempts(args: Mapping[str, Any]) -> int | None:
    names = args.get("names")
    seen[0] += len(names) if isinstance(names, list) else 0
    return None


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


TOOLS = ToolRegistry(
    [Tool(ToolSpec(name="counted", description="counts", input_model=Counted, attempts_for=_attempts), _never)]
)
GIVEN = "${inputs.names}"
# Where the steps take the input: in their arguments, in many places of them, in an alternative, in an undo.
SHAPES: dict[str, Any] = {
    "args": lambda i: {"args": {"names": GIVEN, "name": f"s{i}"}},
    "many places": lambda i: {"args": {"more": {f"k{k}": GIVEN for k in range(50)}, "name": f"s{i}"}},
    "alternative": lambda i: {"alternatives": [{"tool": "counted", "args": {"names": GIVEN, "name": f"a{i}"}}]},
    "compensation": lambda i: {"compensation": {"tool": "counted", "args": {"names": GIVEN, "name": f"c{i}"}}},
}


def _plan(shape: str, names: list[Any]) -> dict[str, Any]:
    nodes = [{"id": f"t{i}", "tool": "counted", "args": {"name": f"n{i}"}, **SHAPES[shape](i)} for i in range(STEPS)]
    return {"inputs": {"names": names}, "nodes": nodes}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_inputs_validated_are_bounded_by_the_plans_size(shape: str) -> None:
    plan = _plan(shape, [f"n{i}" for i in range(NAMES)])
    seen[0] = 0
    prepare_plan(parse_plan(plan), TOOLS)  # accepted: past the budget, the input is the run's to check
    # Each step validated the 20,000 names (and read them for its attempts): 4,000,000 of them or more.
    assert NAMES <= seen[0] <= PLAN_CHECK_VALUES + PLAN_CHECK_VALUES_EACH * weight(plan), seen[0]


def test_an_input_the_argument_refuses_is_still_refused() -> None:
    with pytest.raises(PlanValidationError) as refused:
        prepare_plan(parse_plan(_plan("args", [f"n{i}" for i in range(NAMES)] + [[1]])), TOOLS)
    problems = refused.value.problems
    # The first steps' checks had it whole; the others leave it to the run, which refuses it there.
    assert problems and all("argument names.20000" in problem for problem in problems), problems[:2]
    assert problems[0].startswith("node 't0'"), problems[0]


def test_a_small_plan_is_checked_whole() -> None:
    with pytest.raises(PlanValidationError) as refused:
        prepare_plan(parse_plan({**_plan("args", [[1]]), "nodes": _plan("args", [[1]])["nodes"][:20]}), TOOLS)
    assert len(refused.value.problems) == 20, refused.value.problems


def test_a_long_text_weighs_by_its_length() -> None:
    """A text counted as one value: 200 steps each given one note of 3,000,000 characters read 600,000,000."""
    plan: dict[str, Any] = {"inputs": {"note": "x" * 3_000_000}, "nodes": []}
    plan["nodes"] = [
        {"id": f"t{i}", "tool": "counted", "args": {"note": "${inputs.note}", "name": f"s{i}"}} for i in range(STEPS)
    ]
    read[0] = 0
    prepare_plan(parse_plan(plan), TOOLS)
    assert 3_000_000 <= read[0] <= CHARS_A_VALUE * (PLAN_CHECK_VALUES + PLAN_CHECK_VALUES_EACH * weight(plan)), read[0]
