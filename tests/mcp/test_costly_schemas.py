"""A hostile server's schemas (tests/mcp/hostile_server.py) that make a check cost more than the value
checked: each check stays within a budget of steps that grows with the value, whatever the schema, and
the worker's event loop never builds or runs the costly part of a check itself.

Each check is made in the module's checking process (tests/mcp/answering.py), where it could run for hours:
one stuck there fails the test at its deadline instead of holding the suite."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from orchestra.confinement import Confinement
from orchestra.mcp import hub, schemas
from orchestra.mcp import tools as mcp_tools
from tests.mcp.answering import Answering
from tests.mcp.support import mcp_registry, tool_file
from tests.mcp.test_hostile import CONTEXT, NEVER, hostile, settings

CHECK_ARGUMENTS = """
import json, sys
from pathlib import Path
from pydantic import ValidationError
from tests.mcp.support import mcp_registry
from tests.mcp.test_hostile import settings

registry = mcp_registry(settings(Path(sys.argv[1])), Path(sys.argv[2]))
for line in sys.stdin:
    tool, arguments = json.loads(line)
    try:
        registry.get(tool).spec.input_model.model_validate(arguments)
        print(json.dumps({"valid": True}), flush=True)
    except ValidationError as exc:
        errors = exc.errors()
        where = [list(error["loc"]) for error in errors[:20]]
        answer = {"valid": False, "first": errors[0]["msg"], "where": where, "count": len(errors), "last": errors[-1]["msg"]}
        print(json.dumps(answer), flush=True)
"""


Checker = Callable[..., Awaitable[list[dict[str, Any]]]]


@pytest.fixture(scope="module")
async def checked(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Checker]:
    """Each of a tool's ``arguments``' answer, in order, all checked in the module's one checking process."""
    directory = tmp_path_factory.mktemp("costly")
    answering = Answering(CHECK_ARGUMENTS, str(directory), str(tool_file(directory, hostile("costly", timeout_s=60))),
                          deadline_s=NEVER)  # fmt: skip

    async def check(tool: str, *arguments: dict[str, Any]) -> list[dict[str, Any]]:
        return [await answering([tool, each]) for each in arguments]

    try:
        yield check
    finally:
        await answering.close()


async def test_references_fanned_out_by_anyof_are_refused_past_the_budget_not_followed_for_hours(
    checked: Checker,
) -> None:
    """3.6 KB of schema, 24 million leaves for one string: four levels took 66 s, five would take 30 min."""
    [answer] = await checked("h.fanout", {"x": "a"})
    assert answer["valid"] is False and schemas.TOO_COSTLY in answer["first"]


async def test_unique_items_are_checked_by_hashing_not_by_comparing_every_pair(checked: Checker) -> None:
    """jsonschema compares objects pair by pair: 58 s for 4,000 of them (60 KB of arguments)."""
    distinct = [{"n": i, "tags": [i, "x"]} for i in range(20_000)]
    twins = [{"n": 1, "tags": [1, "x"]}, {"tags": [1.0, "x"], "n": 1}, True, 1.5]
    # JSON Schema's equality, not Python's: true is not 1.
    booleans = [1, True, 0, False]
    answers = await checked("h.unique", {"x": distinct}, {"x": twins}, {"x": booleans})
    assert answers[0] == {"valid": True}
    assert answers[1]["valid"] is False and '"uniqueItems": true' in answers[1]["first"]
    assert answers[2] == {"valid": True}


async def test_an_enum_is_looked_up_not_compared_value_by_value(checked: Checker) -> None:
    """6,000 values compared with each of 50,000 items: 300 million comparisons."""
    refused, taken = await checked("h.enum", {"x": ["v5999", *["zz"] * 50_000]}, {"x": ["v0", "v5999"] * 100})
    assert refused["valid"] is False and '$.x[1] breaks its schema\'s "enum": (a value of' in refused["first"], refused
    assert taken == {"valid": True}


async def test_breaches_are_named_in_the_arguments_order_the_first_few_of_many(checked: Checker) -> None:
    """Sorted by their paths as text, ``$.x[10]`` came before ``$.x[2]``; and each of 50,000 refused items was
    a pydantic error (12.7 s, 9.7 MB written) when a few are shown: the rest are counted."""
    ten_apart = ["v0", "v1", "zz", *["v3"] * 7, "zz", *["v3"] * 89, "zz"]
    in_order, many = await checked("h.enum", {"x": ten_apart}, {"x": ["zz"] * 50_000})
    assert in_order["where"] == [["x", 2], ["x", 10], ["x", 100]], in_order
    assert in_order["first"].startswith("the value at $.x[2] breaks"), in_order
    assert many["count"] == mcp_tools.SHOWN_BREACHES + 1, many["count"]
    assert many["where"] == [*(["x", i] for i in range(mcp_tools.SHOWN_BREACHES)), []], many["where"]
    assert many["last"] == f"and {50_000 - mcp_tools.SHOWN_BREACHES:,} more breaches of the server's schema, not listed"


