"""`prune-payloads` deletes the stored values of runs the server no longer has, and only those."""

from __future__ import annotations

import json
import os
import time
import uuid

from orchestra.storage.folder import LAYOUT, OWNER_FILE, segment


def stored_values_of(root, workflow_id: str, age_s: float):
    folder = root / LAYOUT / "ns" / "default" / "wf" / segment(workflow_id)
    folder.mkdir(parents=True)
    (folder / OWNER_FILE).write_text(json.dumps({"namespace": "default", "kind": "wf", "id": workflow_id}))
    (folder / ("0" * 64)).write_bytes(b"x" * 2048)
    past = time.time() - age_s
    os.utime(folder, (past, past))
    return folder


async def test_prune_payloads_deletes_only_what_no_run_needs(cli, storage_settings):
    root = storage_settings.storage_folder()
    gone = stored_values_of(root, f"gone-{uuid.uuid4().hex[:6]}", age_s=3 * 3600)
    recent = stored_values_of(root, f"recent-{uuid.uuid4().hex[:6]}", age_s=60)

    dry = await cli("prune-payloads", "--dry-run")
    assert dry.code == 0 and "would delete" in dry.out and gone.name in dry.out and gone.is_dir()
    done = await cli("prune-payloads", "--grace", "2h")
    assert done.code == 0 and gone.name in done.out
    assert not gone.exists() and recent.is_dir()
