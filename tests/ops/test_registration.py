"""The worker registers the search attributes itself (as on `client.py up` or a fresh cluster), idempotently."""

from __future__ import annotations

from orchestra import search_attributes as sa
from tests.helpers import start_plan, until, worker_for
from tests.ops.support import fresh_namespace_client


async def test_registration_adds_missing_attributes_once_and_runs_can_upsert_them(temporal_env, task_queue, tmp_path):
    client = await fresh_namespace_client(temporal_env, "fresh")
    namespace = client.namespace
    assert sorted(await sa.register(client)) == sorted(key.name for key in sa.ALL)
    assert await sa.register(client) == []  # a second worker finds them there

    plan = {"name": f"fresh-{namespace}", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]}
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        await handle.result()

    async def found() -> bool:
        return (await client.count_workflows("OrchestraState='completed'")).count == 1

    await until(found)
