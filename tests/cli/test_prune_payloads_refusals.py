"""`prune-payloads` in a namespace the server has not: refused, exit 2, nothing deleted (every "not found" there
deleted every value)."""

from __future__ import annotations

import uuid
from pathlib import Path

from orchestra.settings import Settings
from tests.cli.cli import Cli
from tests.cli.test_prune_payloads import stored_values_of


async def test_prune_payloads_refuses_a_namespace_the_server_has_not(cli: Cli, storage_settings: Settings) -> None:
    namespace = f"not-here-{uuid.uuid4().hex[:6]}"
    folder: Path = stored_values_of(storage_settings.storage_folder(), f"gone-{uuid.uuid4().hex[:6]}", 3 * 3600)
    moved = folder.parent.parent.parent / namespace / "wf" / folder.name
    moved.parent.mkdir(parents=True)
    folder.rename(moved)
    refused = await cli("--namespace", namespace, "prune-payloads")
    assert refused.code == 2 and f"the server has no namespace {namespace!r}" in refused.err and moved.is_dir()
