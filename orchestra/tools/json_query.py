"""The ``json_query`` tool: pick or reshape parts of a JSON value with a JMESPath expression."""

from __future__ import annotations

from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import BaseModel, ConfigDict, Field

from orchestra.errors import ToolValidationError
from orchestra.tool_spec import Tool, ToolContext, ToolSpec


class JsonQueryInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: Any = Field(description="any JSON value to query")
    expression: str = Field(
        min_length=1, description="a JMESPath expression, e.g. 'items[?price > `10`].name' (see jmespath.org)"
    )


class JsonQueryOutput(BaseModel):
    result: Any = Field(description="the value the expression selects (null if nothing matches)")


async def run_json_query(args: JsonQueryInput, ctx: ToolContext) -> JsonQueryOutput:
    try:
        compiled = jmespath.compile(args.expression)
        result = compiled.search(args.data)
    except JMESPathError as exc:
        # Parse errors and type errors (e.g. sum() of strings) both mean the expression does not fit.
        raise ToolValidationError(f"bad JMESPath expression {args.expression!r}: {exc}", code="bad_expression") from exc
    return JsonQueryOutput(result=result)


def json_query_tool() -> Tool:
    spec = ToolSpec(
        name="json_query",
        description="Select or reshape parts of a JSON value with a JMESPath expression.",
        capabilities=["json", "query", "transform"],
        input_model=JsonQueryInput,
        output_model=JsonQueryOutput,
        input_types=["json"],
        output_types=["json"],
        side_effects=False,
        idempotent=True,
        timeout_s=30.0,
        local=True,
    )
    return Tool(spec=spec, run=run_json_query)
