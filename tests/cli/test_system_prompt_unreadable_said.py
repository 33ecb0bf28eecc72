"""`agent --system-prompt FILE` says a file it cannot read as the CLI says every file it cannot read (`--plan`'s
"cannot read plan file PATH: No such file or directory"): it printed Python's errno sentence, "[Errno 2] No such file
or directory: 'missing.txt'"."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import CLIENT, run_here, use_env


async def test_a_missing_system_prompt_file_is_said_as_a_plan_file_is(
    cli_env: dict[str, str], client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_env(monkeypatch, {**cli_env, "ORCHESTRA_LLM_BASE_URL": "http://127.0.0.1:9/v1"})  # read before any call
    missing = tmp_path / "missing.txt"
    result = await run_here("agent", "say hello", "--system-prompt", str(missing), client=client)
    assert result.code == 2, result.err
    assert f"cannot read system prompt file {missing}: No such file or directory" in result.err, result.err
    assert "[Errno" not in result.err, result.err


async def test_a_system_prompt_named_pipe_nobody_writes_to_is_refused_at_once(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """The open of a FIFO nobody writes to waited for a writer for ever: read as `--plan`'s file is, it is refused."""
    fifo = tmp_path / "prompt.fifo"
    os.mkfifo(fifo)
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(CLIENT), "agent", "say hello", "--system-prompt", str(fifo), cwd=PROJECT_ROOT,
        env={**cli_env, "ORCHESTRA_LLM_BASE_URL": "http://127.0.0.1:9/v1"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, err = await asyncio.wait_for(process.communicate(), 120)  # a bound for the old hang only
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 2, err
    said = f"{fifo}: not a regular file (a named pipe); give a file holding the system prompt"
    assert said in err.decode(), err
