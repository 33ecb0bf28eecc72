"""Steps written alike (the same tool, the same arguments) are checked once: each check validates the
arguments with the inputs' values put in, so 4,000 steps given one input of 40,000 headers validated it
8,000 times (about 9 minutes of the worker's prepare_plan). Each step is still named in what is refused."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import BaseModel, model_validator

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan

STEPS = 200
tried = [0]


class Counted(BaseModel):
    names: list[str] = []
    mode: Literal["overwrite", "append"] = "overwrite"

    @model_validator(mode="before")
    @classmethod
    def _counted(cls, data: Any) -> Any:
        tried[0] += 1
        return data


class Nothing(BaseModel):
    pass


class Made(BaseModel):
    text: str


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


TOOLS = ToolRegistry(
    [
        Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
        Tool(ToolSpec(name="counted", description="counts", input_model=Counted), _never),
    ]
)


def _plan(args: dict[str, Any]) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "m", "tool": "make"}]
    nodes += [{"id": f"t{i}", "tool": "counted", "args": args} for i in range(STEPS)]
    return {"inputs": {"names": [f"n{i}" for i in range(1_000)]}, "nodes": nodes}


def test_steps_written_alike_are_validated_once() -> None:
    tried[0] = 0
    prepare_plan(parse_plan(_plan({"names": "${inputs.names}", "mode": "${m.output.text}"})), TOOLS)
    assert 0 < tried[0] <= 20, tried[0]


def test_each_step_written_alike_is_named_in_what_is_refused() -> None:
    with pytest.raises(PlanValidationError) as refused:
        prepare_plan(parse_plan(_plan({"names": "${inputs.names}", "mode": "sideways"})), TOOLS)
    assert len(refused.value.problems) == STEPS, refused.value.problems[:3]
    assert refused.value.problems[-1].startswith(f"node 't{STEPS - 1}': argument mode"), refused.value.problems[-1]
