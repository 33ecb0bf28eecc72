"""A large set of texts given to an argument that is a set of numbers: which texts the argument takes is what
pydantic does in the run. An ``IntEnum`` of 1 and 10 takes "10" and refuses "1e1"; a plain ``Enum`` or a
``Literal`` of the same numbers refuses every text. validate tried only the first text that might be one of
the numbers ("1e1"), and refused a plan the run takes when it gives "10". Each such text is tried now."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel
from temporalio.client import Client

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan
from tests.helpers import start_plan, worker_for


class Level(enum.IntEnum):
    ONE = 1
    TEN = 10


class Plain(enum.Enum):
    ONE = 1
    TEN = 10


TEXTS = (*[f"x{i}" for i in range(20)], "5", "1e1", "10")  # "5" and "10" are one kind of text
MANY = (*[f"x{i}" for i in range(20)], "5", *[f"{'0' * i}1e1" for i in range(17)], "10")


class Made(BaseModel):
    texts: Literal[TEXTS]  # type: ignore[valid-type]
    many: Literal[MANY]  # type: ignore[valid-type]
    nothing: str | None = None  # a text or null: which the run takes of ``nothing || texts`` is known only then


class Nothing(BaseModel):
    pass


class Taken(BaseModel):
    level: Level = Level.ONE
    plain: Plain = Plain.ONE
    count: Literal[1, 10] = 1


class Took(BaseModel):
    took: str


async def _make(args: BaseModel, ctx: ToolContext) -> Made:
    return Made(texts="10", many="10")


async def _take(args: BaseModel, ctx: ToolContext) -> Took:
    return Took(took=repr(args))


def _registry() -> ToolRegistry:
    registry = default_registry()
    registry.register(Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _make))
    registry.register(Tool(ToolSpec(name="take", description="takes", input_model=Taken, output_model=Took), _take))
    return registry


def _plan(argument: str, field: str = "texts") -> dict[str, Any]:
    step = {"id": "t", "tool": "take", "args": {argument: f"${{m.output.{field}}}"}, "retry": {"max_attempts": 1}}
    return {"name": "loose", "nodes": [{"id": "m", "tool": "make"}, step]}


def _problems(plan: dict[str, Any]) -> list[str]:
    try:
        prepare_plan(parse_plan(plan), _registry())
    except PlanValidationError as exc:
        return exc.problems
    return []


def test_what_pydantic_takes_of_the_texts() -> None:
    """The rule the checks follow: "10" is ten to an IntEnum only; "1e1" to none of them."""
    assert Taken.model_validate({"level": "10"}).level is Level.TEN
    for argument, text in (("level", "1e1"), ("plain", "10"), ("count", "10")):
        with pytest.raises(ValueError):
            Taken.model_validate({argument: text})


def test_the_text_an_int_enum_takes_after_one_it_refuses_passes() -> None:
    assert _problems(_plan("level")) == []


@pytest.mark.parametrize("argument", ["plain", "count"])
def test_texts_into_a_set_of_numbers_that_takes_no_text_are_refused(argument: str) -> None:
    [problem] = _problems(_plan(argument))
    assert "gives a string, and the argument takes none" in problem, problem


def test_more_texts_that_may_be_members_than_are_tried_are_left_to_the_run() -> None:
    assert _problems(_plan("level", "many")) == []


async def test_validate_agrees_with_the_run(client: Client, task_queue: str, tmp_path: Path) -> None:
    """On a server: the step given "10" runs with ten; given to the plain Enum, it is refused as validate said."""
    async with worker_for(client, task_queue, tmp_path, _registry()):
        taken = ExecutionRecord.model_validate(await (await start_plan(client, task_queue, _plan("level"))).result())
        step = taken.step("t")
        assert step.state == StepState.COMPLETED and step.output == {"took": repr(Taken(level=Level.TEN))}, step
        # validate cannot tell what ``${m.output.nothing || m.output.texts}`` gives: the run is asked.
        plain = _plan("plain", "nothing || m.output.texts")
        plain["nodes"][1]["skip_on_error"] = True
        refused = ExecutionRecord.model_validate(await (await start_plan(client, task_queue, plain)).result())
        step = refused.step("t")
        assert (
            step.state == StepState.ERROR
            and step.error is not None
            and "plain: Input should be 1 or 10" in step.error.message
        ), step
