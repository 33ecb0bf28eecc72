"""`validate` and a large closed set from a step's output into an argument whose JSON schema shows a set
its validator does not hold to: an Enum's ``_missing_``, a ``BeforeValidator``, a model's ``before``
validator may take a value the set shown lacks (``"RED"`` for ``red``). Membership by the schema's values
refused such plans, though the run takes them; the set's values are tried instead, each, where few enough.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, BeforeValidator, model_validator
from temporalio.client import Client

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.record import ExecutionRecord, StepState
from orchestra.reference_types import _ENUM_SCAN
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan
from tests.helpers import settings_for, start_plan
from worker import create_worker

WORDS = [f"w{i}" for i in range(40)]


class Color(enum.StrEnum):
    RED = "red"
    BLUE = "blue"

    @classmethod
    def _missing_(cls, value: object) -> Color | None:
        """Any letter case: "RED" is red."""
        return next((m for m in cls if isinstance(value, str) and m.value == value.lower()), None)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class Made(BaseModel):
    words: Literal[tuple(WORDS)]  # type: ignore[valid-type]
    words_then_red: Literal[tuple([*WORDS, "RED"])]  # type: ignore[valid-type]
    words_then_append: Literal[tuple([*WORDS, "APPEND"])]  # type: ignore[valid-type]
    many_then_red: Literal[tuple([*(f"x{i}" for i in range(_ENUM_SCAN)), "RED"])]  # type: ignore[valid-type]


class Nothing(BaseModel):
    pass


class Taken(BaseModel):
    color: Color = Color.RED
    maybe_color: Color | None = None
    mode: Annotated[Literal["overwrite", "append"], BeforeValidator(_lower)] = "overwrite"
    plain: Literal["red", "blue"] = "red"


class Renamed(BaseModel):
    """A model whose ``before`` validator reads its arguments another way (a name in capitals)."""

    color: Literal["red", "blue"] = "red"

    @model_validator(mode="before")
    @classmethod
    def _lowered(cls, data: Any) -> Any:
        return {key: _lower(value) for key, value in data.items()} if isinstance(data, dict) else data


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


REGISTRY = ToolRegistry(
    [
        *default_registry(),
        Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
        Tool(ToolSpec(name="take", description="takes", input_model=Taken), _never),
        Tool(ToolSpec(name="renamed", description="takes", input_model=Renamed), _never),
    ]
)


def problems(tool: str, argument: str, field: str) -> list[str]:
    step = {"id": "t", "tool": tool, "args": {argument: f"${{m.output.{field}}}"}}
    try:
        prepare_plan(parse_plan({"nodes": [{"id": "m", "tool": "make"}, step]}), REGISTRY)
    except PlanValidationError as exc:
        return exc.problems
    return []


@pytest.mark.parametrize(
    "tool,argument,field",
    [
        ("take", "color", "words_then_red"),  # _missing_ takes "RED"
        ("take", "maybe_color", "words_then_red"),
        ("take", "mode", "words_then_append"),  # lowered before the set
        ("renamed", "color", "words_then_red"),  # lowered by the model
        ("take", "color", "many_then_red"),  # too many to try: its kinds decide
    ],
)
def test_a_value_the_validator_takes_though_its_set_lacks_it_passes(tool: str, argument: str, field: str) -> None:
    assert problems(tool, argument, field) == []


@pytest.mark.parametrize(
    "tool,argument,field",
    [
        ("take", "color", "words"),  # tried each: none of them a color in any case
        ("take", "mode", "words"),
        ("renamed", "color", "words"),
        ("take", "plain", "words_then_red"),  # a plain set: "RED" is no member
    ],
)
def test_a_set_none_of_whose_values_the_validator_takes_is_refused(tool: str, argument: str, field: str) -> None:
    found = problems(tool, argument, field)
    assert any("and the argument takes none" in problem for problem in found), found


class Picked(BaseModel):
    color: Literal[tuple([*WORDS, "RED"])]  # type: ignore[valid-type]


class Painted(BaseModel):
    color: str


async def _pick(args: BaseModel, ctx: ToolContext) -> BaseModel:
    return Picked(color="RED")


async def _paint(args: BaseModel, ctx: ToolContext) -> BaseModel:
    assert isinstance(args, Taken)
    return Painted(color=args.color.value)


async def test_a_run_takes_what_validate_passes(client: Client, task_queue: str, tmp_path: Path) -> None:
    """The run: the step's "RED" is red to the argument's Enum, as validate now says."""
    registry = ToolRegistry(
        [
            *default_registry(),
            Tool(ToolSpec(name="pick", description="picks", input_model=Nothing, output_model=Picked), _pick),
            Tool(ToolSpec(name="paint", description="paints", input_model=Taken, output_model=Painted), _paint),
        ]
    )
    plan = {
        "nodes": [{"id": "p", "tool": "pick"}, {"id": "t", "tool": "paint", "args": {"color": "${p.output.color}"}}]
    }
    prepare_plan(parse_plan(plan), registry)
    async with create_worker(client, settings_for(task_queue, tmp_path), registry):
        record = ExecutionRecord.model_validate(await (await start_plan(client, task_queue, plan)).result())
    assert [step.state for step in record.steps] == [StepState.COMPLETED] * 2, record.steps
    assert record.steps[1].output == {"color": "red"}, record.steps[1].output
