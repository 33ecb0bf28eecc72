"""A process refusing its settings says so in its log's format: a JSON line when the log is JSON lines (the
default off a terminal), the text on a console or when ORCHESTRA_LOG_FORMAT itself is the bad setting. The
worker's other lines were JSON and this one plain text: a log shipper reading the one choked on the other."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env

# Each process that checks its settings first: the worker, the codec server, the network and sandbox checks.
PROCESSES = [[str(PROJECT_ROOT / "worker.py")], ["-m", "orchestra.codec_server"], ["-m", "orchestra.network"],
             ["-m", "orchestra.sandbox"]]  # fmt: skip


def refused(args: list[str], **settings: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=clean_env(**settings),
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr
    return done.stderr


@pytest.mark.parametrize("args", PROCESSES, ids=["worker", "codec_server", "network", "sandbox"])
def test_refused_settings_are_a_json_line_when_the_log_is(args: list[str]) -> None:
    stderr = refused(args, ORCHESTRA_LOG_LEVEL="loud")
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    line = json.loads(lines[0])
    assert line["event"].startswith("error: bad settings: ")
    assert "ORCHESTRA_LOG_LEVEL" in line["event"]
    assert line["level"] == "error"
    assert line["timestamp"]


@pytest.mark.parametrize("settings", [{"ORCHESTRA_LOG_FORMAT": "console", "ORCHESTRA_LOG_LEVEL": "loud"},
                                      {"ORCHESTRA_LOG_FORMAT": "yaml"}])  # fmt: skip
def test_refused_settings_are_text_on_a_console_or_when_the_format_is_unreadable(settings: dict[str, str]) -> None:
    stderr = refused([str(PROJECT_ROOT / "worker.py")], **settings)
    assert stderr.startswith("error: bad settings: ORCHESTRA_LOG_"), stderr