async def test_unexpected_argument_names_are_named_the_first_few_and_a_long_one_by_its_length(checked: Checker) -> None:
    """Every unexpected name was written whole into the refusal: 100,000 of them made 1 MB, one of 10 MB 10 MB."""
    many, long, two = await checked(
        "h.enum", {f"k{i:06}": 1 for i in range(100_000)}, {"y" * 1_000_000: 1}, {"zz": 1, "aa": 2}
    )
    assert many["first"].startswith("Additional properties are not allowed ('k000000', 'k000001', "), many["first"]
    assert many["first"].endswith(" more were unexpected)") and len(many["first"]) < 2 * schemas.MAX_QUOTED, many
    assert long["first"] == "Additional properties are not allowed (a name of 1,000,000 characters was unexpected)"
    assert two["first"] == "Additional properties are not allowed ('aa', 'zz' were unexpected)"


def test_a_long_lists_breach_is_named_by_its_size_without_writing_any_of_it() -> None:
    """Each refused item of an argument wrote the start of the schema's enum again (50,000 items: 5 s of
    CPU): a list of more values than a third of MAX_QUOTED is longer than that before a value is written."""
    written: list[int] = []

    class Value:
        def __str__(self) -> str:
            written.append(1)
            return ""

    error = jsonschema.ValidationError("", validator="enum", validator_value=[Value()] * 67, path=["x"])
    assert schemas.breach(error) == (
        'the value at $.x breaks its schema\'s "enum": (a value of more than 200 characters of JSON: a list of 67 values)'
    )
    assert written == []
    assert schemas.breach(jsonschema.ValidationError("", validator="enum", validator_value=[1] * 66)).endswith(
        ": [" + ", ".join(["1"] * 66) + "]"
    )


async def test_a_subschema_naming_its_own_dialect_stays_on_re2(checked: Checker) -> None:
    """A ``$schema`` inside the schema made jsonschema switch to the dialect's stock validator, and with it
    to Python's re: 1.3 s for 22 characters against ``^(a|a)*$``, doubling with each one more."""
    [answer] = await checked("h.dialect", {"x": "a" * 64 + "!"})
    assert answer["valid"] is False and '"pattern"' in answer["first"]


@contextmanager
def held_until_the_loop_runs(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str
) -> Iterator[Callable[[], asyncio.Task[None]]]:
    """Make ``owner.name`` wait, when called, for the event loop to run a task: called on the loop, it
    waits in vain (the loop is the one waiting) and raises; called in a thread, the loop lets it go."""
    original = getattr(owner, name)
    called, released = threading.Event(), threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:
        called.set()
        if not released.wait(20):
            raise AssertionError(f"{name} held the event loop: the loop could not run while it worked")
        return original(*args, **kwargs)

    async def release() -> None:
        await asyncio.to_thread(called.wait, NEVER)
        released.set()

    monkeypatch.setattr(owner, name, held)
    yield lambda: asyncio.create_task(release())


async def test_an_output_schema_is_built_and_checked_off_the_event_loop(tmp_path, monkeypatch):
    """Building the validator of a 64 KiB output schema held the worker's event loop 0.2 s to 1.5 s (its
    meta-schema check), and the check itself grows with the answer."""
    path = tool_file(tmp_path, hostile("output-big", 800, timeout_s=60))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        tool = registry.get("h.plain")
        with held_until_the_loop_runs(monkeypatch, schemas, "output_checker") as release:
            releaser = release()
            output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
            await releaser
        assert output.json_ == {"p0": "a0b"}
    finally:
        await registry.aclose()


async def test_an_output_schema_fanned_out_fails_the_call_within_its_budget(tmp_path):
    path = tool_file(tmp_path, hostile("output-fanout", 8, timeout_s=60))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        tool = registry.get("h.plain")
        with pytest.raises(Exception, match=schemas.TOO_COSTLY) as failed:
            await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
        assert getattr(failed.value, "code", None) == "mcp_bad_result"
    finally:
        await registry.aclose()


async def test_an_output_of_many_events_each_one_of_twenty_kinds_is_checked_whole_within_its_budget(tmp_path):
    """jsonschema's anyOf checked every field of an event against each kind it was not, collecting all their
    errors: about 55 steps a value where the budget gives 20, so 100 events of a 20-kind union were refused
    as too costly, an ordinary answer of a server generated from OpenAPI, a failed call."""
    path = tool_file(tmp_path, hostile("output-union", 20, timeout_s=60))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        tool = registry.get("h.plain")
        output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
        assert len(output.json_["events"]) == 200 and output.json_["events"][-1]["kind"] == "k19"
    finally:
        await registry.aclose()


