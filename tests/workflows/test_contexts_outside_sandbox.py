"""The worker answers the SDK's serialization-context questions (one pair for every payload of every workflow task)
without running code in the sandbox (orchestra/payload_contexts.py), and the answers are the ones the sandbox gave:
an encrypted run whose large output is stored outside the history and read back by the next step completes, and
its saved histories replay (tests/workflows/test_replay.py)."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client
from temporalio.worker.workflow_sandbox import _runner

from orchestra.codec import EncryptionCodec, new_key
from orchestra.converter import compose
from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from tests.helpers import start_plan
from worker import create_worker

pytestmark = pytest.mark.timeout(120)

LARGE = "x" * 100_000  # over the storage threshold: stored outside the history, by the workflow's context


async def test_payload_contexts_are_answered_outside_the_sandbox(
    client: Client, task_queue: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs_in_sandbox: list[str] = []
    run_code = _runner._Instance._run_code

    def counting(self: Any, code: str, **extra_globals: Any) -> None:
        if "context" in code:
            runs_in_sandbox.append(code)
        run_code(self, code, **extra_globals)

    monkeypatch.setattr(_runner._Instance, "_run_code", counting)
    settings = Settings(task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path.parent)
    codec = EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": new_key()})
    config = client.config()
    config["data_converter"] = compose(codec, settings)
    encrypted = Client(**config)
    (tmp_path / "large.txt").write_text(LARGE, encoding="utf-8")
    plan = {"name": "contexts", "nodes": [
        {"id": "read", "tool": "read_file", "args": {"path": "large.txt"}},
        {"id": "count", "tool": "json_query", "args": {"data": "${read.output.content}", "expression": "length(@)"}},
        *({"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["count"]} for i in range(5))]}  # fmt: skip
    async with create_worker(encrypted, settings):
        handle = await start_plan(encrypted, task_queue, plan)
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed", record.error
    assert record.step("read").output_ref is not None, "the large output was stored outside the history"
    count = record.step("count")
    assert count.state == StepState.COMPLETED and count.output == {"result": len(LARGE)}
    assert runs_in_sandbox == [], f"{len(runs_in_sandbox)} context questions ran code in the sandbox"
