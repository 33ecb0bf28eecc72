"""A Python tool's own large ``Enum`` or ``Literal`` refused in a message of a bounded size once the tool is
registered: pydantic wrote every value of the set into each refusal (2.8 MB and about 2 ms for 100,000
values), in ``validate``'s tries and in the run's check, whose errors went to the history. The registered
model takes exactly what the tool's own took, into the same types: each is checked here against it."""

from __future__ import annotations

import decimal
import enum
import json
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from orchestra.argument_validators import is_its_set, set_size
from orchestra.bounded_sets import bounded_model
from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.temporal_bounds import MESSAGE_CHARS
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan

SIZE = 20_000  # as large as a test needs: the JSON schema of a set takes seconds to make
Mode = enum.Enum("Mode", {f"m{i}": f"v{i}" for i in range(SIZE)})  # type: ignore[misc]
Level = enum.IntEnum("Level", {f"l{i}": i for i in range(2_000)})  # type: ignore[misc]
Ratio = enum.Enum("Ratio", {f"r{i}": i / 4 for i in range(2_000)}, type=float)  # type: ignore[misc]
Word = enum.Enum("Word", {f"w{i}": f"w{i}" for i in range(2_000)}, type=str)  # type: ignore[misc]
Mixed = enum.Enum("Mixed", {**{f"n{i}": i for i in range(500)}, "text": "1", "none": None, "yes": True})  # type: ignore[misc]
NAMES = tuple(f"v{i}" for i in range(SIZE))
NUMBERS = (*range(2_000), 2.5, "7", None)


class Inner(BaseModel):
    mode: Mode


class Picked(BaseModel):
    """A Python tool's arguments: its sets, in every place one may stand."""

    mode: Mode | None = None
    name: Literal[NAMES] = "v0"  # type: ignore[valid-type]
    number: Literal[NUMBERS] = 0  # type: ignore[valid-type]
    levels: list[Level] = []
    ratio: Ratio = Ratio.r0  # type: ignore[attr-defined]
    words: dict[str, Annotated[Word, Field(description="a word")]] = {}
    mixed: Mixed = Mixed.text  # type: ignore[attr-defined]
    inner: Inner | None = None
    small: Literal["a", "b"] = "a"

    @field_validator("small")
    @classmethod
    def _kept(cls, small: str) -> str:
        return small.upper()


class Strict(Picked):
    model_config = ConfigDict(strict=True)


class _Decimal(decimal.Decimal):
    pass


PROBES: list[Any] = [
    "v7", "v19999", "zz", "", "V7", b"v7", " v7", 7, 7.0, 7.5, True, False, None, "7", " 7 ", "+7", "7.0", b"7",
    "1", 1, 1.0, 0.25, "0.25", "2.5", 2.5, decimal.Decimal(7), _Decimal("0.25"), "w3", b"w3", "w3 ", ["v7"], {"v": 7},
    Mode["m7"], Level["l7"], Word["w3"], Mixed["text"], 10**30, float("nan"), float("inf"), "1_000", "0x7",
]  # fmt: skip
FIELDS = ("mode", "name", "number", "ratio", "mixed", "small")


def _outcome(model: type[BaseModel], args: Any, *, json_mode: bool = False) -> Any:
    try:
        checked = model.model_validate_json(json.dumps(args)) if json_mode else model.model_validate(args)
    except ValidationError as exc:
        # Where, not the error's type: pydantic's own differs by the Enum's kind ("enum", "int_parsing_size").
        return ("refused", [error["loc"] for error in exc.errors()])
    # A nested model with a large set is its wrapped subclass, of the same name (its instances are the model's).
    return ("taken", [(key, type(value).__qualname__, repr(value)) for key, value in checked])


@pytest.mark.parametrize("model", [Picked, Strict])
def test_the_registered_model_takes_what_the_tools_own_takes_into_the_same_types(model: type[BaseModel]) -> None:
    bounded = bounded_model(model)
    assert bounded is not model
    for probe in PROBES:
        cases: list[dict[str, Any]] = [{field: probe} for field in FIELDS]
        cases += [{"levels": [probe]}, {"words": {"k": probe}}, {"inner": {"mode": probe}}]
        for args in cases:
            assert _outcome(bounded, args) == _outcome(model, args), args
            try:
                json.dumps(args, allow_nan=False)
            except (TypeError, ValueError):
                continue
            assert _outcome(bounded, args, json_mode=True) == _outcome(model, args, json_mode=True), args


def test_each_refusal_of_a_registered_tools_large_set_is_short() -> None:
    model = bounded_model(Picked)
    args = {"mode": "zz", "name": "zz", "number": "zz", "levels": ["zz"] * 100, "ratio": 9.1, "words": {"a": "x"}}
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**args, "mixed": "zz", "inner": {"mode": "zz"}})
    errors = refused.value.errors(include_url=False)
    assert len(errors) == 107
    assert all(len(error["msg"]) <= MESSAGE_CHARS for error in errors), max(len(e["msg"]) for e in errors)
    assert len(json.dumps(errors, default=str)) < 107 * 3 * MESSAGE_CHARS  # message, its context, the rest
    assert errors[0]["msg"].startswith("Input should be 'v0', 'v1', ") and "(one of 20,000 values)" in errors[0]["msg"]


def test_the_registered_model_is_the_tools_own_to_every_reader() -> None:
    model = bounded_model(Picked)
    assert issubclass(model, Picked) and model.__name__ == "Picked" and model.__doc__ == Picked.__doc__
    assert model.model_json_schema() == Picked.model_json_schema()
    assert model.model_validate({"small": "b"}).model_dump()["small"] == "B"  # its validators run
    assert set_size(model, ("name",)) == SIZE and is_its_set(model, ("name",))
    assert set_size(model, ("levels", 0)) == 2_000 and is_its_set(model, ("levels", 0))
    assert bounded_model(_Small) is _Small  # nothing large: the model itself


class _Small(BaseModel):
    mode: Literal["a", "b"]
    level: enum.IntEnum("Few", {"a": 1, "b": 2}) = 1  # type: ignore[valid-type]


async def _pick(args: BaseModel, ctx: ToolContext) -> dict[str, Any]:
    return {}


def test_a_registered_python_tools_set_is_refused_short_in_validate_and_in_the_run_check() -> None:
    registry = ToolRegistry()
    registry.register(Tool(ToolSpec(name="pick", description="Pick a mode.", input_model=Picked), _pick))
    model = registry.get("pick").spec.input_model
    with pytest.raises(ValidationError) as refused:
        model.model_validate({"levels": ["zz"] * 10})
    assert all(len(error["msg"]) <= MESSAGE_CHARS for error in refused.value.errors())
    assert all(len(str(error.get("ctx", {}))) <= MESSAGE_CHARS for error in refused.value.errors())
    plan = {"nodes": [{"id": f"p{i}", "tool": "pick", "args": {"mode": f"bad{i}"}} for i in range(3)]}
    with pytest.raises(PlanValidationError) as invalid:
        prepare_plan(parse_plan(plan), registry)
    assert len(invalid.value.problems) == 3
    assert all("(one of 20,000 values)" in problem for problem in invalid.value.problems), invalid.value.problems
