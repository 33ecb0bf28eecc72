"""Control that arrives while a run hands over to the next of its chain: after its steps have finished and
before it continues as new, the run stores what it finished (a local activity), and a pause taken then
must hold in the next run, as the update that took it answered."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from temporalio.api.common.v1 import Payload
from temporalio.converter import StorageDriverClaim, StorageDriverStoreContext

from orchestra.control import PauseRequest
from orchestra.record import AgentState
from orchestra.storage.folder import FolderStorageDriver
from tests.control_support import until
from tests.helpers import record_of, start_plan, worker_for
from tests.workflows.test_chain import chain_runs, finished, long_plan
from workflows.orchestration import OrchestrationWorkflow

# The first run's task timeout. While its hand-over's store is held, its workflow task is kept open by heartbeats, each
# at 80% of the timeout, and the pause's update reaches the run only with one: on the default 10 s, 16 s of the test.
HEARTBEAT_AFTER = timedelta(seconds=3)


async def test_a_pause_taken_while_a_run_hands_over_holds_in_the_next_run(client, task_queue, tmp_path, monkeypatch):
    (tmp_path / "big.txt").write_text("small")
    storing, release = asyncio.Event(), asyncio.Event()
    store = FolderStorageDriver.store

    async def held(
        self: FolderStorageDriver, context: StorageDriverStoreContext, payloads: Sequence[Payload]
    ) -> list[StorageDriverClaim]:
        # The first store of the run is its hand-over's (its steps' outputs are small): held until released.
        if not release.is_set():
            storing.set()
            await release.wait()
        return await store(self, context, payloads)

    monkeypatch.setattr(FolderStorageDriver, "store", held)
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(
            client, task_queue, long_plan(3, history_events_per_run=12), task_timeout=HEARTBEAT_AFTER
        )
        await asyncio.wait_for(storing.wait(), 60)
        answer = await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="handing over"))
        assert answer.paused
        release.set()
        # The carry held the control state from before the pause: the next run started unpaused, and ran on.
        record = await until(lambda: record_of(handle), lambda r: chain_runs(r) >= 2)
        assert record.paused and record.pause_reason == "handing over", record.state
        assert record.state == AgentState.PAUSED and record.metrics.pending > 0
        await handle.execute_update(OrchestrationWorkflow.resume_run)
        record = await finished(handle)
    assert record.state == AgentState.COMPLETED
