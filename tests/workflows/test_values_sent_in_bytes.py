"""What a run checks before it sends a value counts the payload's UTF-8 bytes: text of '€' (3 bytes a
character) that fits in characters but not in bytes fails its step or the run naming the limit, where its
workflow task failed with PAYLOADS_TOO_LARGE for ever."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from tests.helpers import start_plan
from tests.storage.conftest import client_with
from worker import create_worker

# Without the check counting bytes the run never ends (its workflow task fails for ever): fail, not stall.
pytestmark = pytest.mark.timeout(120)

EUROS = "€" * 300_000  # 900 KB: three of them are 2.7 MB sent, 0.9 M characters


async def failure_of(handle: WorkflowHandle[Any, Any]) -> ApplicationError:
    with pytest.raises(WorkflowFailureError) as failed:
        await handle.result()
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError), cause
    return cause


async def test_a_call_over_the_limit_in_bytes_fails_its_step(client, task_queue, tmp_path):
    off = Settings(storage="off", task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path.parent)
    plain = client_with(client, off)
    (tmp_path / "part.txt").write_text(EUROS, encoding="utf-8")
    plan = {"name": "euros", "nodes": [
        {"id": "read", "tool": "read_file", "args": {"path": "part.txt"}},
        {"id": "thrice", "tool": "json_query", "args": {"data": ["${read.output.content}"] * 3,
                                                       "expression": "length(@)"}},
        {"id": "other", "tool": "sleep", "args": {"seconds": 0}}]}  # fmt: skip
    async with create_worker(plain, off):
        cause = await failure_of(await start_plan(plain, task_queue, plan))
    record = ExecutionRecord.model_validate(cause.details[0])
    thrice = record.step("thrice")
    assert thrice.state == StepState.ERROR and thrice.attempts == 0 and thrice.error is not None
    assert "is 2,7" in thrice.error.message and "2,097,152 bytes" in thrice.error.message
    assert record.step("read").state == record.step("other").state == StepState.COMPLETED


async def test_a_carry_over_the_limit_in_bytes_fails_the_chain(client, task_queue, tmp_path):
    off = Settings(storage="off", task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path.parent)
    plain = client_with(client, off)
    parts = ["a", "b", "c"]
    for part in parts:
        (tmp_path / f"{part}.txt").write_text(EUROS, encoding="utf-8")
    chain = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}"] if i else parts}
             for i in range(8)]  # fmt: skip
    plan = {"name": "euro-carry", "history_events_per_run": 20, "nodes": [
        *({"id": p, "tool": "read_file", "args": {"path": f"{p}.txt"}} for p in parts), *chain,
        *({"id": f"use_{p}", "tool": "json_query", "args": {"data": f"${{{p}.output.content}}", "expression": "length(@)"},
           "depends_on": ["s7"]} for p in parts)]}  # fmt: skip
    async with create_worker(plain, off):
        cause = await failure_of(await start_plan(plain, task_queue, plan))
    assert cause.type == "value_too_large", cause
    assert "what the next run of the chain gets is" in cause.message and "2,097,152 bytes" in cause.message
    record = ExecutionRecord.model_validate(cause.details[0])
    assert all(record.step(p).state == StepState.COMPLETED for p in parts), "what the run finished is kept"
