"""A worker embedded in an application (create_worker, run with ``async with``) does what worker.py's main() did for
its worker alone: it registers the search attributes its namespace lacks (an embedded worker's runs stalled on their
first upsert in a fresh namespace), collects garbage at GC_THRESHOLDS while it runs (Python's defaults, which made a
large plan's activation mostly collection), says how tool processes are confined, and flushes and shuts tracing down
when it stops (its last spans were lost to an application leaving by os._exit)."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from orchestra import search_attributes as sa
from orchestra.telemetry import tracing
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import fresh_namespace_client
from worker import GC_THRESHOLDS, create_worker

PYTHON_DEFAULTS = (700, 10, 10)


async def test_an_embedded_worker_registers_the_search_attributes_its_runs_upsert(
    temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path
) -> None:
    client = await fresh_namespace_client(temporal_env, "embedded")
    plan = {"name": "embedded", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]}

    async def listed() -> set[str]:
        request = ListSearchAttributesRequest(namespace=client.namespace)
        return set((await client.operator_service.list_search_attributes(request)).custom_attributes)

    async with create_worker(client, settings_for(task_queue, tmp_path)):
        await until(listed, lambda names: {key.name for key in sa.ALL} <= names)
        handle = await start_plan(client, task_queue, plan)
        await handle.result()

    async def found() -> bool:
        return (await client.count_workflows("OrchestraState='completed'")).count == 1

    await until(found)


async def test_an_embedded_worker_collects_as_worker_py_and_shuts_tracing_down(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    before = gc.get_threshold()
    gc.set_threshold(*PYTHON_DEFAULTS)  # an application's, as Python starts it
    exporter = InMemorySpanExporter()
    try:
        assert tracing.configure_tracing([exporter], set_global=False) is not None
        notes: list[str] = []
        worker = create_worker(client, settings_for(task_queue, tmp_path), say_note=notes.append)
        async with worker:
            await until(lambda: _noted(notes), lambda said: said)
            assert gc.get_threshold() == GC_THRESHOLDS
            with tracing.tracer().start_as_current_span("the application's"):
                pass
        assert any(note.startswith("tool processes: ") for note in notes), notes
        assert gc.get_threshold() == PYTHON_DEFAULTS, "the application's thresholds are back"
        assert not tracing.enabled(), "tracing shut down with the worker"
        assert [span.name for span in exporter.get_finished_spans()] == ["the application's"], "flushed"
    finally:
        tracing.shutdown_tracing()
        gc.set_threshold(*before)


async def _noted(notes: list[str]) -> bool:
    return any(note.startswith("network: ") for note in notes)


async def test_an_embedded_worker_whose_note_fails_stops_with_the_failure(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """An application's ``say_note`` that raises (its stdout gone, say) ends the worker with that error: the notes were
    said after the worker was marked started, so ``async with`` waited for a shutdown that never came."""

    def gone(note: str) -> None:
        raise BrokenPipeError("stdout closed")

    worker = create_worker(client, settings_for(task_queue, tmp_path), say_note=gone)
    with pytest.raises(BrokenPipeError):
        async with asyncio.timeout(120):  # a ceiling for the hang this test is about, not a margin
            async with worker:
                await asyncio.Event().wait()
