"""A worker made by ``create_worker`` (a test's, a user's own script's) masks the secret settings in every log line,
as worker.py's main() does: only main() had the log masker remember them, so an embedded worker's lines (a user's
activity logging its DSN, anything that quotes a setting) were masked only where a call site masked by hand. A real
process, the dev server, its JSON log lines read back."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from temporalio.client import Client

REPO = Path(__file__).resolve().parents[2]

# Connects, makes the worker as an embedding script does, and logs each value of argv[4:] once before the worker
# runs and once while it runs: lines whose call site masks nothing.
SCRIPT = """
import asyncio, json, sys
from pathlib import Path
from temporalio.client import Client
from orchestra.telemetry.logging import configure_logging, get_logger
from tests.helpers import settings_for
from worker import create_worker

async def main(target, task_queue, workspace, said):
    configure_logging(fmt="json", stream=sys.stdout)
    log = get_logger("embedding.script")
    client = await Client.connect(target)
    worker = create_worker(client, settings_for(task_queue, Path(workspace)))
    for text in said:
        log.info("made", said=text)
    async with worker:
        for text in said:
            log.info("running", said=text)

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])))
"""


def forms(secret: str) -> list[str]:
    return [secret, quote(secret, safe=""), base64.b64encode(secret.encode()).decode(), json.dumps(secret)]


async def test_an_embedded_workers_log_lines_mask_every_secret_setting(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # Passphrases: words, no key's shape, known only by their values.
    secrets = {name: f"tide {uuid.uuid4().hex[:6]} lantern {name[-4:].lower()}" for name in (
        "TEMPORAL_API_KEY", "ORCHESTRA_CODEC_SERVER_TOKEN", "ORCHESTRA_SECRET_WAREHOUSE_DSN",
        "ORCHESTRA_OLD_KEY", "OTEL_TOKEN")}  # fmt: skip
    env = {
        **{name: value for name, value in secrets.items() if not name.startswith(("ORCHESTRA_OLD", "OTEL"))},
        "ORCHESTRA_CODEC_OLD_KEYS": f"k1={secrets['ORCHESTRA_OLD_KEY']}",
        "OTEL_EXPORTER_OTLP_HEADERS": f"authorization=Bearer%20{quote(secrets['OTEL_TOKEN'], safe='')}",
    }
    said = [form for secret in secrets.values() for form in forms(secret)]
    (tmp_path / "ws").mkdir()
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", SCRIPT, client.service_client.config.target_host, task_queue, str(tmp_path / "ws"),
         json.dumps(said)],
        cwd=REPO, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    logged = [line for line in lines if line.get("logger") == "embedding.script"]
    assert len(logged) == 2 * len(said), run.stdout[-2000:]
    shown = [text for text in said if text in run.stdout]
    assert not shown, f"in clear in the embedded worker's log: {shown}"
