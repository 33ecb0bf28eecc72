"""`validate` and `start` exit 2 on every class of bad plan file, with the file and the problem named, and
start nothing.

Each class is checked with the command run in this process (`client.py`'s own code, from the command
line to the exit code and the message); a few run as `client.py` too, for the wiring: the process's
arguments, its environment, its exit code.
"""

from __future__ import annotations

import os

import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from tests.cli.cli import Result, run_client, run_here, use_env
from tests.plan_files import BadFile, bad_files, write

STARTS_REFUSED = ["bomb.yaml", "long-id.yaml", "many-steps.yaml", "compensation.yaml", "lone-surrogate.json"]
NOT_UTF8 = [
    (["start", "--plan", "examples/slow_note.yaml", "--id"], "'--id'"),
    (["status"], "'ID'"),
    (["run"], "'[TASK]'"),
    (["pause", "some-run", "--reason"], "'--reason'"),
    (["approve", "some-run", "--reason"], "'--reason'"),
    (["schedule", "pause", "some-schedule", "--note"], "'--note'"),
    (["schedule", "create", "some-schedule", "--cron", "0 6 * * *", "--task"], "'--task'"),
]
NOT_UTF8_IDS = ["start --id", "status ID", "run TASK", "pause --reason", "approve --reason", "schedule --note",
                "schedule --task"]  # fmt: skip
# An argument's bytes that are not UTF-8 reach Python as half surrogate pairs, which no id or request
# can hold: the request failed in the client, with a traceback.
NOT_UTF8_BYTES = os.fsdecode(b"a\xffb")
NOT_UTF8_SAID = "byte 0xFF at byte offset 1 is not valid UTF-8"  # where, not a '?' on a terminal


def the_bad_file(name: str) -> BadFile:
    [bad] = [b for b in bad_files() if b.name == name]
    return bad


def assert_refused_naming_the_file(result: Result, path: object, bad: BadFile) -> None:
    assert result.code == 2, result.err
    assert str(path) in result.err and "Traceback" not in result.err
    for fragment in bad.says:
        assert fragment in result.err


async def assert_nothing_started(client: Client, workflow_id: str) -> None:
    with pytest.raises(RPCError) as err:
        await client.get_workflow_handle(workflow_id).describe()
    assert err.value.status == RPCStatusCode.NOT_FOUND


@pytest.mark.parametrize("bad", bad_files(), ids=lambda b: b.name)
async def test_validate_exits_2_naming_the_file_and_the_problem(bad, cli_env, tmp_path, monkeypatch, client):
    path = write(tmp_path, bad)
    use_env(monkeypatch, {**cli_env, **dict(bad.env)})
    assert_refused_naming_the_file(await run_here("validate", "--plan", str(path), client=client), path, bad)


@pytest.mark.parametrize("name", ["latin1.yaml", "deep.json", "large.yaml"])
async def test_validate_as_client_py_exits_2_naming_the_file_and_the_problem(name, cli_env, tmp_path):
    """``large.yaml``'s limit is a setting of the environment: the child's, not the test's."""
    bad = the_bad_file(name)
    path = write(tmp_path, bad)
    result = await run_client("validate", "--plan", str(path), env={**cli_env, **dict(bad.env)})
    assert_refused_naming_the_file(result, path, bad)


@pytest.mark.parametrize("name", STARTS_REFUSED)
async def test_start_exits_2_and_starts_nothing(name, cli_env, client: Client, tmp_path, monkeypatch):
    bad = the_bad_file(name)
    workflow_id = f"never-{name}"
    use_env(monkeypatch, {**cli_env, **dict(bad.env)})
    result = await run_here("start", "--plan", str(write(tmp_path, bad)), "--id", workflow_id, client=client)
    assert result.code == 2 and "nothing was started" in result.err
    await assert_nothing_started(client, workflow_id)


async def test_start_as_client_py_exits_2_and_starts_nothing(cli_env, client: Client, tmp_path):
    bad = the_bad_file("many-steps.yaml")
    workflow_id = "never-many-steps-as-client-py"
    env = {**cli_env, **dict(bad.env)}
    result = await run_client("start", "--plan", str(write(tmp_path, bad)), "--id", workflow_id, env=env)
    assert result.code == 2 and "nothing was started" in result.err
    await assert_nothing_started(client, workflow_id)


async def test_an_id_longer_than_temporal_takes_exits_2_and_starts_nothing(cli_env, client: Client, tmp_path):
    workflow_id = "i" * 1001
    result = await run_client("start", "--plan", "examples/slow_note.yaml", "--id", workflow_id, env=cli_env)
    assert result.code == 2 and "1,001 characters" in result.err and "limit.maxIDLength" in result.err
    assert "Traceback" not in result.err


async def test_an_id_temporal_refuses_for_its_bytes_exits_2_and_starts_nothing(cli_env, client: Client):
    """Temporal counts an id's UTF-8 bytes: 600 é are 600 characters but 1,200 bytes."""
    result = await run_client("start", "--plan", "examples/slow_note.yaml", "--id", "é" * 600, env=cli_env)
    assert result.code == 2 and "600 characters, 1,200 bytes" in result.err and "Usage:" in result.err, result.err


@pytest.mark.parametrize(("args", "names"), NOT_UTF8, ids=NOT_UTF8_IDS)
async def test_an_id_a_task_or_a_reason_that_is_not_utf8_exits_2_and_starts_nothing(
    args, names, cli_env, client: Client, monkeypatch
):
    use_env(monkeypatch, cli_env)
    result = await run_here(*args, NOT_UTF8_BYTES, client=client)
    assert result.code == 2 and f"{names}: it holds bytes that are not UTF-8 text: {NOT_UTF8_SAID}" in result.err, (
        result.err
    )


async def test_an_argument_not_utf8_as_client_py_exits_2(cli_env):
    """The bytes as the process gets them: Python's own decoding of its arguments makes the surrogates."""
    args, names = NOT_UTF8[0]
    result = await run_client(*args, NOT_UTF8_BYTES, env=cli_env)
    assert result.code == 2 and f"{names}: it holds bytes that are not UTF-8 text: {NOT_UTF8_SAID}" in result.err, (
        result.err
    )


@pytest.mark.parametrize("command", ["run", "plan"])
async def test_a_plan_file_given_as_the_task_is_said_to_be_one(command, cli_env, client: Client, tmp_path, monkeypatch):
    """`run plan.yaml` planned the words 'plan.yaml' ("no action found in the task"), whatever the file held: a
    binary or latin-1 file's problem (its byte offset, not UTF-8) never came up. It says the argument is a plan file
    and how to run it (exit 2, nothing started)."""
    use_env(monkeypatch, cli_env)
    path = write(tmp_path, the_bad_file("latin1.yaml"))
    result = await run_here(command, str(path), client=client)
    assert result.code == 2, (result.code, result.err)
    assert f"{path} is a plan file, not a task in words: `python client.py run --plan {path}` runs it" in result.err
    assert "no action found" not in result.err, result.err
    checked = await run_here("validate", "--plan", str(path), client=client)  # the way it names: offset, not UTF-8
    assert checked.code == 2 and "not UTF-8 text: byte 0xE9 at byte offset" in checked.err, checked.err
