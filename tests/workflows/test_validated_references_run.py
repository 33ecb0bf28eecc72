"""Plans validate's output reference check passes are the ones a real run takes: here, text a step read
given to an argument whose own check reads its content (an encoding's name)."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.plan import parse_plan
from orchestra.record import StepState
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan
from tests.helpers import run_plan

PLAN = {
    "nodes": [
        {"id": "named", "tool": "write_file", "args": {"path": "encoding.txt", "content": "latin-1"}},
        {"id": "text", "tool": "write_file", "args": {"path": "a.txt", "content": "café", "encoding": "latin-1"}},
        {"id": "which", "tool": "read_file", "args": {"path": "encoding.txt"}, "depends_on": ["named"]},
        {
            "id": "read",
            "tool": "read_file",
            "args": {"path": "a.txt", "encoding": "${which.output.content}"},
            "depends_on": ["text"],
        },
    ]
}


async def test_an_encoding_read_from_a_file_validates_and_runs(client: Client, task_queue: str, tmp_path: Path) -> None:
    """validate refused it (the encoding check says the same of every text tried), though the run takes it."""
    prepare_plan(parse_plan(PLAN), default_registry())
    record = await run_plan(client, task_queue, tmp_path, PLAN)
    assert [step.state for step in record.steps] == [StepState.COMPLETED] * 4, record.steps
    [read] = [step for step in record.steps if step.node_id == "read"]
    assert read.output is not None and read.output["content"] == "café", read.output
