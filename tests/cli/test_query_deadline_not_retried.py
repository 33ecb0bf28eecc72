"""A query's own deadline passing (no worker answered in time) is its answer: the SDK reports it as CANCELLED
("Timeout expired"), which the CLI's retry of reads took for a loaded frontend's cancel and sent the query 4 times
(20 s for a 5 s deadline: `status` of a run whose worker polls and does not answer, or is gone)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from orchestra.cli.rpc_retry import GaveUp, retry_reads
from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, start


async def test_a_query_past_its_own_deadline_is_sent_once(task_queue: str, tmp_path: Path, cli: Cli) -> None:
    workflow_id = await start(cli, tmp_path, LONG, here=True)  # no worker: nobody answers its queries
    client = await Client.connect(cli.client.service_client.config.target_host, namespace=cli.client.namespace)
    retry_reads(client, pause_s=0)
    with pytest.raises(RPCError) as raised:
        await client.get_workflow_handle(workflow_id).query("record", rpc_timeout=timedelta(seconds=1))
    assert not isinstance(raised.value, GaveUp), raised.value  # "query_workflow failed 4 times" before
    assert raised.value.status == RPCStatusCode.CANCELLED, raised.value
