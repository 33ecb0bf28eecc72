"""Where the plan's check budget runs out, `validate` says what it left to the run: it said nothing, and a plan
of which most steps were checked only as written read as checked whole. Named briefly: the first few places,
and how many in all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, create_model

from orchestra.plan import parse_plan
from orchestra.reference_types import PLAN_SAMPLE_TRIES
from orchestra.registry import ToolRegistry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import UNCHECKED_SHOWN, PreparedPlan, prepare_plan, unchecked_note
from tests.cli.cli import run_here

STEPS = 200


class Named(BaseModel):
    names: list[str] = []
    mode: Literal["overwrite", "append"] = "overwrite"
    name: str = ""  # each step's own: steps written alike are checked once


class Nothing(BaseModel):
    pass


class Made(BaseModel):
    sixteen: Literal[(*[f"w{i}" for i in range(15)], "append")]  # type: ignore[valid-type]


async def _never(args: BaseModel, ctx: ToolContext) -> BaseModel:
    raise AssertionError("validation runs nothing")


TOOLS = ToolRegistry(
    [
        Tool(ToolSpec(name="named", description="names", input_model=Named), _never),
        Tool(ToolSpec(name="make", description="makes", input_model=Nothing, output_model=Made), _never),
    ]
)


def _given(names: int, steps: int = STEPS) -> PreparedPlan:
    nodes = [
        {"id": f"t{i}", "tool": "named", "args": {"names": "${inputs.names}", "name": f"n{i}"}} for i in range(steps)
    ]
    return prepare_plan(parse_plan({"inputs": {"names": [f"n{i}" for i in range(names)]}, "nodes": nodes}), TOOLS)


def test_the_steps_whose_inputs_were_left_to_the_run_are_named() -> None:
    prepared = _given(20_000)  # 200 steps of 20,000 names: past the budget after about 60
    assert 0 < prepared.unchecked_count < STEPS, prepared.unchecked_count
    assert len(prepared.unchecked) == UNCHECKED_SHOWN
    assert all(where.startswith("node 't") for where in prepared.unchecked), prepared.unchecked
    note = unchecked_note(prepared)
    assert note is not None and f"{prepared.unchecked_count:,} of its calls" in note, note
    assert prepared.unchecked[0] in note and f"and {prepared.unchecked_count - UNCHECKED_SHOWN:,} more" in note
    assert len(note) < 600, note  # brief, whatever the plan's size


def test_a_plan_checked_whole_says_nothing() -> None:
    prepared = _given(100)
    assert prepared.unchecked_count == 0 and prepared.unchecked == []
    assert unchecked_note(prepared) is None


def test_steps_written_alike_are_each_named() -> None:
    """One check for all of them, past the budget: each is left to the run."""
    names = [f"n{i}" for i in range(20_000)]
    nodes: list[dict[str, Any]] = [
        {"id": f"b{i}", "tool": "named", "args": {"names": "${inputs.names}", "name": f"b{i}"}} for i in range(80)
    ]
    nodes += [{"id": f"a{i}", "tool": "named", "args": {"names": "${inputs.names}"}} for i in range(30)]
    prepared = prepare_plan(parse_plan({"inputs": {"names": names}, "nodes": nodes}), TOOLS)
    assert prepared.unchecked_count >= 30, prepared.unchecked_count
    assert "\x00" not in "".join(prepared.unchecked)


def test_the_steps_past_the_plans_tries_are_named() -> None:
    steps = PLAN_SAMPLE_TRIES // 16 + 40  # sixteen values tried a step: more than the plan's tries
    nodes: list[dict[str, Any]] = [{"id": "m", "tool": "make"}]
    nodes += [
        {"id": f"t{i}", "tool": "named", "args": {"mode": "${m.output.sixteen}", "name": f"s{i}"}} for i in range(steps)
    ]
    prepared = prepare_plan(parse_plan({"nodes": nodes}), TOOLS)
    assert 40 <= prepared.unchecked_count < steps, prepared.unchecked_count


async def test_validate_says_it_in_its_output_and_its_json(tmp_path: Path) -> None:
    """A built-in tool given a long text by 200 steps: the budget is spent on the text's checks."""
    nodes = [
        {"id": f"w{i}", "tool": "write_file", "args": {"path": f"f{i}.txt", "content": "${inputs.text}"}}
        for i in range(STEPS)
    ]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"name": "big", "inputs": {"text": "x" * 2_000_000}, "nodes": nodes}))
    shown = await run_here("validate", "--plan", str(path), "--json", client=None)
    assert shown.code == 0, shown.err
    found = json.loads(shown.out)
    assert found["valid"] and 0 < found["unchecked_count"] < STEPS, found.get("unchecked_count")
    assert found["unchecked"][0].startswith("node 'w") and len(found["unchecked"]) == UNCHECKED_SHOWN
    said = await run_here("validate", "--plan", str(path), client=None)
    assert said.code == 0 and "is valid" in said.out, said.err
    assert f"{found['unchecked_count']:,} of its calls were checked as written" in said.err, said.err


Wide = create_model("Wide", **{f"w{i}": (str, ...) for i in range(1_200)})  # type: ignore[call-overload]
Wides = create_model("Wides", **{f"f{i}": (Wide, ...) for i in range(150)})  # type: ignore[call-overload]


class Kept(BaseModel):
    data: dict[str, Any] = {}


def test_the_references_past_the_plans_schema_reading_are_named() -> None:
    """Each reference reads its own field's schema, 1,000 parts of it at most: 150 of them read past the plan's
    100,000, and the steps of those that were left open are named."""
    tools = ToolRegistry(
        [
            Tool(ToolSpec(name="wide", description="makes", input_model=Nothing, output_model=Wides), _never),
            Tool(ToolSpec(name="kept", description="keeps", input_model=Kept), _never),
        ]
    )
    nodes: list[dict[str, Any]] = [{"id": "m", "tool": "wide"}]
    nodes += [{"id": f"k{i}", "tool": "kept", "args": {"data": f"${{m.output.f{i}}}"}} for i in range(150)]
    prepared = prepare_plan(parse_plan({"nodes": nodes}), tools)
    assert 0 < prepared.unchecked_count <= 60, prepared.unchecked_count
    assert prepared.unchecked[0].startswith("node 'k"), prepared.unchecked
