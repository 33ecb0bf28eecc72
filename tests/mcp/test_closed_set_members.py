"""`validate` of references into a real MCP server's arguments whose enum has no type
(tests/mcp/hostile_server.py ``enums``): ``mixed`` (texts, numbers, a boolean, null) and ``many`` (6,000
texts). A closed set from a step's output is decided by its values where it is too large to try whole: none
a member, refused; one a member, passed. A kind the enum holds passes, one it does not is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel
from temporalio.client import Client, WorkflowFailureError

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan
from tests.helpers import settings_for, start_plan
from tests.mcp.test_hostile import hostile, listed
from worker import create_worker

WORDS = [f"w{i}" for i in range(40)]


class Made(BaseModel):
    words: Literal[tuple(WORDS)]  # type: ignore[valid-type]
    words_then_member: Literal[tuple([*WORDS, "v5999"])]  # type: ignore[valid-type]
    words_then_append: Literal[tuple([*WORDS, "append"])]  # type: ignore[valid-type]
    colors: Literal["append", "red"]
    count: int
    flag: bool
    ratio: float


class Nothing(BaseModel):
    pass


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


@pytest.fixture(scope="module")
async def registry(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[ToolRegistry]:
    served = await listed(tmp_path_factory.mktemp("enums"), hostile("enums"))
    make = Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never)
    try:
        yield ToolRegistry([*served, make])
    finally:
        await served.aclose()


def problems(registry: ToolRegistry, tool: str, field: str) -> list[str]:
    step = {"id": "t", "tool": tool, "args": {"x": f"${{m.output.{field}}}"}}
    try:
        prepare_plan(parse_plan({"nodes": [{"id": "m", "tool": "make"}, step]}), registry)
    except PlanValidationError as exc:
        return exc.problems
    return []


@pytest.mark.parametrize(
    "tool,field",
    [
        ("h.many", "words_then_member"),  # the forty-first is one of the 6,000
        ("h.mixed", "words_then_append"),
        ("h.mixed", "colors"),
        ("h.mixed", "count"),  # 1 is in the enum
        ("h.mixed", "flag"),  # true is
        ("h.mixed", "ratio"),  # 2.5 is a number it holds
    ],
)
async def test_a_value_the_servers_enum_holds_passes(registry: ToolRegistry, tool: str, field: str) -> None:
    assert problems(registry, tool, field) == []


@pytest.mark.parametrize(
    "tool,field,says",
    [
        ("h.many", "words", "gives a string"),  # forty texts, none of the 6,000
        ("h.mixed", "words", "gives a string"),
        ("h.many", "count", "gives an integer"),  # a set of texts takes no number
        ("h.many", "flag", "gives a boolean"),
    ],
)
async def test_a_set_or_kind_the_servers_enum_never_holds_is_refused(
    registry: ToolRegistry, tool: str, field: str, says: str
) -> None:
    found = problems(registry, tool, field)
    assert any(says in problem and "breaks its schema's" in problem for problem in found), found


async def test_a_refusal_of_the_large_enum_names_it_by_its_size(registry: ToolRegistry) -> None:
    [problem] = problems(registry, "h.many", "words")
    assert "(a value of more than 200 characters of JSON: a list of 6,000 values)" in problem, problem
    assert "v5999" not in problem


async def test_a_worker_refuses_such_a_plan_as_validate_does(
    registry: ToolRegistry, client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A plan started without validation is checked by the worker's prepare_plan, the same function: 200
    steps of a set into the server's enum took 71 s of CPU there (past the activity's 60 s deadline, so it was
    tried again, three times in all); now every step is refused at once, each naming the enum by its size."""
    nodes: list[dict[str, Any]] = [{"id": "m", "tool": "make"}]
    nodes += [{"id": f"t{i}", "tool": "h.many", "args": {"x": "${m.output.words}"}} for i in range(200)]
    async with create_worker(client, settings_for(task_queue, tmp_path), registry):
        handle = await start_plan(client, task_queue, {"nodes": nodes})
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), 120)
    cause = str(failed.value.cause)
    assert "node 't199'" in cause and "a list of 6,000 values" in cause, cause[:2000]
    events = [e.WhichOneof("attributes") for e in (await handle.fetch_history()).events]
    assert "activity_task_scheduled_event_attributes" not in events, "a step ran"
