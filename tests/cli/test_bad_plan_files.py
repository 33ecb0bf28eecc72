"""`validate` and `start` exit 2 on every class of bad plan file, with the file and the problem named, and
start nothing."""

from __future__ import annotations

import os

import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from tests.cli.cli import run_client
from tests.plan_files import bad_files, write


@pytest.mark.parametrize("bad", bad_files(), ids=lambda b: b.name)
async def test_validate_exits_2_naming_the_file_and_the_problem(bad, cli_env, tmp_path):
    path = write(tmp_path, bad)
    result = await run_client("validate", "--plan", str(path), env={**cli_env, **dict(bad.env)})
    assert result.code == 2, result.err
    assert str(path) in result.err and "Traceback" not in result.err
    for fragment in bad.says:
        assert fragment in result.err


@pytest.mark.parametrize(
    "name", ["bomb.yaml", "long-id.yaml", "many-steps.yaml", "compensation.yaml", "lone-surrogate.json"]
)
async def test_start_exits_2_and_starts_nothing(name, cli_env, client: Client, tmp_path):
    [bad] = [b for b in bad_files() if b.name == name]
    workflow_id = f"never-{name}"
    env = {**cli_env, **dict(bad.env)}
    result = await run_client("start", "--plan", str(write(tmp_path, bad)), "--id", workflow_id, env=env)
    assert result.code == 2 and "nothing was started" in result.err
    with pytest.raises(RPCError) as err:
        await client.get_workflow_handle(workflow_id).describe()
    assert err.value.status == RPCStatusCode.NOT_FOUND


async def test_an_id_longer_than_temporal_takes_exits_2_and_starts_nothing(cli_env, client: Client, tmp_path):
    workflow_id = "i" * 1001
    result = await run_client("start", "--plan", "examples/slow_note.yaml", "--id", workflow_id, env=cli_env)
    assert result.code == 2 and "1,001 characters" in result.err and "limit.maxIDLength" in result.err
    assert "Traceback" not in result.err


async def test_an_id_temporal_refuses_for_its_bytes_exits_2_and_starts_nothing(cli_env, client: Client):
    """Temporal counts an id's UTF-8 bytes: 600 é are 600 characters but 1,200 bytes."""
    result = await run_client("start", "--plan", "examples/slow_note.yaml", "--id", "é" * 600, env=cli_env)
    assert result.code == 2 and "600 characters, 1,200 bytes" in result.err and "Usage:" in result.err, result.err


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["start", "--plan", "examples/slow_note.yaml", "--id"], "'--id'"),
        (["status"], "'ID'"),
        (["run"], "'[TASK]'"),
        (["pause", "some-run", "--reason"], "'--reason'"),
        (["approve", "some-run", "--reason"], "'--reason'"),
        (["schedule", "pause", "some-schedule", "--note"], "'--note'"),
        (["schedule", "create", "some-schedule", "--cron", "0 6 * * *", "--task"], "'--task'"),
    ],
    ids=[
        "start --id",
        "status ID",
        "run TASK",
        "pause --reason",
        "approve --reason",
        "schedule --note",
        "schedule --task",
    ],
)
async def test_an_id_a_task_or_a_reason_that_is_not_utf8_exits_2_and_starts_nothing(
    args, names, cli_env, client: Client
):
    """An argument's bytes that are not UTF-8 reach Python as half surrogate pairs, which no id or request
    can hold: the request failed in the client, with a traceback."""
    result = await run_client(*args, os.fsdecode(b"a\xffb"), env=cli_env)
    assert result.code == 2 and f"{names}: it holds bytes that are not UTF-8 text" in result.err, result.err
