"""Planned runs on a real dev server: the titles task end to end, fallback on an open circuit fed by the
shared history, and compensation after a later failure."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

from pydantic import BaseModel
from temporalio.client import Client

from activities.health import read_snapshot
from orchestra.errors import ToolError
from orchestra.health import CircuitState
from orchestra.planning.pipeline import plan_task
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.helpers import http_server, run_plan_to_failure, start_plan, worker_for
from workflows.task import TaskOutcome, TaskRequest, TaskWorkflow

PAGES = {"/a": "Alpha page", "/b": "Beta page", "/c": "Gamma page"}


def _pages(request):
    title = PAGES.get(request.path)
    if title is None:
        return 404, {}, b"nope"
    return (
        200,
        {"Content-Type": "text/html"},
        f"<html><head><title>{title}</title></head><body>x</body></html>".encode(),
    )


async def test_titles_task_plans_and_runs_against_loopback(client: Client, task_queue: str, tmp_path: Path):
    with http_server(_pages) as base:
        task = f"download these three URLs {base}/a {base}/b {base}/c, extract the titles and write them to titles.json"
        result = await plan_task(task, default_registry())
        assert result.execution.plan is not None
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, result.execution.plan.model_dump(mode="json"))
            record = ExecutionRecord.model_validate(await handle.result())
    assert record.success
    assert json.loads((tmp_path / "titles.json").read_text()) == list(PAGES.values())
    downloads = [s for s in record.steps if s.tool == "http_request"]
    assert {s.phase for s in downloads} == {0} and len(downloads) == 3


async def test_task_workflow_analyses_plans_and_runs(client: Client, task_queue: str, tmp_path: Path):
    with http_server(_pages) as base:
        task = f"download these three URLs {base}/a {base}/b {base}/c, extract the titles and write them to titles.json"
        async with worker_for(client, task_queue, tmp_path):
            outcome = await client.execute_workflow(
                TaskWorkflow.run, TaskRequest(task=task), id=f"task-{uuid.uuid4()}", task_queue=task_queue
            )
    outcome = TaskOutcome.model_validate(outcome)
    assert outcome.record is not None and outcome.record.success
    assert [s.selected.tool for s in outcome.planning.selections if s.selected] == [
        "http_request",
        "extract_text",
        "write_file",
    ]
    assert json.loads((tmp_path / "titles.json").read_text()) == list(PAGES.values())


class _FetchIn(BaseModel):
    key: str


def _flaky_and_steady(calls: dict[str, int]) -> list[Tool]:
    async def flaky(args: _FetchIn, ctx: ToolContext) -> dict[str, str]:
        calls["flaky"] = calls.get("flaky", 0) + 1
        raise ToolError("upstream is down", retryable=False, code="http_503")

    async def steady(args: _FetchIn, ctx: ToolContext) -> dict[str, str]:
        calls["steady"] = calls.get("steady", 0) + 1
        return {"value": f"steady:{args.key}"}

    def spec(name: str) -> ToolSpec:
        return ToolSpec(name=name, description=f"{name} fetch", capabilities=["lookup_value"], input_model=_FetchIn)

    return [Tool(spec=spec("flaky_lookup"), run=flaky), Tool(spec=spec("steady_lookup"), run=steady)]


def _lookup_node(node_id: str, depends_on: list[str]) -> dict[str, object]:
    return {
        "id": node_id,
        "tool": "flaky_lookup",
        "args": {"key": node_id},
        "depends_on": depends_on,
        "retry": {"max_attempts": 1},
        "alternatives": [{"tool": "steady_lookup", "args": {"key": node_id}}],
    }


async def test_circuit_opens_after_failures_and_runs_fall_back(client: Client, task_queue: str, tmp_path: Path):
    calls: dict[str, int] = {}
    registry = default_registry()
    for tool in _flaky_and_steady(calls):
        registry.register(tool)
    chain = {
        "name": "lookups",
        "circuit_breaker": {"failures_to_open": 2},
        "nodes": [_lookup_node(f"n{i}", [f"n{i - 1}"] if i else []) for i in range(5)],
    }
    async with worker_for(client, task_queue, tmp_path, registry):
        record = ExecutionRecord.model_validate(await (await start_plan(client, task_queue, chain)).result())
        assert record.success and all(s.tool == "steady_lookup" for s in record.steps)
        assert record.step("n0").fallback_from[0].startswith("flaky_lookup: tool_error")
        assert "circuit open in this run" in record.step("n4").fallback_from[0]
        assert calls["flaky"] == 2, "after two failures the run stopped calling the failing tool"

        # Every call's outcome reached the shared history; with enough failures the circuit opened.
        for _ in range(3):  # more failures from another run, so the shared window crosses the threshold
            await (await start_plan(client, task_queue, {"name": "one", "nodes": [_lookup_node("x", [])]})).result()

        async def circuit_open() -> None:
            while True:
                snap = await read_snapshot(client, task_queue)
                stats = snap.tools.get("flaky_lookup")
                if stats and stats.circuit == CircuitState.OPEN and stats.failures >= 4:
                    return
                await asyncio.sleep(0.2)

        await asyncio.wait_for(circuit_open(), 30)
        snap = await read_snapshot(client, task_queue)
        assert snap.tools["steady_lookup"].successes >= 5 and snap.tools["flaky_lookup"].error_types["http_503"] >= 4

        before = calls["flaky"]
        guarded = {"name": "guarded", "circuit_breaker": {}, "nodes": [_lookup_node("only", [])]}
        record = ExecutionRecord.model_validate(await (await start_plan(client, task_queue, guarded)).result())
    step = record.step("only")
    assert step.tool == "steady_lookup" and step.output == {"value": "steady:only"}
    assert step.fallback_from == ["flaky_lookup: circuit open (shared tool history)"]
    assert calls["flaky"] == before, "an open circuit is not called at all"


async def test_compensation_runs_after_a_later_failure(client: Client, task_queue: str, tmp_path: Path):
    plan = {
        "name": "saga",
        "compensate_on_failure": True,
        "nodes": [
            {"id": "save", "tool": "write_file", "args": {"path": "out/result.txt", "content": "partial"},
             "compensation": {"tool": "delete_file",
                              "args": {"path": "${save.output.path}", "only_if_sha256": "${save.output.sha256}"}}},
            {"id": "keep", "tool": "write_file", "args": {"path": "kept.txt", "content": "no undo"}},
            {"id": "check", "tool": "read_file", "args": {"path": "missing.txt"}, "depends_on": ["save"],
             "retry": {"max_attempts": 1}},
        ],
    }  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    save = record.step("save")
    assert save.compensation is not None and save.compensation.state == StepState.COMPLETED
    assert save.compensation.output["deleted"] is True
    assert not (tmp_path / "out" / "result.txt").exists(), "the completed write was undone"
    assert (tmp_path / "kept.txt").exists() and record.step("keep").compensation is None
    assert record.step("check").state == StepState.ERROR
