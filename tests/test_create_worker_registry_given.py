"""``create_worker`` runs the registry it is given, even an empty one: ``registry or default_registry(...)`` read an
empty ToolRegistry (its len() is 0) as none given and ran the built-in tools and the settings' tool files instead,
tools the embedding application had chosen not to offer."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.registry import ToolRegistry
from tests.helpers import settings_for
from worker import create_worker


async def test_an_empty_registry_given_is_the_one_the_worker_runs(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    given = ToolRegistry()
    (tmp_path / "ws").mkdir()
    worker = create_worker(client, settings_for(task_queue, tmp_path / "ws"), given)
    assert "delete_file" in given, "the support tools went into the registry given"
    assert "read_file" not in given, "no built-in tool added to it"
    assert getattr(worker, "registry", given) is given
