"""The worker masks its secret settings by value from its first line: TEMPORAL_API_KEY, ORCHESTRA_CODEC_KEY (and the
old keys), every ORCHESTRA_SECRET_*. It never told its log masker of them (a plan's secret only once a call had used
it), so a refused setting, a log line or an MCP server's failure quoting one was masked only if it looked like a key:
a codec key (base64) or a passphrase went out in clear. A real `worker.py`; its words are read for each secret as
written and in the encodings the masker knows."""

from __future__ import annotations

import base64
import json
import shlex
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env
from tests.masked_words import EITHER_MASK, assert_masked
from tests.ops.support import worker_process
from tests.ops.test_host_settings import _process

CODEC_KEY = base64.b64encode(bytes(range(100, 132))).decode()
OLD_CODEC_KEY = base64.b64encode(bytes(range(200, 232))).decode()
PASSPHRASE = "correct horse battery staple"
UNICODE = "pässwört-€-ключ"
METACHARACTERS = "a.b*c(d)[e]+?{2}|^$"


async def test_a_refused_setting_quoting_a_secret_setting_is_masked() -> None:
    """An API key pasted into another variable too: the refusal quotes that variable's value."""
    worker = str(PROJECT_ROOT / "worker.py")
    code, words = await _process(worker, env=clean_env(TEMPORAL_API_KEY=PASSPHRASE, ORCHESTRA_UI_PORT=PASSPHRASE))
    assert code == 2 and "ORCHESTRA_UI_PORT" in words, words
    assert_masked(words, PASSPHRASE)
    code, words = await _process(worker, env=clean_env(ORCHESTRA_CODEC_KEY=CODEC_KEY, ORCHESTRA_UI_PORT=CODEC_KEY))
    assert code == 2 and "ORCHESTRA_UI_PORT" in words, words
    assert_masked(words, CODEC_KEY)


async def test_a_log_line_quoting_a_secret_setting_is_masked(
    temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path
) -> None:
    """An MCP server failing at the worker's start, its stderr quoting the keys: the worker's log line saying so."""
    said = " ".join([CODEC_KEY, OLD_CODEC_KEY, PASSPHRASE, UNICODE, METACHARACTERS, f"https://user:{PASSPHRASE}@host/"])
    registry = tmp_path / "tools.yaml"
    server = {"kind": "mcp", "name": "echoes", "command": ["/bin/sh", "-c", f"echo {shlex.quote(said)} >&2; exit 3"]}
    registry.write_text(json.dumps({"version": 1, "tools": [server]}))
    secrets = {
        "ORCHESTRA_CODEC_KEY": CODEC_KEY,
        "ORCHESTRA_SECRET_DB": PASSPHRASE,
        "ORCHESTRA_SECRET_UNICODE": UNICODE,
        "ORCHESTRA_SECRET_META": METACHARACTERS,
        "ORCHESTRA_CODEC_OLD_KEYS": f"old={OLD_CODEC_KEY}",
    }
    async with worker_process(temporal_env, task_queue, tmp_path, ORCHESTRA_REGISTRY=str(registry), **secrets) as log:
        words = log.read_text()
    assert "MCP server unavailable" in words, words
    assert_masked(words, CODEC_KEY, OLD_CODEC_KEY, PASSPHRASE, UNICODE, METACHARACTERS, mask=EITHER_MASK)
