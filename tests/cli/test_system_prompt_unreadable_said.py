"""`agent --system-prompt FILE` says a file it cannot read as the CLI says every file it cannot read (`--plan`'s
"cannot read plan file PATH: No such file or directory"): it printed Python's errno sentence, "[Errno 2] No such file
or directory: 'missing.txt'"."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client

from tests.cli.cli import run_here, use_env


async def test_a_missing_system_prompt_file_is_said_as_a_plan_file_is(
    cli_env: dict[str, str], client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_env(monkeypatch, {**cli_env, "ORCHESTRA_LLM_BASE_URL": "http://127.0.0.1:9/v1"})  # read before any call
    missing = tmp_path / "missing.txt"
    result = await run_here("agent", "say hello", "--system-prompt", str(missing), client=client)
    assert result.code == 2, result.err
    assert f"cannot read system prompt file {missing}: No such file or directory" in result.err, result.err
    assert "[Errno" not in result.err, result.err
