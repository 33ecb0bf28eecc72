"""Fixtures for the CLI tests: a `cli` callable bound to the session server and this test's task queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from orchestra.settings import Settings
from tests.cli.cli import Cli, clean_env, closed_port, use_env


@pytest.fixture
def cli_env(
    temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path, storage_settings: Settings
) -> dict[str, str]:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    return clean_env(
        TEMPORAL_ADDRESS=temporal_env.client.service_client.config.target_host,
        ORCHESTRA_TASK_QUEUE=task_queue,
        ORCHESTRA_WORKSPACE=str(workspace),
        ORCHESTRA_DATA_DIR=str(tmp_path / "data"),
        # The stored payloads the session's workers write (they are built on the session's client).
        ORCHESTRA_STORAGE_DIR=str(storage_settings.storage_folder()),
    )


@pytest.fixture
def cli(cli_env: dict[str, str], temporal_env: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch) -> Cli:
    use_env(monkeypatch, cli_env)  # what `cli.here` runs reads the settings `client.py` would
    return Cli(cli_env, temporal_env.client)


@pytest.fixture
def closed_address() -> Iterator[str]:
    """host:port of a port held closed for the whole test: nothing answers there, nothing can start to."""
    with closed_port() as port:
        yield f"127.0.0.1:{port}"
