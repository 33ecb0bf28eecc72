"""`--plan -` reads the plan from standard input, within the bounds a plan file is read in: `run --plan -` said
"cannot read plan file -: No such file or directory", and `--plan /dev/stdin` through a pipe was refused as a named
pipe with nothing said of another way. Each runs `client.py` as a process, its standard input a real pipe."""

from __future__ import annotations

import asyncio
import os
import sys

from temporalio.client import Client

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import CLIENT, TIMEOUT_S, Result

PLAN = b"name: from_a_pipe\nnodes:\n  - id: wait\n    tool: sleep\n    args: {seconds: 0}\n"


async def _piped(*args: str, stdin: bytes | int, env: dict[str, str], shell: str | None = None) -> Result:
    """`client.py ARGS` with ``stdin`` (bytes written to a pipe, or a descriptor), or ``shell`` piped into it."""
    command = [sys.executable, str(CLIENT), *args]
    if shell is not None:  # an endless producer: the shell's pipe, which a reader that stops early closes
        command = ["sh", "-c", f'{shell} | exec "$@"', "sh", *command]
    given = asyncio.subprocess.PIPE if isinstance(stdin, bytes) else stdin
    process = await asyncio.create_subprocess_exec(
        *command, cwd=PROJECT_ROOT, env=env, stdin=given, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(stdin if isinstance(stdin, bytes) else None), TIMEOUT_S)
    assert process.returncode is not None
    return Result(process.returncode, out.decode(), err.decode())


async def test_a_plan_piped_in_starts_as_its_file_would(cli_env: dict[str, str], client: Client) -> None:
    started = await _piped("start", "--plan", "-", stdin=PLAN, env=cli_env)
    assert started.code == 0, started.err
    described = await client.get_workflow_handle(started.out.strip()).describe()
    assert described.id == started.out.strip()
    checked = await _piped("validate", "--plan", "-", stdin=PLAN, env=cli_env)
    assert checked.code == 0 and "plan 'from_a_pipe' is valid" in checked.out, checked.err


async def test_a_piped_plan_that_is_not_utf8_is_said_where(cli_env: dict[str, str]) -> None:
    result = await _piped("validate", "--plan", "-", stdin="name: caf\xe9\n".encode("latin-1"), env=cli_env)
    assert result.code == 2, result.err
    assert "the plan from standard input is invalid" in result.err, result.err
    assert "standard input: not UTF-8 text: byte 0xE9 at byte offset 9 (line 1, column 10)" in result.err, result.err


async def test_an_endless_pipe_is_read_up_to_the_limit_only(cli_env: dict[str, str]) -> None:
    """Read whole, `yes` would be read for ever; the limit's next byte says it is too large."""
    env = {**cli_env, "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES": "8192"}
    result = await _piped("validate", "--plan", "-", stdin=asyncio.subprocess.DEVNULL, env=env, shell="yes name")
    assert result.code == 2, result.err
    assert (
        "standard input: the plan given is larger than 8,192 bytes, the storage limit ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES"
        in (result.err)
    ), result.err


async def test_dev_stdin_through_a_pipe_points_at_the_dash(cli_env: dict[str, str]) -> None:
    result = await _piped("validate", "--plan", "/dev/stdin", stdin=PLAN, env=cli_env)
    assert result.code == 2 and "not a regular file (a named pipe)" in result.err, result.err
    assert "`--plan -` to read one piped to standard input" in result.err, result.err


async def test_a_terminal_is_refused_rather_than_waited_on(cli_env: dict[str, str]) -> None:
    """Nobody pipes a plan into a terminal: the command would sit there, silent, until someone typed one."""
    controller, terminal = os.openpty()
    try:
        result = await _piped("validate", "--plan", "-", stdin=terminal, env=cli_env)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.code == 2 and "standard input is a terminal, not a plan: pipe the plan in" in result.err, result.err
