"""The worker binds the data converter once per serialization context, not once per payload: the SDK asks for
every payload (some six a step), of two or three contexts (the workflow's, the step's activity's), and each
binding copied the storage (its drivers bound to the workflow) and the codec. A binding is still its context's
own: another workflow's context never gets this one's storage or codec."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.converter import SerializationContext, WorkflowSerializationContext

from orchestra.codec import EncryptionCodec
from orchestra.converter import BOUND_COPIES, RefusingDataConverter, compose
from orchestra.record import StepState
from orchestra.settings import Settings
from orchestra.storage.drivers import OwnedStorage
from orchestra.storage.folder import FolderStorageDriver
from tests.helpers import run_plan


async def test_a_plan_run_binds_the_storage_once_per_context(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[SerializationContext] = []
    bound: list[SerializationContext] = []
    ask, bind = RefusingDataConverter.with_context, OwnedStorage.with_context

    def asking(self: RefusingDataConverter, context: SerializationContext) -> RefusingDataConverter:
        asked.append(context)
        return ask(self, context)

    def binding(self: OwnedStorage, context: SerializationContext) -> OwnedStorage:
        bound.append(context)
        return bind(self, context)

    monkeypatch.setattr(RefusingDataConverter, "with_context", asking)
    monkeypatch.setattr(OwnedStorage, "with_context", binding)
    plan = {"nodes": [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(6)]}
    record = await run_plan(client, task_queue, tmp_path, plan)
    assert [step.state for step in record.steps] == [StepState.COMPLETED] * 6
    assert len(asked) > len(set(asked)), "the run asked no context twice: nothing to show"
    assert len(bound) == len(set(bound)), f"{len(bound)} storage bindings for {len(set(bound))} contexts"


def test_each_context_has_its_own_binding(tmp_path: Path) -> None:
    converter = compose(EncryptionCodec(os.urandom(32)), Settings(data_dir=tmp_path))
    mine, theirs = (WorkflowSerializationContext(namespace="default", workflow_id=w) for w in ("mine", "theirs"))
    first = converter.with_context(mine)
    assert converter.with_context(WorkflowSerializationContext(namespace="default", workflow_id="mine")) is first
    other = converter.with_context(theirs)
    for one, workflow_id in ((first, "mine"), (other, "theirs")):
        assert isinstance(one.external_storage, OwnedStorage)
        [driver] = one.external_storage.drivers
        assert isinstance(driver, FolderStorageDriver) and driver.reader is not None
        assert driver.reader.workflow_id == workflow_id
    assert first.payload_codec is not other.payload_codec
    # A binding made from a binding is its context's own, not its parent's kept copy.
    assert first.with_context(theirs).external_storage.drivers[0].reader.workflow_id == "theirs"  # type: ignore[union-attr]


def test_the_copies_kept_are_bounded(tmp_path: Path) -> None:
    converter = compose(None, Settings(data_dir=tmp_path))
    for i in range(BOUND_COPIES + 10):
        converter.with_context(WorkflowSerializationContext(namespace="default", workflow_id=f"w{i}"))
    assert len(converter.__dict__["_bound_copies"]) == BOUND_COPIES
