"""Every file the CLI reads says where it stops being UTF-8 as a plan file says it (the byte, its offset, line and
column: orchestra/utf8_text.py): `agent --system-prompt` showed Python's codec message ("'utf-8' codec can't decode
byte 0xe9 in position 23: invalid continuation byte"), a tool file only the codec's reason ("invalid continuation
byte"), neither where."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client

from tests.cli.cli import run_here, use_env

LATIN1 = "You answer briefly.\nYou are polite.\nNo café talk.\n".encode("latin-1")
SAID = "not UTF-8 text: byte 0xE9 at byte offset 42 (line 3, column 7) is not valid UTF-8"


async def test_a_system_prompt_not_utf8_is_said_where(
    cli_env: dict[str, str], client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_env(monkeypatch, {**cli_env, "ORCHESTRA_LLM_BASE_URL": "http://127.0.0.1:9/v1"})  # read before any call
    prompt = tmp_path / "prompt.txt"
    prompt.write_bytes(LATIN1)
    result = await run_here("agent", "say hello", "--system-prompt", str(prompt), client=client)
    assert result.code == 2, result.err
    assert f"{prompt}: {SAID}; the system prompt must be UTF-8" in result.err, result.err
    assert "codec" not in result.err, result.err


async def test_a_tool_file_not_utf8_is_said_where(
    cli_env: dict[str, str], client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "tools.yaml"
    tools.write_bytes(LATIN1)
    use_env(monkeypatch, {**cli_env, "ORCHESTRA_REGISTRY": str(tools)})
    result = await run_here("validate", "--plan", "examples/slow_note.yaml", client=client)
    assert result.code == 2, result.err
    assert f"{tools}: cannot read tool file: {SAID}" in result.err, result.err
