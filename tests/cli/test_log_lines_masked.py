"""The CLI's log lines (structlog's: an MCP server unavailable; the standard library's) go to stderr masked as all it
says is. structlog was never configured in the CLI: its lines went to stdout (before `--json`'s document) in clear,
a secret setting, an --api-key and a key-shaped word alike; the standard library's were written unmasked in the
text format. Real processes; their words are read for each secret as written and in the encodings the masker knows."""

from __future__ import annotations

import asyncio
import json
import shlex
import sys
from pathlib import Path

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env, run_client
from tests.masked_words import assert_masked

PASSPHRASE = "correct horse battery staple"
UNICODE = "pässwört-€-ключ"
METACHARACTERS = "a.b*c(d)[e]+?{2}|^$"
SHORT = "pin42"
SHAPED = "sk-" + "a1b2c3d4" * 3  # masked by its shape alone: no setting holds it


async def test_a_structlog_line_of_the_cli_is_masked_and_off_stdout(tmp_path: Path) -> None:
    """An MCP server failing as `tools` lists it, its stderr quoting the secrets: the line saying so."""
    said = " ".join([PASSPHRASE, UNICODE, METACHARACTERS, SHORT, SHAPED, f"https://user:{PASSPHRASE}@host/"])
    registry = tmp_path / "tools.yaml"
    server = {"kind": "mcp", "name": "echoes", "command": ["/bin/sh", "-c", f"echo {shlex.quote(said)} >&2; exit 3"]}
    registry.write_text(json.dumps({"version": 1, "tools": [server]}))
    env = clean_env(
        ORCHESTRA_DATA_DIR=str(tmp_path / "data"),
        ORCHESTRA_SECRET_DB=PASSPHRASE,
        ORCHESTRA_SECRET_PIN=SHORT,
        TEMPORAL_API_KEY=UNICODE,
    )
    line = ("--api-key", METACHARACTERS, "tools", "--registry", str(registry), "--json")
    text, as_json = await asyncio.gather(run_client(*line[:-1], env=env), run_client(*line, env=env))
    for result in (text, as_json):
        assert "MCP server unavailable" in result.err, result.err
        assert "MCP server unavailable" not in result.out, result.out
        assert_masked(result.err, PASSPHRASE, UNICODE, METACHARACTERS, SHORT, SHAPED)
    assert isinstance(as_json.json, list), as_json.out  # stdout holds the document alone


async def test_a_standard_library_line_of_the_cli_is_masked() -> None:
    """Logged through the standard library before anything imported structlog (the SDK core's forwarded lines)."""
    script = (
        "import logging, sys; from orchestra.cli.log_lines import route_log_lines;"
        "from orchestra.telemetry.own_lines import remember_when_masking;"
        "remember_when_masking(sys.argv[1]); route_log_lines();"
        "logging.getLogger('temporalio.core').warning('retrying with %s', sys.argv[1] + ' ' + sys.argv[2])"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, PASSPHRASE, SHAPED, cwd=PROJECT_ROOT, env=clean_env(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0 and not out and "retrying with" in err.decode(), (out, err)
    assert_masked(err.decode(), PASSPHRASE, SHAPED)
