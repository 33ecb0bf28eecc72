"""The CLI's own lines on standard error follow the rule every process's own lines do (orchestra/telemetry/
own_lines.py): a JSON line when ORCHESTRA_LOG_FORMAT is json. `client.py` said 'error: bad settings' as plain
text there while the worker, refusing the same setting, wrote a JSON line: a log shipper reading the one format
choked on the other. Unset, the CLI (read by a person, or a script matching 'error:') writes the text."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env, closed_port

BAD = {"ORCHESTRA_LOG_LEVEL": "loud"}


def _stderr(args: list[str], code: int, **settings: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=clean_env(**settings),
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == code, done.stderr
    return done.stderr


def _json_line(stderr: str) -> dict[str, Any]:
    [line] = stderr.splitlines()
    said: dict[str, Any] = json.loads(line)
    return said


def test_the_cli_refuses_settings_in_the_worker_s_json_line_when_the_log_is_json() -> None:
    client = _json_line(
        _stderr([str(PROJECT_ROOT / "client.py"), "status", "x"], 2, ORCHESTRA_LOG_FORMAT="json", **BAD)
    )
    worker = _json_line(_stderr([str(PROJECT_ROOT / "worker.py")], 2, ORCHESTRA_LOG_FORMAT="json", **BAD))
    assert client["event"] == worker["event"] and client["event"].startswith("error: bad settings: "), client
    assert client.keys() == worker.keys() and client["level"] == "error" and client["logger"] == "orchestra.cli"


def test_every_error_of_the_cli_is_a_json_line_when_the_log_is_json() -> None:
    with closed_port() as port:
        stderr = _stderr([str(PROJECT_ROOT / "client.py"), "status", "x"], 3, ORCHESTRA_LOG_FORMAT="json",
                         TEMPORAL_ADDRESS=f"127.0.0.1:{port}")  # fmt: skip
    assert _json_line(stderr)["event"].startswith("error: cannot reach Temporal"), stderr


def test_the_cli_writes_text_unless_the_log_is_json() -> None:
    for settings in ({}, {"ORCHESTRA_LOG_FORMAT": "console"}, {"ORCHESTRA_LOG_FORMAT": "yaml"}):
        stderr = _stderr([str(PROJECT_ROOT / "client.py"), "status", "x"], 2, **BAD, **settings)
        assert stderr.startswith("error: bad settings: ORCHESTRA_LOG_"), stderr


def test_a_bad_command_line_is_one_json_line_when_the_log_is_json() -> None:
    client = str(PROJECT_ROOT / "client.py")
    for args in (["status", "--bogus", "x"], ["nosuchcommand"], ["list", "--limit", "many"]):
        said = _json_line(_stderr([client, *args], 2, ORCHESTRA_LOG_FORMAT="json"))
        assert said["event"].startswith("error: ") and said["level"] == "error", said
        assert "--help" in said["event"], said  # where to look next, as click's own block says
    assert _stderr([client, "status", "--bogus", "x"], 2).startswith("Usage: client.py status")


def test_a_secret_a_refused_setting_quotes_is_masked_in_every_process_s_line() -> None:
    key = "sk-ant-api03-" + "Q7x9" * 8  # an API key set in the wrong variable
    for log_format in ("json", "console"):
        for program in ("client.py", "worker.py"):
            args = [str(PROJECT_ROOT / program), *(["status", "x"] if program == "client.py" else [])]
            stderr = _stderr(args, 2, ORCHESTRA_LOG_FORMAT=log_format, ORCHESTRA_UI_PORT=key)
            assert "bad settings: ORCHESTRA_UI_PORT=" in stderr and key not in stderr, stderr
            assert "[REDACTED]" in stderr, stderr
        said = _stderr([str(PROJECT_ROOT / "client.py"), "list", "--limit", key], 2, ORCHESTRA_LOG_FORMAT=log_format)
        assert "--limit" in said and key not in said and "[REDACTED]" in said, said


def test_a_control_character_typed_on_a_bad_command_line_is_escaped() -> None:
    client = str(PROJECT_ROOT / "client.py")
    for log_format in ("json", "console"):
        stderr = _stderr([client, "list", "--limit", "\x1b]0;owned\x07"], 2, ORCHESTRA_LOG_FORMAT=log_format)
        assert "\x1b" not in stderr and "\x07" not in stderr, stderr


def test_ctrl_c_s_line_is_a_json_line_without_the_terminal_s_blank_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestra.cli.app import interrupted_message
    from orchestra.cli.errors import stderr_line

    monkeypatch.setenv("ORCHESTRA_LOG_FORMAT", "json")
    assert json.loads(stderr_line(interrupted_message(None), "warning"))["event"] == "interrupted"
    following = json.loads(stderr_line(interrupted_message("plan-1"), "warning"))["event"]
    assert following.startswith("interrupted: the CLI stopped following plan-1"), following
    monkeypatch.setenv("ORCHESTRA_LOG_FORMAT", "console")
    assert stderr_line(interrupted_message(None), "warning") == "\ninterrupted"  # ends the terminal's ^C line
