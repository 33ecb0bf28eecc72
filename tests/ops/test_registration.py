"""The worker registers the search attributes itself (as on `client.py up` or a fresh cluster), idempotently."""

from __future__ import annotations

import uuid
from datetime import timedelta

from google.protobuf.duration_pb2 import Duration
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from orchestra import search_attributes as sa
from tests.helpers import start_plan, until, worker_for


async def test_registration_adds_missing_attributes_once_and_runs_can_upsert_them(temporal_env, task_queue, tmp_path):
    namespace = f"fresh-{uuid.uuid4().hex[:8]}"
    retention = Duration()
    retention.FromTimedelta(timedelta(days=1))
    await temporal_env.client.workflow_service.register_namespace(
        RegisterNamespaceRequest(namespace=namespace, workflow_execution_retention_period=retention)
    )
    target = temporal_env.client.service_client.config.target_host
    client = await Client.connect(target, namespace=namespace, data_converter=pydantic_data_converter)
    assert sorted(await sa.register(client)) == sorted(key.name for key in sa.ALL)
    assert await sa.register(client) == []  # a second worker finds them there

    plan = {"name": f"fresh-{namespace}", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]}
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        await handle.result()

    async def found() -> bool:
        return (await client.count_workflows("OrchestraState='completed'")).count == 1

    await until(found)
