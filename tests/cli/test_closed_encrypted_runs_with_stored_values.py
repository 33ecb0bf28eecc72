"""A closed run whose plan is stored outside its history replays in `client.py` with encryption on too: the stored
plan is read through the codec and the namespace the worker wrote it with, and the record shown is every step the
worker had, not what the events alone say (test_closed_runs_with_stored_values.py: the same without a codec)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from orchestra.codec import EncryptionCodec
from orchestra.converter import compose
from orchestra.settings import Settings
from tests.cli.cli import Cli, until, use_env
from tests.cli.gated_runs import start
from tests.cli.test_closed_runs_with_stored_values import BIG, WAITING
from tests.helpers import worker_for

KEY = base64.b64encode(b"k" * 32).decode()


async def cancelled_run(
    temporal_env: WorkflowEnvironment, env: dict[str, str], storage_settings: Settings, task_queue: str, tmp_path: Path
) -> tuple[Cli, str]:
    """A run of BIG (stored outside its history, encrypted) cancelled by `client.py cancel`, its worker gone."""
    session = temporal_env.client
    client = await Client.connect(
        session.service_client.config.target_host,
        namespace=session.namespace,
        data_converter=compose(EncryptionCodec.from_env(env), storage_settings),
    )
    cli = Cli(env, client)
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, BIG, here=True)
        await until(cli, ("status", workflow_id), lambda r: "calling_tool" in r.out, here=True)
        assert (await cli.here("cancel", workflow_id)).code == 0
        assert (await cli.here("result", workflow_id)).code == 1
    return cli, workflow_id


async def test_a_cancelled_encrypted_run_with_a_stored_plan_replays_in_the_cli(
    temporal_env: WorkflowEnvironment, cli_env: dict[str, str], storage_settings: Settings, task_queue: str,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    env = {**cli_env, "ORCHESTRA_CODEC_KEY": KEY}
    use_env(monkeypatch, env)
    cli, workflow_id = await cancelled_run(temporal_env, env, storage_settings, task_queue, tmp_path)
    shown = await cli("status", workflow_id, "--json")  # as `client.py`, with no worker left
    assert shown.code == 0, shown.err
    assert "does not replay" not in shown.err, shown.err
    assert shown.json["record_rebuilt_from_history"] is False
    steps = shown.json["record"]["steps"]
    assert len(steps) == WAITING + 1 and steps[0]["state"] == "cancelled", steps[0]


async def test_a_client_without_the_workers_key_or_storage_says_so_not_that_the_code_changed(
    temporal_env: WorkflowEnvironment, cli_env: dict[str, str], storage_settings: Settings, task_queue: str,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """`status` with no ORCHESTRA_CODEC_KEY, or no ORCHESTRA_STORAGE_DIR: the replay refused the unreadable request
    before its first patch, and `status` said the workflow code had changed, under a core SDK nondeterminism warning."""
    env = {**cli_env, "ORCHESTRA_CODEC_KEY": KEY}
    use_env(monkeypatch, env)
    cli, workflow_id = await cancelled_run(temporal_env, env, storage_settings, task_queue, tmp_path)
    for lacking in ("ORCHESTRA_CODEC_KEY", "ORCHESTRA_STORAGE_DIR"):
        shown = await Cli({k: v for k, v in env.items() if k != lacking}, cli.client)("status", workflow_id)
        assert shown.code == 0, (lacking, shown.err)
        assert "the run's input cannot be read here" in shown.err, (lacking, shown.err)
        assert "Nondeterminism" not in shown.err and "code changed" not in shown.err, (lacking, shown.err)
