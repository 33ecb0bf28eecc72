"""An undo that ended past its budget's end spends the budget, whether or not the workflow saw the budget's timer fire
first (workflows/recovery.py, ENDED_PAST_THE_BUDGET_PATCH): the timer starts when the workflow task that set the end
completes, so it fires that much after the end, and an undo whose end reached the workflow between the two (or with
the timer's firing, resolved first in that activation) let the next undo start after the budget's end.

That window is a workflow task's latency, too short to meet at will: here the undo's worker reports it ended past the
budget's end (its result's ``ended_at``, as the workflow reads it), while the budget's timer is still far off."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner

from activities.tools import ToolActivities
from orchestra.calls import ToolCall, ToolResult
from orchestra.record import StepState
from tests.helpers import failed_record, http_server, json_body, start_plan, worker_for
from tests.workflows.test_replay import _replayer
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undo_budget import saga
from workflows import recovery
from workflows.patches_at_start import ORCHESTRATION_LATER
from workflows.recovery import ENDED_PAST_THE_BUDGET_PATCH

BUDGET_S = 60  # the plan's timeout_s: the undos' budget, its timer far past the test's undos
TIMED_OUT_AFTER = timedelta(seconds=2)  # an undo attempt's start-to-close timeout, here
# An undo's attempts, here: the default 5, timed out one after another with the retries' back-off between them, were
# 18 s of each case's 22; two still end their attempts by timing out.
ATTEMPTS = 2


async def test_an_undo_ending_past_the_budget_lets_no_other_start(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ENDED_PAST_THE_BUDGET_PATCH in ORCHESTRATION_LATER
    tool = ToolActivities._run_tool

    async def ended_late(self: ToolActivities, call: ToolCall, secrets: list[str]) -> ToolResult:
        result = await tool(self, call, secrets)
        if activity.info().activity_id.endswith(".compensate"):
            return result.model_copy(update={"ended_at": result.ended_at + timedelta(seconds=BUDGET_S + 1)})
        return result

    monkeypatch.setattr(ToolActivities, "_run_tool", ended_late)
    requests: list[Any] = []

    def undone(request: Any) -> tuple[int, dict[str, str], bytes]:
        requests.append(request)
        return json_body({"undone": True})

    with http_server(undone) as url:
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, saga(url, BUDGET_S))
            record = await failed_record(handle)
            history = await handle.fetch_history()
    await _replayer().replay_workflow(history)
    tried = [f"u{i}" for i in range(3) if record.step(f"u{i}").compensation is not None]
    assert len(requests) == 1 and len(tried) == 1, f"undos after the budget's end started: {tried}"
    [gap] = [gap for gap in record.undo_gaps if "budget" in gap.reason]
    assert gap.count == 2 and set(gap.nodes) == {"u0", "u1", "u2"} - set(tried), gap


def _saga_with_a_hung_undo(url: str, budget_s: float) -> dict[str, Any]:
    """Three steps one after another, each undone by a request of its own; the newest's (u2's, undone first) never
    answered. One after another: run at once, which ended last (and is undone first) is the machine's to say — a
    loaded fresh-clone run ended u1 last and undid it first."""
    steps = [
        {"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0}, "local": True, "timeout_s": 30,
         "depends_on": [f"u{i - 1}"] if i else [],
         "compensation": {"tool": "http_request", "args": {"url": f"{url}/u{i}", "timeout_s": 60}}}
        for i in range(3)
    ]  # fmt: skip
    check = {"id": "check", **FAILING, "local": True, "depends_on": [s["id"] for s in steps]}
    return {"name": "saga-hung-undo", "compensate_on_failure": True, "timeout_s": budget_s, "nodes": [*steps, check]}


@pytest.mark.parametrize(("budget_s", "undone_after"), [(60, {"u1", "u0"}), (1, set())])
async def test_an_undo_that_times_out_ends_its_attempts_and_the_budget_decides_the_next(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    budget_s: float,
    undone_after: set[str],
) -> None:
    """The timeout path: an undo whose attempts each time out (COMPENSATION_TIMEOUT and COMPENSATION_ATTEMPTS, fewer:
    the workflow code runs unsandboxed here to see them) is recorded failed, and the undos after it start while the budget lasts, not after."""
    monkeypatch.setattr(recovery, "COMPENSATION_TIMEOUT", TIMED_OUT_AFTER)
    monkeypatch.setattr(recovery, "COMPENSATION_ATTEMPTS", ATTEMPTS)
    released = threading.Event()
    asked: list[str] = []

    def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
        asked.append(request.path)
        if request.path.endswith("/u2"):
            released.wait(60)  # past every attempt's timeout: each times out
        return json_body({"undone": True})

    try:
        with http_server(answer) as url:
            runner = UnsandboxedWorkflowRunner()
            async with worker_for(client, task_queue, tmp_path, workflow_runner=runner):
                handle = await start_plan(client, task_queue, _saga_with_a_hung_undo(url, budget_s))
                record = await failed_record(handle)
                history = await handle.fetch_history()
            released.set()
    finally:
        released.set()
    await _replayer().replay_workflow(history)
    hung = record.step("u2").compensation
    assert hung is not None and hung.state == StepState.ERROR and hung.error is not None, hung
    assert "timed out" in hung.error.message.lower() or "timeout" in hung.error.message.lower(), hung.error
    undone = {n for n in ("u1", "u0") if (c := record.step(n).compensation) and c.state == StepState.COMPLETED}
    sent_after = {p.rsplit("/", 1)[-1] for p in asked} - {"u2"}
    assert undone == undone_after == sent_after, asked
    gaps = [gap for gap in record.undo_gaps if "budget" in gap.reason]
    assert [set(gap.nodes) for gap in gaps] == ([] if undone_after else [{"u1", "u0"}]), record.undo_gaps
