"""A closed set of many values refused in a message of a bounded size. pydantic's Literal writes every value of
its set in each refusal, and copies the whole text into each refused value's error as it validates: a tools
file's enum of 100,000 values made each refusal 1.4 MB (its context as much again) before ``said`` cut it to
200 characters, in validate's checks of every step and in the run's; a list of a thousand refused values
held 7 GB. ``one_of`` refuses first, with the set's first values and its size, and is still read as the set
alone (``is_its_set``, ``set_size``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from orchestra.argument_validators import is_its_set, one_of, set_size
from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.temporal_bounds import MESSAGE_CHARS
from orchestra.tools.described import load_tool_file
from orchestra.validation import prepare_plan

VALUES = tuple(f"value{i}" for i in range(100_000))


class Listed(BaseModel):
    modes: list[one_of(VALUES)] = []  # type: ignore[valid-type]
    count: one_of(tuple(range(1_000))) | None = None  # type: ignore[valid-type]
    small: one_of(("a", "b")) = "a"  # type: ignore[valid-type]


def _tools(tmp_path: Path) -> ToolRegistry:
    path = tmp_path / "tools.json"
    inputs = {"mode": {"type": "string", "enum": list(VALUES[:20_000])}, "label": {"type": "string", "default": ""}}
    tool = {"name": "pick", "kind": "command", "description": "Pick a mode.", "argv": ["true"], "inputs": inputs}
    path.write_text(json.dumps({"tools": [tool]}))
    return ToolRegistry(load_tool_file(path))


def test_each_refusal_of_a_large_set_is_short() -> None:
    with pytest.raises(ValidationError) as refused:
        Listed.model_validate({"modes": ["nope"] * 1_000, "count": "1"})
    errors = refused.value.errors(include_url=False)
    assert len(errors) == 1_001
    assert all(len(error["msg"]) <= MESSAGE_CHARS for error in errors), max(len(e["msg"]) for e in errors)
    assert errors[0]["msg"].startswith("Input should be 'value0', 'value1', ")
    assert errors[0]["msg"].endswith(", ... (one of 100,000 values)"), errors[0]["msg"]
    assert errors[-1]["msg"].endswith(", ... (one of 1,000 values)"), errors[-1]["msg"]  # "1" is no 1, as before
    assert len(json.dumps(errors, default=str)) < 1_001 * 2 * MESSAGE_CHARS * 2


@pytest.mark.parametrize(
    ("args", "taken"),
    [
        ({"modes": ["value7", "value99999"]}, True),
        ({"count": 5}, True),
        ({"count": True}, True),  # as a Literal of numbers takes it
        ({"count": 5.0}, True),
        ({"count": 5.5}, False),
        ({"modes": [["value1"]]}, False),  # a list is no member, and no error either
        ({"modes": [{"value1": 1}]}, False),
        ({"small": "c"}, False),
    ],
)
def test_it_takes_what_the_literal_takes(args: dict[str, Any], taken: bool) -> None:
    try:
        Listed.model_validate(args)
    except ValidationError:
        assert not taken
    else:
        assert taken


def test_it_is_read_as_the_set_alone() -> None:
    assert set_size(Listed, ("modes", 0)) == 100_000 and is_its_set(Listed, ("modes", 0))
    assert set_size(Listed, ("count",)) == 1_000 and is_its_set(Listed, ("count",))
    assert Listed.model_json_schema()["properties"]["modes"]["items"]["enum"][:2] == ["value0", "value1"]


def test_a_tools_files_enum_is_refused_in_a_short_message(tmp_path: Path) -> None:
    tools = _tools(tmp_path)
    model = tools.get("pick").spec.input_model
    with pytest.raises(ValidationError) as refused:
        model.model_validate({"mode": "nope"})
    [error] = refused.value.errors(include_url=False)
    assert len(error["msg"]) <= MESSAGE_CHARS and "(one of 20,000 values)" in error["msg"], len(error["msg"])
    assert model.model_validate({"mode": "value42"}).model_dump(by_alias=True)["mode"] == "value42"
    with pytest.raises(PlanValidationError) as invalid:
        plan = {"nodes": [{"id": f"p{i}", "tool": "pick", "args": {"mode": "nope", "label": f"{i}"}} for i in range(3)]}
        prepare_plan(parse_plan(plan), tools)
    assert len(invalid.value.problems) == 3
    assert all("(one of 20,000 values)" in problem and len(problem) < 300 for problem in invalid.value.problems)


def test_a_set_of_one_long_value_is_refused_with_its_start() -> None:
    """Two values, the first of 5,000 characters: its repr is the message pydantic would write whole."""

    class Long(BaseModel):
        value: one_of(("y" * 5_000, "z")) = "z"  # type: ignore[valid-type]

    with pytest.raises(ValidationError) as refused:
        Long.model_validate({"value": "a"})
    message = refused.value.errors()[0]["msg"]
    assert message.startswith("Input should be 'yyy") and message.endswith(", ... (one of 2 values)"), message
    assert len(message) <= MESSAGE_CHARS