@pytest.mark.parametrize("union", ["anyOf", "oneOf"])
def test_a_union_tried_branch_by_branch_to_the_first_error_refuses_what_it_refused(union):
    kinds = {union: [{"type": "object", "properties": {"kind": {"const": kind}, "n": {"type": "integer"}}}
                     for kind in ("a", "b", "b")]}  # fmt: skip
    checker = schemas.validator(kinds)
    assert schemas.errors(checker, {"kind": "a", "n": 1}) == []
    refused = schemas.errors(checker, {"kind": "c", "n": 1})
    assert [error.message for error in refused] == ["{'kind': 'c', 'n': 1} is not valid under any of the given schemas"]
    assert len(refused[0].context) == 3  # each kind's own error, as jsonschema gives them
    twice = [error.message for error in schemas.errors(checker, {"kind": "b"})]
    assert twice == ([] if union == "anyOf" else [twice[0]]) and (union == "anyOf" or "valid under each of" in twice[0])


async def test_a_listing_refreshed_by_a_worker_is_checked_off_the_event_loop(tmp_path, monkeypatch):
    """A worker lists again while it runs other activities: each listed schema is read against its
    meta-schema (up to 1.5 s for 64 KiB), and a listing has up to 2,000 tools."""
    path = tool_file(tmp_path, hostile("many", 3, timeout_s=60))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path, refresh=True)
    assert registry.mcp is not None
    monkeypatch.setattr(hub, "ON_DEMAND_MIN_S", 0.0)
    try:
        with held_until_the_loop_runs(monkeypatch, mcp_tools, "check_listing") as release:
            releaser = release()
            await asyncio.wait_for(registry.refresh(["h.not-listed"]), NEVER)
            await releaser
        assert "h.t2" in registry
    finally:
        await registry.aclose()


async def test_a_tool_built_on_its_first_call_is_built_off_the_event_loop(tmp_path, monkeypatch):
    """A tool's spec is made on its first use: for an MCP tool its JSON Schema read and a pydantic model
    made, 0.65 s for 2,000 properties, which run_tool did on the worker's event loop."""
    from temporalio.testing import ActivityEnvironment

    from activities.tools import ToolActivities
    from orchestra.calls import ToolCall

    path = tool_file(tmp_path, hostile("output-ok", 3, timeout_s=60))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        activities = ToolActivities(registry, Confinement(workspace=tmp_path / "workspace"))
        call = ToolCall(tool="h.plain", node_id="first.call", args={"x": "a"})
        with held_until_the_loop_runs(monkeypatch, mcp_tools, "arguments_model") as release:
            releaser = release()
            result = await asyncio.wait_for(ActivityEnvironment().run(activities.run_tool, call), NEVER)
            await releaser
        assert result.output["json"] == {"x": "aaa"}, result.output
    finally:
        await registry.aclose()


async def test_the_tools_offered_to_an_agent_are_built_off_the_event_loop(tmp_path, monkeypatch):
    """agent_tools built every offered tool's spec and generated its parameters' schema on the loop: 1.5 s
    for one MCP tool of 2,000 properties, every tool of the registry when the agent is given none."""
    from temporalio.testing import ActivityEnvironment

    from activities.llm_step import AgentActivities

    path = tool_file(tmp_path, hostile("many", 3, timeout_s=60))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        with held_until_the_loop_runs(monkeypatch, mcp_tools, "arguments_model") as release:
            releaser = release()
            infos = await asyncio.wait_for(
                ActivityEnvironment().run(AgentActivities(registry).agent_tools, ["h.t0", "h.t2"]), NEVER
            )
            await releaser
        assert [info.name for info in infos] == ["h.t0", "h.t2"]
    finally:
        await registry.aclose()


async def test_a_pattern_in_ecma_syntax_that_python_does_not_read_is_taken_and_run_on_re2(tmp_path):
    """The schema's own check judged its patterns by Python's re: ^\\p{L}+$ (Unicode letters) made the
    tool unusable ("not a valid JSON Schema"), though RE2, which runs the patterns here, reads it."""
    path = tool_file(tmp_path, hostile("letters", timeout_s=60))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        model = registry.get("h.plain").spec.input_model
        assert model.model_validate({"x": "Zoë"}).model_dump(by_alias=True, exclude_unset=True) == {"x": "Zoë"}
        with pytest.raises(ValidationError, match='"pattern"'):
            model.model_validate({"x": "Zoë 2"})
    finally:
        await registry.aclose()
