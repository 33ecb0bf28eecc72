"""`validate` and a reference to a closed set too large to try whole (more than 16 values): where the argument
is a closed set too, its values decide (is any of them a member?); elsewhere, the kinds of its values. A set
of lists or objects is told apart by its items' kinds, as one of numbers or texts is. And a plan's checks
of references are bounded: past PLAN_SAMPLE_TRIES validations, its other references are left open.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

import pytest
from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema, model_validator

from orchestra.errors import PlanValidationError
from orchestra.mcp import schemas
from orchestra.plan import parse_plan
from orchestra.reference_types import PLAN_SAMPLE_TRIES
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan

WORDS = [f"w{i}" for i in range(40)]


def _set(values: list[Any]) -> Any:
    """An output field whose schema is a closed set with no type (as a server's may be)."""
    return Annotated[Any, Field(json_schema_extra={"enum": values})]


class Made(BaseModel):
    words: Literal[tuple(WORDS)]  # type: ignore[valid-type]
    sixteen: Literal[tuple([*WORDS[:15], "append"])]  # type: ignore[valid-type]
    words_then_append: Literal[tuple([*WORDS, "append"])]  # type: ignore[valid-type]
    words_then_get: Literal[tuple([*WORDS, "GET"])]  # type: ignore[valid-type]
    numbers_as_text: Literal[tuple([str(n) for n in range(7, 40)] + ["1"])]  # type: ignore[valid-type]
    floats: Literal[tuple([n + 0.5 for n in range(30)] + [2.0])]  # type: ignore[valid-type]
    fractions: Literal[tuple([n + 0.5 for n in range(30)])]  # type: ignore[valid-type]
    words_or_nothing: _set([*WORDS, None])  # type: ignore[valid-type]
    lists_of_numbers: _set([[n] for n in range(20)])  # type: ignore[valid-type]
    objects_of_numbers: _set([{"n": n} for n in range(20)])  # type: ignore[valid-type]
    pairs: _set([[n, n + 1] for n in range(5, 40)])  # type: ignore[valid-type]
    pairs_then_one: _set([[n, n + 1] for n in range(5, 40)] + [[1.0, 2]])  # type: ignore[valid-type]


class Nothing(BaseModel):
    pass


class Level(enum.IntEnum):
    ONE = 1
    TWO = 2


def _a_pair(value: Any) -> Any:
    if value not in ([1, 2], [3, 4]):
        raise ValueError("not one of the pairs")
    return value


class Taken(BaseModel):
    mode: Literal["overwrite", "append"] = "overwrite"
    maybe_mode: Literal["overwrite", "append"] | None = None
    level: Level = Level.ONE
    count: Literal[1, 2] = 1
    name: str = ""
    names: list[str] = []
    labels: dict[str, str] = {}
    mode_or_number: Literal["overwrite", "append"] | int = 0
    pair: Annotated[Any, AfterValidator(_a_pair), WithJsonSchema({"enum": [[1, 2], [3, 4]]})] = None


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


REGISTRY = ToolRegistry(
    [
        *default_registry(),
        Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
        Tool(ToolSpec(name="take", description="takes", input_model=Taken), _never),
    ]
)


def problems(args: dict[str, Any], tool: str = "take") -> list[str]:
    step = {"id": "t", "tool": tool, "args": args}
    try:
        prepare_plan(parse_plan({"nodes": [{"id": "m", "tool": "make"}, step]}), REGISTRY)
    except PlanValidationError as exc:
        return exc.problems
    return []


@pytest.mark.parametrize(
    "args,tool",
    [
        ({"mode": "${m.output.words}"}, "take"),  # forty texts, none a mode
        ({"maybe_mode": "${m.output.words}"}, "take"),
        ({"path": "a.txt", "content": "a", "mode": "${m.output.words}"}, "write_file"),  # a built-in's enum
        ({"url": "https://example.com", "method": "${m.output.words}"}, "http_request"),
        ({"text": "x", "mode": "${m.output.words_then_append}"}, "extract_text"),  # append is no mode of it
        ({"count": "${m.output.fractions}"}, "take"),  # 0.5, 1.5...: no 1 or 2
        ({"level": "${m.output.words}"}, "take"),
        ({"pair": "${m.output.pairs}"}, "take"),  # none of them [1, 2] or [3, 4]
    ],
)
def test_a_large_set_none_of_whose_values_the_argument_takes_is_refused(args: dict[str, Any], tool: str) -> None:
    found = problems(args, tool)
    assert found, "accepted"
    assert any("and the argument takes none" in problem for problem in found), found


@pytest.mark.parametrize(
    "args,tool",
    [
        ({"mode": "${m.output.words_then_append}"}, "take"),  # the forty-first is a mode
        ({"path": "a.txt", "content": "a", "mode": "${m.output.words_then_append}"}, "write_file"),
        ({"url": "https://example.com", "method": "${m.output.words_then_get}"}, "http_request"),
        ({"level": "${m.output.numbers_as_text}"}, "take"),  # "1" reads as the level 1
        ({"count": "${m.output.floats}"}, "take"),  # 2.0 is 2
        ({"maybe_mode": "${m.output.words_or_nothing}"}, "take"),  # null is taken
        ({"name": "${m.output.words}"}, "take"),  # any text: no set, its kind decides
        ({"pair": "${m.output.pairs_then_one}"}, "take"),  # [1.0, 2] is [1, 2]
        # A union's branch refusing "w0" by its content takes text: the int's refusal is not certain.
        ({"mode_or_number": "${m.output.words_then_append}"}, "take"),
    ],
)
def test_a_large_set_with_a_value_the_argument_takes_passes(args: dict[str, Any], tool: str) -> None:
    assert problems(args, tool) == []


@pytest.mark.parametrize(
    "args,says",
    [
        ({"names": "${m.output.lists_of_numbers}"}, "gives a list"),  # twenty lists of numbers, no text
        ({"labels": "${m.output.objects_of_numbers}"}, "gives an object"),
        ({"name": "${m.output.lists_of_numbers}"}, "gives a list"),
    ],
)
def test_a_large_set_of_lists_or_objects_is_checked_by_its_items_kinds(args: dict[str, Any], says: str) -> None:
    found = problems(args)
    assert any(says in problem for problem in found), found


def test_a_plans_tries_are_bounded_and_what_is_past_them_left_open() -> None:
    """Each step tries up to 17 values; past the plan's tries, a reference is known only at the run."""
    tried = [0]

    class Counted(BaseModel):
        mode: Literal["overwrite", "append"] = "overwrite"
        name: str = ""  # each step's own: steps written alike are checked once

        @model_validator(mode="before")
        @classmethod
        def _counted(cls, data: Any) -> Any:
            tried[0] += 1
            return data

    steps = PLAN_SAMPLE_TRIES // 16 + 400  # sixteen values tried a step: more than the plan's tries
    tools = ToolRegistry(
        [
            Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
            Tool(ToolSpec(name="counted", description="counts", input_model=Counted), _never),
        ]
    )
    nodes: list[dict[str, Any]] = [{"id": "m", "tool": "make"}]
    nodes += [
        {"id": f"t{i}", "tool": "counted", "args": {"mode": "${m.output.sixteen}", "name": f"s{i}"}}
        for i in range(steps)
    ]
    prepare_plan(parse_plan({"nodes": nodes}), tools)
    assert steps < tried[0] <= steps + PLAN_SAMPLE_TRIES  # each step's own check, and the plan's tries


def test_a_servers_refusal_names_a_large_enum_by_its_size_never_writing_it() -> None:
    checker = schemas.validator({"type": "object", "properties": {"x": {"enum": [f"e{i}" for i in range(200_000)]}}})
    [error] = schemas.errors(checker, {"x": "nope"})
    assert schemas.breach(error) == (
        'the value at $.x breaks its schema\'s "enum": '
        "(a value of more than 200 characters of JSON: a list of 200,000 values)"
    )
