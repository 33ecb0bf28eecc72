"""An encrypted agent run read by a client without the worker's ORCHESTRA_CODEC_KEY: its history replayed here failed
on the undecodable request, and `status` said its workflow code had changed since, `trajectory` that its history
did not replay. Both now say the run's input cannot be read here, as plan runs do (test_closed_encrypted_runs_with_
stored_values.py)."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from orchestra.codec import EncryptionCodec
from orchestra.converter import compose
from orchestra.settings import Settings
from tests.agent.support import terminated_while_calling
from tests.cli.cli import run_client
from tests.cli.test_closed_encrypted_runs_with_stored_values import KEY

UNREADABLE = "the run's input cannot be read here"


async def test_an_agent_run_read_without_the_workers_key_says_so_not_that_the_code_changed(
    temporal_env: WorkflowEnvironment, cli_env: dict[str, str], storage_settings: Settings, task_queue: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    session = temporal_env.client
    client = await Client.connect(
        session.service_client.config.target_host,
        namespace=session.namespace,
        data_converter=compose(EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": KEY}), storage_settings),
    )
    handle = await terminated_while_calling(client, task_queue, tmp_path)
    keyed = await run_client("trajectory", handle.id, env={**cli_env, "ORCHESTRA_CODEC_KEY": KEY})
    assert keyed.code == 0 and UNREADABLE not in keyed.err, keyed.err
    for command in ("status", "result", "trajectory"):
        shown = await run_client(command, handle.id, env=cli_env)  # no ORCHESTRA_CODEC_KEY
        assert UNREADABLE in shown.err and "ORCHESTRA_CODEC_KEY" in shown.err, (command, shown.err)
        assert "code changed" not in shown.err and "does not replay" not in shown.err, (command, shown.err)
        assert "Traceback" not in shown.err, (command, shown.err)
        assert shown.code == (0 if command == "status" else 1), (command, shown.code, shown.err)  # a terminated run
