"""A chain's plan handed over by reference (workflows/plan_pieces.py) when the worker encrypts: its pieces are stored
encrypted (no step's arguments readable in the data folder) and read back, and the chain completes."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra import plan_chain
from orchestra.codec import EncryptionCodec, new_key
from orchestra.converter import compose
from orchestra.record import ExecutionRecord
from tests.helpers import settings_for, start_plan
from tests.workflows.test_plan_by_reference import _plan, _started_with
from worker import create_worker

pytestmark = pytest.mark.timeout(120)
MARK = "by-reference-marker-in-a-step"


async def test_an_encrypted_chain_reads_its_plan_back(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_STEPS", 4)
    settings = settings_for(task_queue, tmp_path)
    config = client.config()
    config["data_converter"] = compose(EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": new_key()}), settings)
    encrypted = Client(**config)
    plan = _plan(12)
    plan["nodes"][0]["args"]["content"] = MARK
    async with create_worker(encrypted, settings):
        handle = await start_plan(encrypted, task_queue, plan)
        record = ExecutionRecord.model_validate(await handle.result())
        history = await handle.fetch_history()
    assert record.state.value == "completed" and len(record.runs) >= 3, record.metrics
    request, carry = await _started_with(encrypted, history)
    assert request is None and carry.plan_pieces and len(carry.plan_pieces) == 4
    # This run's own folder only: the data folder is shared with the other tests of this xdist worker (one of them
    # leaves a file of gigabytes there).
    stored = [p for p in settings.storage_folder().rglob("*") if p.is_file() and handle.id in p.as_posix()]
    assert stored and not any(MARK.encode() in p.read_bytes() for p in stored), "a piece stored in the clear"
