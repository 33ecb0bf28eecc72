"""Under `--json`, every way a command ends is exactly one JSON object on stdout with a non-zero exit code: an
exception no command expected (a bug, a server dropping mid-call) and Ctrl-C printed nothing there (a traceback
or a line on stderr only); a closed stdout (`| head -c0`) made a refused command's JSON a traceback, exit 1."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import pytest

from orchestra.cli import runs
from orchestra.cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_UNREACHABLE
from orchestra.settings import PROJECT_ROOT
from orchestra.telemetry import redaction
from tests.cli.cli import CLIENT, WITH_CTRL_C, Cli, Result, clean_env
from tests.cli.gated_runs import LONG, start

SECRET = "hunter2-the-api-key-9f8e7d"


def one_json_failure(result: Result, code: int) -> dict[str, object]:
    assert result.code == code, (result.code, result.out, result.err)
    said = json.loads(result.out)  # one document: json.loads refuses two
    assert said == {"error": said["error"], "exit_code": code} and said["error"], result.out
    return dict(said)


async def test_an_unexpected_exception_is_one_masked_json_object(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    async def dropped(*_: object, **__: object) -> object:
        raise RuntimeError(f"connection reset while reading; key={SECRET}")

    monkeypatch.setattr(runs, "describe", dropped)
    redaction.remember(SECRET)
    try:
        for args in (("status", "some-id"), ("watch", "some-id"), ("pause", "some-id")):
            result = await cli.here(*args, "--json")
            said = one_json_failure(result, EXIT_FAILED)
            assert "RuntimeError" in str(said["error"]) and SECRET not in result.out + result.err, result.out
            assert "Traceback" in result.err  # a bug is still shown as one, on stderr
        plain = await cli.here("status", "some-id")  # no --json: stdout stays empty
        assert plain.code == EXIT_FAILED and plain.out == "" and SECRET not in plain.err
    finally:
        redaction.forget_all()


async def test_ctrl_c_while_following_a_run_is_one_json_object(cli: Cli, tmp_path: Path) -> None:
    workflow_id = await start(cli, tmp_path, LONG, here=True)  # no worker: the run waits, and so does `watch`
    process = await asyncio.create_subprocess_exec(
        sys.executable, *WITH_CTRL_C, str(CLIENT), "watch", workflow_id, "--json", cwd=PROJECT_ROOT, env=cli.env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    # Following: it has said the run waits for a worker (any Ctrl-C must say the same, this one is the point).
    await asyncio.wait_for(process.stderr.readline(), 120)
    process.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    said = one_json_failure(Result(process.returncode, out.decode(), err.decode()), EXIT_INTERRUPTED)
    assert "interrupted" in str(said["error"]) and workflow_id in str(said["error"])
    assert "Traceback" not in err.decode()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("status", "some-id", "--json"), EXIT_UNREACHABLE),  # refused after parsing
        (("status", "--json"), EXIT_INVALID),  # refused by the command line
        (("validate", "--plan", "/no/such/plan.yaml", "--json"), EXIT_INVALID),
        (("--help",), 0),  # click writes help to sys.stdout itself: exited 1
        (("status", "--help"), 0),
    ],
)
async def test_a_closed_stdout_is_no_traceback_and_keeps_the_code(
    args: tuple[str, ...], code: int, closed_address: str
) -> None:
    command = " ".join([sys.executable, str(CLIENT), *args, "| head -c0", "; exit ${PIPESTATUS[0]}"])
    process = await asyncio.create_subprocess_exec(
        "bash", "-c", command, cwd=PROJECT_ROOT, env=clean_env(TEMPORAL_ADDRESS=closed_address),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == code and out == b"", (process.returncode, err.decode())
    assert b"Traceback" not in err, err.decode()


@pytest.mark.parametrize(
    ("args", "code"),
    [(("status", "some-id", "--json"), EXIT_UNREACHABLE), (("--help",), 0)],
)
async def test_a_closed_stderr_keeps_stdout_one_json_object_and_the_code(
    args: tuple[str, ...], code: int, closed_address: str
) -> None:
    """`2>&-` (attack283): Python's stderr is None, and print(file=None) wrote the error line to stdout before the
    JSON, and flushing None exited 1 whatever the command's code."""
    command = " ".join([sys.executable, str(CLIENT), *args, "2>&-"])
    process = await asyncio.create_subprocess_exec(
        "bash", "-c", command, cwd=PROJECT_ROOT, env=clean_env(TEMPORAL_ADDRESS=closed_address),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == code, (process.returncode, out.decode())
    if "--json" in args:
        one_json_failure(Result(process.returncode, out.decode(), ""), code)
