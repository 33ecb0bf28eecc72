"""The ``json_query`` tool: pick or reshape parts of a JSON value with a JMESPath expression."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orchestra.conditions import bracket_depth
from orchestra.errors import ToolValidationError
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools import offload

MAX_EXPRESSION_CHARS = 2000


class JsonQueryInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: Any = Field(description="any JSON value to query")
    expression: str = Field(
        min_length=1,
        max_length=MAX_EXPRESSION_CHARS,
        description="a JMESPath expression, e.g. 'items[?price > `10`].name' (see jmespath.org)",
    )


class JsonQueryOutput(BaseModel):
    result: Any = Field(description="the value the expression selects (null if nothing matches)")


def query(args: dict[str, Any]) -> dict[str, Any]:
    """The work of json_query, in a child process of orchestra/tools/offload.py (an expression can
    build a huge value: the child's memory limit and the result cap stop it)."""
    # Imported here, in the child that queries: every command that lists the built-in tools (an offline
    # `plan`, `validate`) imported JMESPath's parser and functions at load, and none of them queries.
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        compiled = jmespath.compile(args["expression"])
        result = compiled.search(args["data"])
    except JMESPathError as exc:
        # Parse errors and type errors (e.g. sum() of strings) both mean the expression does not fit.
        raise ToolValidationError(
            f"bad JMESPath expression {args['expression']!r}: {exc}", code="bad_expression"
        ) from exc
    except RecursionError:
        # Said by what nests: the child's own words ("the input is nested too deeply") sent a user with
        # 990 parentheses in the expression and [1] as data looking at the data.
        raise ToolValidationError(
            f"the expression nests {bracket_depth(args['expression'])} brackets deep: with the data, too deep to evaluate",
            code="too_deep",
        ) from None
    return {"result": result}


async def run_json_query(args: JsonQueryInput, ctx: ToolContext) -> JsonQueryOutput:
    output = await offload.run("json_query", args.model_dump(), ctx.confinement.local_limits)
    return JsonQueryOutput.model_validate(output)


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
