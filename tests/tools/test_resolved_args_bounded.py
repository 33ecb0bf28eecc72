"""A step's arguments that reference an output stored outside the history are resolved by run_tool, and were held
to no bound there: ``["${a.output}"] * 300`` with a 1 MB output took 4.5 s and 600 MB only to be measured for the
log, and a plan of 50 MiB holds millions of such references (found by attack287). Now what they add is measured as
they are resolved, against ORCHESTRA_MAX_RESOLVED_ARGS_BYTES: a step over it fails once, not retried, naming the
step, the bound and the size, and the run ends recorded; one within it runs as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.payload_bytes import ENVELOPE_BYTES
from orchestra.record import StepState
from orchestra.references import resolve
from orchestra.resolved_args import SETTING, ResolvedBytes, ResolvedTooLarge, refuse_stored_over
from orchestra.storage.stored import StoredValue
from tests.helpers import run_plan, run_plan_to_failure

OUTPUT_CHARS = 100_000  # a's output: over the storage threshold (32 KiB), so b's call reads it on the worker
LIMIT = 1_000_000  # ten of a's outputs; what each plan below resolves to without the bound fits a local tool's input
TIMES = 20


def _plan(data: Any) -> dict[str, Any]:
    return {
        "name": "resolved-arguments",
        "nodes": [
            {"id": "a", "tool": "json_query", "args": {"data": "x" * OUTPUT_CHARS, "expression": "@"}},
            {"id": "b", "tool": "json_query", "args": {"data": data, "expression": "length(@)"}, "depends_on": ["a"]},
        ],
    }


@pytest.mark.parametrize(
    "data",
    [
        ["${a.output}"] * TIMES,  # whole outputs: refused at their stored sizes, before any is read
        ["${a.output.result}"] * TIMES,  # a part: measured as it is resolved
        ["<${a.output.result}>"] * TIMES,  # written into text, a new string each time
        {f"k{i}": "${a.output.missing || a.output.result}" for i in range(TIMES)},  # alternatives, in an object
    ],
    ids=["whole", "part", "interpolated", "alternatives"],
)
async def test_a_step_whose_resolved_arguments_pass_the_bound_fails_once_naming_it(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Any
) -> None:
    monkeypatch.setenv(SETTING, str(LIMIT))
    record = await run_plan_to_failure(client, task_queue, tmp_path, _plan(data))
    step = record.step("b")
    assert step.state == StepState.ERROR and step.error is not None, step
    error = step.error
    assert error.code == "arguments_too_large" and not error.retryable, error
    assert error.message.startswith("b: ") and SETTING in error.message and f"{LIMIT:,} bytes" in error.message
    assert step.attempts == 1, "refused again by every attempt: not retried"


async def test_a_step_within_the_bound_runs(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SETTING, str(LIMIT))
    record = await run_plan(client, task_queue, tmp_path, _plan(["${a.output}", "${a.output.result}"] * 4))
    assert record.step("b").output == {"result": 8}


def test_stored_outputs_taken_whole_are_counted_before_any_is_read() -> None:
    stored = {"a": StoredValue(driver="folder", claim={}, bytes=ENVELOPE_BYTES + 1_000)}
    refuse_stored_over({"x": ["${a.output}"] * 3, "y": "${a.output.part}"}, stored, 3_100, sent=100)
    with pytest.raises(ResolvedTooLarge, match=r"at least 4,100 bytes"):
        refuse_stored_over({"x": ["${ a.output }"] * 4}, stored, 3_100, sent=100)


def test_resolving_stops_at_the_bound_measuring_a_shared_output_once() -> None:
    output = {"items": list(range(10_000))}
    measured = ResolvedBytes(1_000_000, sent=0)
    taken: list[Any] = []

    def counted(value: Any) -> None:
        taken.append(value)
        measured.add(value)

    with pytest.raises(ResolvedTooLarge):
        resolve({"data": ["${a.output}"] * 1_000_000}, {"a": {"output": output}}, counted)
    size = measured.total // len(taken)
    assert len(taken) == 1_000_000 // size + 1, "it stopped at the first value past the bound"
