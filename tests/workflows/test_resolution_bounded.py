"""A step's arguments, resolved in the workflow (no output they read is stored outside the history), stop resolving
as soon as what they resolved to passes the value limit the call is checked against anyway. Resolved whole and only
then measured, 6,000 references to a 30,000-character output built and wrote 180 MB in workflow code (2.3 s, past
the deadlock detector), and 20,000 hung the worker for minutes, only for the call to be refused.

A call refused here was refused just after its build before, with no command between: ``call_refused_after_resolving_
whole_before`` (recorded by the code before, 50 references refused at 1,500,327 bytes; replayed by test_replay with
the histories) replays with the new bound."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import default_registry
from orchestra.settings import Settings
from tests.helpers import start_plan
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S
from tests.workflows.test_too_large_to_store import bounded
from worker import create_worker

LIMIT = 40_000  # the worker's value limit: small, so the step is refused after a few references
OUTPUT_CHARS = 30_000  # under the store's 32 KiB threshold: the output stays in the history, resolved in the workflow
REFERENCES = 50
SAID = re.compile(r"resolved is at least ([\d,]+) bytes")


@pytest.mark.parametrize("reference", ["${made.output.result}", "${made.output}", "x ${made.output.result}"])
async def test_resolving_a_steps_arguments_stops_at_the_value_limit(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, reference: str
) -> None:
    made = {"id": "made", "tool": "json_query", "args": {"data": "x" * OUTPUT_CHARS, "expression": "@"}}
    many = {"id": "many", "tool": "json_query", "args": {"data": [reference] * REFERENCES, "expression": "length(@)"},
            "depends_on": ["made"]}  # fmt: skip
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path, LIMIT)
    async with create_worker(limited, worker_settings, default_registry()):
        handle = await start_plan(limited, task_queue, {"name": "many-references", "nodes": [made, many]})
        # A hang check only: the run ends well within it.
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), HANG_CHECK_S)
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", cause
    record = ExecutionRecord.model_validate(cause.details[0])
    assert record.step("made").state == StepState.COMPLETED
    step = record.step("many")
    assert step.state == StepState.ERROR and step.attempts == 0 and step.error is not None, step
    said = SAID.search(step.error.message)
    assert said is not None, step.error.message
    # Stopped at the reference that passed the limit, not after all of them (some 1.5 MB).
    assert LIMIT < int(said[1].replace(",", "")) <= LIMIT + OUTPUT_CHARS + 100, step.error.message
    assert f"is {LIMIT:,} bytes" in step.error.message and "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES" in step.error.message
