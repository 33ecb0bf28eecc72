"""A plan's tries of values for references are bounded by what they validate too: each try validates the
step's arguments whole, with the inputs' values put in, so 20,000 tries of steps that each hold a large input
(4,000 steps of 40,000 headers) took minutes. Past PLAN_SAMPLE_VALUES values validated, the rest is open."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, model_validator

from orchestra.plan import parse_plan
from orchestra.reference_types import PLAN_SAMPLE_VALUES, _members_at
from orchestra.registry import ToolRegistry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan

NAMES = 100_000
STEPS = 50


class Nothing(BaseModel):
    pass


class Made(BaseModel):
    mode: Literal[tuple(f"m{i}" for i in range(16))]  # type: ignore[valid-type]


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


def test_tries_of_large_arguments_are_bounded_by_the_values_they_validate() -> None:
    tried = [0]

    class Counted(BaseModel):
        names: list[str] = []
        mode: Literal["overwrite", "append"] = "overwrite"
        name: str = ""  # each step's own: steps written alike are checked once

        @model_validator(mode="before")
        @classmethod
        def _counted(cls, data: Any) -> Any:
            tried[0] += 1
            return data

    tools = ToolRegistry(
        [
            Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
            Tool(ToolSpec(name="counted", description="counts", input_model=Counted), _never),
        ]
    )
    nodes: list[dict[str, Any]] = [{"id": "m", "tool": "make"}]
    step: dict[str, Any] = {"tool": "counted", "args": {"names": "${inputs.names}", "mode": "${m.output.mode}"}}
    nodes += [{"id": f"t{i}", **step, "args": {**step["args"], "name": f"s{i}"}} for i in range(STEPS)]
    plan = parse_plan({"inputs": {"names": [f"n{i}" for i in range(NAMES)]}, "nodes": nodes})
    try:
        prepare_plan(plan, tools)
    except Exception as exc:  # refused or not, what counts is how much was validated
        assert "takes none" in str(exc), exc
    # Each step's own check and its first try (as costly), then the tries the values allow: sixteen a step
    # were 850 validations of 100,000 names in all.
    assert STEPS < tried[0] <= 2 * STEPS + PLAN_SAMPLE_VALUES // NAMES + 1, tried[0]


def test_an_arguments_large_set_is_read_once_for_all_the_steps_into_it() -> None:
    """Its members made anew for each step (a union with its null, then hashed to look the set's answer
    up) took 30 ms a step for an optional set of 99,999 values: 1,000 steps 47 s, past the worker's deadline."""

    class Optional(BaseModel):
        x: Literal[tuple(f"v{i}" for i in range(99_999))] | None = None  # type: ignore[valid-type]

    first, again = _members_at(Optional, ("x",)), _members_at(Optional, ("x",))
    assert first is not None and len(first) == 100_000, "not read"
    assert again is first, "made again"
