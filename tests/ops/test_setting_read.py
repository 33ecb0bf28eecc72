"""A setting is checked only where it is read: OPENAI_BASE_URL is never read while ORCHESTRA_LLM_BASE_URL is
given, so an unreadable one left set for another program stopped our worker and CLI at start all the same."""

from __future__ import annotations

import asyncio
import sys

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env, run_client
from tests.ops.support import worker_process

UNREADABLE = "http://h:99999/v1"
GOOD = "http://127.0.0.1:8080/v1"


async def test_an_unreadable_openai_url_not_read_stops_neither_the_worker_nor_the_cli(
    temporal_env, task_queue, tmp_path
):
    async with worker_process(
        temporal_env, task_queue, tmp_path, OPENAI_BASE_URL=UNREADABLE, ORCHESTRA_LLM_BASE_URL=GOOD
    ) as log:
        assert "OPENAI_BASE_URL" not in log.read_text(errors="replace")
    planned = await run_client(
        "plan", "fetch https://example.com", env=clean_env(OPENAI_BASE_URL=UNREADABLE, ORCHESTRA_LLM_BASE_URL=GOOD)
    )
    assert planned.code == 0 and "OPENAI_BASE_URL" not in planned.err, planned.err


async def test_the_openai_url_read_when_ours_is_unset_or_blank_is_still_refused():
    for ours in ({}, {"ORCHESTRA_LLM_BASE_URL": "  "}):
        env = clean_env(OPENAI_BASE_URL=UNREADABLE, **ours)
        refused = await run_client("plan", "fetch https://example.com", env=env)
        worker = await asyncio.create_subprocess_exec(
            sys.executable, str(PROJECT_ROOT / "worker.py"), env=env, stderr=asyncio.subprocess.PIPE
        )
        _, err = await asyncio.wait_for(worker.communicate(), 60)
        for code, said in ((refused.code, refused.err), (worker.returncode, err.decode())):
            assert code == 2 and "OPENAI_BASE_URL=" in said and "Traceback" not in said, said
