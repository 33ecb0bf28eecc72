"""A large set of texts is tried by the first of each kind a lax check tells apart, and the kinds are what
pydantic reads the text as (the run's check): Python's int() reads "\u0661" and "\uff11" (digits of other scripts) and
refuses "1.0", pydantic the reverse. Read by Python, "\u0661" stood for "5" too, and its refusal refused a plan the
run takes when it gives "5". validate's verdict is the run's: refused exactly when no value of the set is taken."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import BaseModel, ValidationError

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan

WORDS = [f"x{i}" for i in range(20)]  # more than are tried whole
SETS: dict[str, tuple[str, ...]] = {
    "arabic_digit": (*WORDS, "\u0661", "5"),
    "fullwidth_digit": (*WORDS, "\uff11", "5"),
    "fraction_then_whole": (*WORDS, "1.5", "1.0"),
    "underscore": (*WORDS, "1_0", "5"),
    "words_of_truth": (*WORDS, "YES", "yes"),
    "no_number": (*WORDS, "1e", "five"),
}


class Made(BaseModel):
    arabic_digit: Literal[SETS["arabic_digit"]]  # type: ignore[valid-type,name-defined]
    fullwidth_digit: Literal[SETS["fullwidth_digit"]]  # type: ignore[valid-type,name-defined]
    fraction_then_whole: Literal[SETS["fraction_then_whole"]]  # type: ignore[valid-type,name-defined]
    underscore: Literal[SETS["underscore"]]  # type: ignore[valid-type,name-defined]
    words_of_truth: Literal[SETS["words_of_truth"]]  # type: ignore[valid-type,name-defined]
    no_number: Literal[SETS["no_number"]]  # type: ignore[valid-type,name-defined]


class Nothing(BaseModel):
    pass


class Taken(BaseModel):
    count: int = 0
    ratio: float = 0
    flag: bool = False


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


TOOLS = ToolRegistry(
    [
        Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
        Tool(ToolSpec(name="take", description="takes", input_model=Taken), _never),
    ]
)


def _taken_by_the_run(argument: str, value: Any) -> bool:
    """The activity's check: the tool's model, validated as the step's arguments are (activities/tools.py)."""
    try:
        Taken.model_validate({argument: value})
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("argument", ["count", "ratio", "flag"])
@pytest.mark.parametrize("field", list(SETS))
def test_validate_refuses_exactly_what_the_run_refuses_every_value_of(field: str, argument: str) -> None:
    plan = {
        "nodes": [
            {"id": "m", "tool": "make"},
            {"id": "t", "tool": "take", "args": {argument: f"${{m.output.{field}}}"}},
        ]
    }
    try:
        prepare_plan(parse_plan(plan), TOOLS)
        refused = False
    except PlanValidationError:
        refused = True
    taken = [value for value in SETS[field] if _taken_by_the_run(argument, value)]
    assert refused == (not taken), (refused, taken)
