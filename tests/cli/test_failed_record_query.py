"""`status` of a live run asks its worker for the record. When the worker answers the query with an error (a
large run's record built past the worker's deadlock timeout at load: "Potential deadlock detected"), `status`
dropped the error and showed no step, saying the run "has not answered yet (busy?)". It says the worker
failed and why, and shows the record rebuilt from the run's history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio import client as client_interceptors
from temporalio.client import Client
from temporalio.worker import (
    HandleQueryInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from tests.cli.cli import Cli, until
from tests.cli.gated_runs import LONG, start
from tests.helpers import worker_for

FAILURE = "the record could not be built"


class FailingRecordQuery(client_interceptors.Interceptor, Interceptor):
    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        class Inbound(WorkflowInboundInterceptor):
            async def handle_query(self, input: HandleQueryInput) -> Any:
                if input.query == "record":
                    raise RuntimeError(FAILURE)
                return await super().handle_query(input)

        return Inbound


async def test_a_worker_s_failed_answer_is_said_and_the_history_shown(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    # The worker inherits its client's interceptors, which are also a worker's.
    config = client.config()
    config["interceptors"] = [FailingRecordQuery()]
    failing = Client(**config)
    async with worker_for(failing, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(cli, ("history", workflow_id), lambda r: "nap" in r.out, here=True)
        shown = await cli.here("status", workflow_id, "--json")
        await cli.here("cancel", workflow_id, "--terminate")
    assert shown.code == 0, shown.err
    assert "worker failed to answer for its record" in shown.err and FAILURE in shown.err, shown.err
    assert shown.json["record_rebuilt_from_history"] is True, shown.json
    assert [s["node_id"] for s in shown.json["record"]["steps"]][:1] == ["nap"], shown.json["record"]
