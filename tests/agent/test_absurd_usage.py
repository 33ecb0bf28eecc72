"""An endpoint reporting absurd token counts (``"total_tokens": 1e20``, negative ones): summed into the run's
OrchestraTokens search attribute, past Int64, they failed every workflow task of the run (BadSearchAttributes),
which hung for ever. Each count is read within 0 and MAX_CALL_TOKENS. Real HTTP on loopback, the run on the dev
server."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporalio.client import Client

from orchestra.agent.models import AgentExecution
from orchestra.llm.client import MAX_CALL_TOKENS
from tests.agent.support import agent_worker, start_agent
from tests.llm_server import done, scripted


async def test_a_run_told_absurd_token_counts_ends(client: Client, task_queue: str, tmp_path: Path) -> None:
    usage = {"prompt_tokens": 10**20, "completion_tokens": -5, "total_tokens": 10**20}
    with scripted([done(usage=usage)]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 30))
    assert record.success and record.totals.total_tokens == record.totals.prompt_tokens == MAX_CALL_TOKENS
    assert record.totals.completion_tokens == 0
