"""The CLI configures structlog when it is first imported; when the module that configures it was what imported it
(the agent models, the workflow code a history is replayed with), configuring it found that module half-imported:
an ImportError, and `watch` of a run no worker serves (its history replayed in the CLI) ended in a traceback."""

from __future__ import annotations

import asyncio
import sys

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env


async def test_structlog_first_imported_by_its_configurer_is_configured() -> None:
    script = (
        "import sys; from orchestra.cli.log_lines import route_log_lines; route_log_lines();"
        "assert 'structlog' not in sys.modules;"
        "import orchestra.telemetry.logging;"  # imports structlog itself, first
        "import structlog; structlog.get_logger('orchestra.test').warning('configured line')"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, cwd=PROJECT_ROOT, env=clean_env(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert not out and "configured line" in err.decode(), (out, err)  # on stderr, as a configured line goes
