"""Stored payloads go when the server forgets their workflow; the codec server shows stored values."""

from __future__ import annotations

import json
import os
import time

from temporalio.client import Client

from orchestra.record import ExecutionRecord
from orchestra.storage.display import PREVIEW_BYTES, DisplayCodec, storage_reference
from orchestra.storage.folder import OWNER_FILE
from orchestra.storage.prune import prune_folder
from tests.helpers import run_plan
from tests.storage.test_sizes import payloads_in


async def big_output_run(client: Client, task_queue: str, tmp_path) -> ExecutionRecord:
    """A large output (stored by run_tool, the record keeps its reference) and large arguments (a payload
    the SDK stores, the history keeps the SDK's reference)."""
    (tmp_path / "big.txt").write_text("b" * 60_000)
    plan = {"name": "big", "nodes": [
        {"id": "read", "tool": "read_file", "args": {"path": "big.txt"}},
        {"id": "write", "tool": "write_file", "args": {"path": "copy.txt", "content": "b" * 60_000}}]}  # fmt: skip
    return await run_plan(client, task_queue, tmp_path, plan)


def age(folder, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(folder, (past, past))


async def test_prune_deletes_the_payloads_of_workflows_the_server_no_longer_has(
    client, storage_settings, task_queue, tmp_path
):
    record = await big_output_run(client, task_queue, tmp_path)
    assert record.steps[0].output_ref is not None
    root = storage_settings.storage_folder()
    live = root / record.steps[0].output_ref.claim["path"].rsplit("/", 1)[0]
    gone, fresh = live.parent / "gone-workflow", live.parent / "fresh-workflow"
    for folder, workflow_id in ((gone, "gone-workflow"), (fresh, "fresh-workflow")):
        folder.mkdir()
        (folder / OWNER_FILE).write_text(json.dumps({"namespace": "default", "kind": "wf", "id": workflow_id}))
        (folder / ("0" * 64)).write_bytes(b"x" * 1000)
    for folder in (live, gone):
        age(folder, 7200)

    dry = await prune_folder(client, root, dry_run=True)
    assert "gone-workflow" in dry.deleted and gone.is_dir()
    report = await prune_folder(client, root)

    assert "gone-workflow" in report.deleted and not gone.exists()
    assert record.id not in report.deleted and live.is_dir()  # the server still has this run
    assert fresh.is_dir()  # changed within the grace period: a run may be about to start with it


async def test_the_codec_server_codec_shows_a_stored_value_as_a_preview_with_its_size(
    client, storage_settings, task_queue, tmp_path
):
    record = await big_output_run(client, task_queue, tmp_path)
    history = await client.get_workflow_handle(record.id).fetch_history()
    references = [p for p in payloads_in(history) if storage_reference(p)]
    assert references, "the run stored its large output outside the history"

    codec = DisplayCodec(os.urandom(32))
    codec.storage = client.data_converter.external_storage
    shown = [json.loads(p.data) for p in await codec.decode(references)]
    output = next(s for s in shown if "preview" in s and '"bbbb' in s["preview"])
    assert output["bytes"] > 60_000 and len(output["preview"]) <= PREVIEW_BYTES + 20
    assert output["stored_externally"]["driver"] == "orchestra.folder"

    codec.storage = None  # a codec server without the storage: the reference, described
    [described] = [json.loads(p.data) for p in await codec.decode(references[:1])]
    assert described["not_shown"] == "no storage configured here" and described["bytes"] > 0
