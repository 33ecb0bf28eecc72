"""The worker binds the data converter to each payload's context (the workflow's, a step's) without building a
new payload converter: the SDK's copy built one (and a failure converter) per payload, in the worker's event loop,
where it held the GIL every workflow thread needs; neither depends on the context. What does depend on it (the
codec's nonces, the storage's owner) is still bound."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.converter import (
    ActivitySerializationContext,
    DataConverter,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
    WorkflowSerializationContext,
)

from orchestra.codec import EncryptionCodec
from orchestra.converter import RefusingCodec, RefusingDataConverter, compose
from orchestra.record import StepState
from orchestra.settings import Settings
from tests.helpers import run_plan

STEP = ActivitySerializationContext(
    namespace="default", activity_id="1", activity_type="run_tool", activity_task_queue="q",
    workflow_id="w", workflow_type="OrchestrationWorkflow", is_local=False,
)  # fmt: skip
STORE = StorageDriverStoreContext(
    target=StorageDriverWorkflowInfo(id="w", run_id="r", type="OrchestrationWorkflow", namespace="default")
)


def _counting_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list whose length is the number of our converters built from now on: each builds a payload converter
    and a failure converter (the SDK's own wrapper of the converter, made once an activation, is not ours)."""
    built: list[int] = []

    def counting(self: RefusingDataConverter) -> None:
        built.append(1)
        DataConverter.__post_init__(self)

    monkeypatch.setattr(RefusingDataConverter, "__post_init__", counting, raising=False)
    return built


async def test_a_plan_run_builds_no_payload_converter(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session's client stores large values outside the history, as shipped: its storage takes the context."""
    built = _counting_builds(monkeypatch)
    plan = {"nodes": [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(6)]}
    record = await run_plan(client, task_queue, tmp_path, plan)
    assert [step.state for step in record.steps] == [StepState.COMPLETED] * 6
    assert len(built) == 0, f"{len(built)} converters built for a run of 6 steps"


def test_binding_keeps_the_converters_and_binds_the_codec_and_storage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codec = EncryptionCodec(os.urandom(32))
    converter = compose(codec, Settings(data_dir=tmp_path))
    built = _counting_builds(monkeypatch)
    for bound in (
        converter.with_context(STEP),
        converter._with_contexts(WorkflowSerializationContext(namespace="default", workflow_id="w"), STORE),
    ):
        assert bound.payload_converter is converter.payload_converter
        assert bound.failure_converter is converter.failure_converter
        assert isinstance(bound.payload_codec, RefusingCodec) and bound.payload_codec is not converter.payload_codec
        assert bound.external_storage is not converter.external_storage
    assert len(built) == 0


async def test_a_bound_converter_reads_what_it_wrote(tmp_path: Path) -> None:
    converter = compose(EncryptionCodec(os.urandom(32)), Settings(data_dir=tmp_path)).with_context(STEP)
    value: dict[str, Any] = {"message": "é" * 10}
    assert await converter.decode(await converter.encode([value]), [dict]) == [value]
