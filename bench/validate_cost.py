"""What checking a plan costs (`validate --plan`, and the worker's prepare_plan: the same function) when
its steps feed closed sets into arguments with closed sets of their own: the argument an MCP server's
untyped enum of many values, the output a set of 16 or 40 texts, none of which the argument takes.

    .venv/bin/python -m bench.validate_cost [--steps 200] [--enum 200000,13000]

Prints, per shape, the steps, whether the plan was refused, and the CPU seconds of prepare_plan (the
machine is shared: CPU time, not the wall clock). 13,000 values is about what an MCP listing of 64 KiB
holds; a registry built in Python has no such bound.
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Literal

from pydantic import BaseModel

from bench.table import print_table
from orchestra.errors import PlanValidationError
from orchestra.mcp.tools import arguments_model
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan

HEADER = ["argument's enum", "output's set", "steps", "refused", "CPU s", "CPU ms a step"]


class Nothing(BaseModel):
    pass


class Made(BaseModel):
    sixteen: Literal[tuple(f"s{i}" for i in range(16))]  # type: ignore[valid-type]
    forty: Literal[tuple(f"f{i}" for i in range(40))]  # type: ignore[valid-type]


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


def registry(values: int) -> ToolRegistry:
    schema = {"type": "object", "properties": {"mode": {"enum": [f"e{i}" for i in range(values)]}}}
    return ToolRegistry(
        [
            Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
            Tool(ToolSpec(name="served", description="served", input_model=arguments_model("s", schema)), _never),
        ]
    )


def measure(tools: ToolRegistry, field: str, steps: int) -> tuple[bool, float]:
    nodes: list[dict[str, Any]] = [{"id": "m", "tool": "make"}]
    nodes += [{"id": f"t{i}", "tool": "served", "args": {"mode": f"${{m.output.{field}}}"}} for i in range(steps)]
    plan = parse_plan({"nodes": nodes})
    began = time.process_time()
    try:
        prepare_plan(plan, tools)
        refused = False
    except PlanValidationError:
        refused = True
    return refused, time.process_time() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--enum", default="200000,13000")
    options = parser.parse_args()
    rows = []
    for values in (int(v) for v in options.enum.split(",")):
        tools = registry(values)
        measure(tools, "sixteen", 1)  # the enum's keys are made once per schema: not what a plan pays
        for field, size in (("sixteen", 16), ("forty", 40)):
            refused, cpu = measure(tools, field, options.steps)
            rows.append(
                [f"{values:,}", size, options.steps, refused, f"{cpu:.2f}", f"{1000 * cpu / options.steps:.1f}"]
            )
    print_table("prepare_plan over closed sets into an MCP server's untyped enum", HEADER, rows)


if __name__ == "__main__":
    main()
