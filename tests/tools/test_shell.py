from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from orchestra.confinement import DEFAULT_COMMANDS, Confinement
from orchestra.errors import ToolError, ToolValidationError
from orchestra.tool_spec import ToolContext
from orchestra.tools.shell import run_argv, shell_tool
from tests.helpers import processes_in

TOOL = shell_tool()


async def call(ctx: ToolContext, **args: object) -> dict[str, Any]:
    model = TOOL.spec.input_model.model_validate(args)
    result = await TOOL.run(model, ctx)
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped


def with_sh(workspace: Path) -> ToolContext:
    return ToolContext(confinement=Confinement(workspace=workspace, allowed_commands=(*DEFAULT_COMMANDS, "sh")))


async def wait_all_gone(workspace: Path) -> bool:
    # Liveness polling with a generous ceiling; nothing here asserts how fast it happens.
    for _ in range(200):
        if not processes_in(workspace):
            return True
        await asyncio.sleep(0.05)
    return False


def read_if_present(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


async def wait_for_file(path: Path) -> str:
    for _ in range(200):
        if text := read_if_present(path):
            return text
        await asyncio.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


async def test_argv(ctx: ToolContext) -> None:
    out = await call(ctx, command=["echo", "hello", "$HOME", "*"])
    assert out["exit_code"] == 0
    assert out["stdout"] == "hello $HOME *\n"  # no shell: nothing is expanded
    assert out["stderr"] == ""
    assert out["stdout_truncated"] is False
    assert out["duration_ms"] > 0  # measured, not left at a default


async def test_cmd_string_is_split_not_shelled(ctx: ToolContext) -> None:
    out = await call(ctx, cmd="echo 'a  b' c; ls")
    assert out["stdout"] == "a  b c; ls\n"


def test_exactly_one_of_command_and_cmd() -> None:
    with pytest.raises(ValidationError):
        TOOL.spec.input_model.model_validate({"command": ["true"], "cmd": "true"})
    with pytest.raises(ValidationError):
        TOOL.spec.input_model.model_validate({})
    with pytest.raises(ValidationError):
        TOOL.spec.input_model.model_validate({"cmd": "true", "shell": True})


async def test_stdin(ctx: ToolContext) -> None:
    out = await call(ctx, command=["cat"], stdin="from stdin")
    assert out["stdout"] == "from stdin"


async def test_cwd_inside_workspace(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "sub").mkdir()
    out = await call(ctx, command=["pwd"], cwd="sub")
    assert out["stdout"].strip() == str((workspace / "sub").resolve())
    with pytest.raises(ToolValidationError):
        await call(ctx, command=["pwd"], cwd="..")


async def test_nonzero_exit(ctx: ToolContext) -> None:
    with pytest.raises(ToolError) as info:
        await call(ctx, command=["ls", "no-such-file"])
    assert info.value.retryable is False
    assert info.value.code == "exit_2"
    assert "no-such-file" in str(info.value)  # the stderr tail is in the message
    out = await call(ctx, command=["ls", "no-such-file"], check=False)
    assert out["exit_code"] == 2
    assert "no-such-file" in out["stderr"]


async def test_disallowed_commands(ctx: ToolContext) -> None:
    with pytest.raises(ToolValidationError) as info:
        await call(ctx, command=["rm", "-rf", "x"])
    assert info.value.code == "command_not_allowed"
    with pytest.raises(ToolValidationError) as info:
        await call(ctx, command=["/bin/echo", "x"])
    assert info.value.code == "command_path"
    with pytest.raises(ToolValidationError):
        await call(ctx, cmd="sh -c 'echo hi'")


async def test_environment_does_not_leak(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_SECRET", "hunter2")
    ctx = ToolContext(confinement=Confinement(workspace=workspace, allowed_commands=(*DEFAULT_COMMANDS, "env")))
    out = await call(ctx, command=["env"])
    assert "FAKE_SECRET" not in out["stdout"]
    assert "hunter2" not in out["stdout"]
    assert "PATH=" in out["stdout"]


async def test_extra_env_is_passed(workspace: Path) -> None:
    ctx = ToolContext(
        confinement=Confinement(
            workspace=workspace, extra_env={"GREETING": "hi"}, allowed_commands=(*DEFAULT_COMMANDS, "env")
        )
    )
    out = await call(ctx, command=["env"])
    assert "GREETING=hi" in out["stdout"]


async def test_output_is_capped(workspace: Path) -> None:
    ctx = ToolContext(confinement=Confinement(workspace=workspace, max_output_bytes=10))
    out = await call(ctx, command=["cat"], stdin="y" * 100_000)
    assert out["stdout"] == "y" * 10
    assert out["stdout_truncated"] is True
    assert out["stderr_truncated"] is False


async def test_timeout_kills_everything_the_program_started(workspace: Path) -> None:
    ctx = with_sh(workspace)
    with pytest.raises(ToolError) as info:
        # The timeout only has to outlast starting sh and writing child.pid (a moment); the child would
        # live 30 s more, so killing the sandbox is what ends it.
        await call(ctx, command=["sh", "-c", "sleep 30 & echo $! > child.pid; wait"], timeout_s=3)
    assert info.value.retryable is True
    assert info.value.code == "timeout"
    await wait_for_file(workspace / "child.pid")
    assert await wait_all_gone(workspace), "the background child must be killed with the sandbox"


async def test_timeout_is_clamped(workspace: Path) -> None:
    confinement = Confinement(workspace=workspace, max_timeout_s=0.3, allowed_commands=(*DEFAULT_COMMANDS, "sh"))
    with pytest.raises(ToolError) as info:
        # a script, not "sleep 30": a sleep past the timeout is refused before it starts (never_ends)
        await call(ToolContext(confinement=confinement), command=["sh", "-c", "sleep 30; :"], timeout_s=600)
    assert info.value.code == "timeout"


async def test_cancellation_kills_the_process_group(workspace: Path) -> None:
    ctx = with_sh(workspace)
    # The first heartbeat comes once the program is started and the tool waits on it; child.pid can
    # appear earlier, while the tool is still inside create_subprocess_exec (a cancel there is a
    # different case: asyncio itself then waits for the pipes to close).
    waiting = asyncio.Event()
    ctx.heartbeat = lambda *d: waiting.set()
    task = asyncio.create_task(call(ctx, command=["sh", "-c", "sleep 30 & echo $! > child.pid; wait"]))
    child = int(await wait_for_file(workspace / "child.pid"))
    await asyncio.wait_for(waiting.wait(), 30)
    assert child and processes_in(workspace)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await wait_all_gone(workspace)


async def test_heartbeats_while_running(workspace: Path) -> None:
    # The program runs until the second heartbeat has happened: it can only end if the tool keeps
    # beating while it waits, however slow the machine (a tool that stops beating hits the timeout).
    beats: list[tuple[object, ...]] = []

    def beat(*details: object) -> None:
        beats.append(details)
        if len(beats) == 2:
            (workspace / "beat2").touch()

    ctx = with_sh(workspace)
    ctx.heartbeat = beat
    out = await call(ctx, command=["sh", "-c", "until [ -e beat2 ]; do sleep 0.05; done"], timeout_s=60)
    assert out["exit_code"] == 0
    assert len(beats) >= 2


def test_spec() -> None:
    assert TOOL.spec.side_effects is True
    assert TOOL.spec.idempotent is False
    assert "shell" in TOOL.spec.capabilities


@pytest.mark.parametrize(
    "argv",
    [
        ["cat", "/etc/hostname"],
        ["cat", "../outside.txt"],
        ["head", "-n", "1", "sub/../../outside.txt"],
        ["grep", "-r", "--file=/etc/hostname", "x", "."],
        ["grep", "-f/etc/hostname", "x", "."],
        ["sort", "-o/tmp/outside.txt", "in.txt"],
        ["sort", "-fo/tmp/outside.txt", "in.txt"],
        ["head", "-n1", "-c../x"],
    ],
)
async def test_arguments_naming_paths_outside_the_workspace_are_refused(ctx: ToolContext, argv: list[str]) -> None:
    with pytest.raises(ToolValidationError) as info:
        await call(ctx, command=argv)
    assert info.value.code == "path_outside_workspace"


async def test_paths_inside_the_workspace_and_urls_are_fine(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "sub").mkdir()
    (workspace / "sub" / "notes.txt").write_text("hello\n")
    out = await call(ctx, command=["cat", "sub/notes.txt", str(workspace / "sub" / "notes.txt")])
    assert out["stdout"] == "hello\nhello\n"
    out = await call(ctx, command=["echo", "http://example.com/a/b"])
    assert out["stdout"] == "http://example.com/a/b\n"


@pytest.mark.parametrize("program", ["python3", "python", "env", "git", "sh", "find"])
async def test_interpreters_and_launchers_are_not_allowed_by_default(workspace: Path, program: str) -> None:
    ctx = ToolContext(confinement=Confinement(workspace=workspace))
    with pytest.raises(ToolValidationError) as info:
        await call(ctx, command=[program, "--version"])
    assert info.value.code == "command_not_allowed"


async def test_cancelled_while_spawning_kills_the_whole_group(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The window between the child starting and create_subprocess_exec returning is tiny; hold the
    # real spawn open there so the cancel lands inside it every time. The process is real.
    real_spawn = asyncio.create_subprocess_exec
    started, release = asyncio.Event(), asyncio.Event()

    async def held_spawn(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        process = await real_spawn(*args, **kwargs)
        started.set()
        await release.wait()
        return process

    monkeypatch.setattr(asyncio, "create_subprocess_exec", held_spawn)
    ctx = with_sh(workspace)
    task = asyncio.create_task(call(ctx, command=["sh", "-c", "sleep 300 & echo $! > child.pid; wait"]))
    await asyncio.wait_for(started.wait(), 60)
    pid_file = workspace / "child.pid"
    for _ in range(6000):  # the child writes its pid right after starting
        if pid_file.exists() and pid_file.read_text().strip():
            break
        await asyncio.sleep(0.01)
    task.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 60)
    assert await wait_all_gone(workspace), "the background child outlived the cancelled call"


@pytest.mark.parametrize("args", [{"command": ["echo", "a\0b"]}, {"cmd": "echo a\0b"}], ids=["command", "cmd"])
async def test_a_nul_in_an_argument_is_refused_not_retried(ctx: ToolContext, args: dict[str, Any]) -> None:
    """No program can be given a NUL (C strings end there): it failed as a system error, retried three times;
    refused when the plan is validated, and before the sandbox starts for a described tool's filled argv."""
    with pytest.raises(ValidationError, match="an argument holds a NUL character"):
        TOOL.spec.input_model.model_validate(args)
    with pytest.raises(ToolValidationError, match="an argument holds a NUL character") as refused:
        await run_argv(ctx, ["echo", "a\0b"])
    assert not refused.value.retryable


@pytest.mark.parametrize(
    "args", [{"command": ["echo", "a\ud800"]}, {"command": ["cat"], "stdin": "a\ud800"}], ids=["argument", "stdin"]
)
async def test_a_lone_surrogate_given_to_a_program_is_refused_not_retried(
    ctx: ToolContext, args: dict[str, Any]
) -> None:
    """JSON's "\\ud800" decodes to a character no program can be given: it failed as the worker's own
    UnicodeEncodeError (a system error, retried)."""
    with pytest.raises(ToolValidationError, match="lone surrogate") as refused:
        await call(ctx, **args)
    assert refused.value.code == "bad_text" and not refused.value.retryable


async def test_a_name_that_is_no_utf8_reaches_a_program_as_its_bytes(ctx: ToolContext, workspace: Path) -> None:
    (workspace / os.fsdecode(b"\xff.txt")).write_text("kept")
    out = await call(ctx, command=["cat"], stdin="a\udcffb")  # list_files names such a file so
    assert out["stdout"] == "a\ufffdb"  # the byte 0xff went through; output is decoded with replacements
    assert (await call(ctx, command=["cat", "\udcff.txt"]))["stdout"] == "kept"


async def test_no_program_starts_while_the_disk_keeps_less_than_the_reserve_free(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each program's writes are bounded per file, none in total: a run's steps filled the disk one after
    another. Here the reserve is set above what this disk has free: the step is refused, nothing run."""
    from orchestra import disk_space

    free = os.statvfs(workspace).f_bavail * os.statvfs(workspace).f_frsize
    monkeypatch.setattr(disk_space, "MIN_FREE_BYTES", free + 2**30)
    with pytest.raises(ToolError) as refused:
        await call(with_sh(workspace), command=["sh", "-c", "echo ran > ran.txt"])
    assert refused.value.code == "disk_full" and refused.value.retryable, refused.value
    assert "no program is started" in str(refused.value) and not (workspace / "ran.txt").exists()
    monkeypatch.setattr(disk_space, "MIN_FREE_BYTES", 0)
    assert (await call(with_sh(workspace), command=["sh", "-c", "echo ran > ran.txt"]))["exit_code"] == 0
