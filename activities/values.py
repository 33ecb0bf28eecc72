"""Storing values on their own for a workflow (a plan run handing its finished steps to the next run of
its chain): each value becomes one object in the workflow's scope of the external storage, and the
workflow keeps only the reference."""

from __future__ import annotations

from typing import Any

from temporalio import activity
from temporalio.converter import DataConverter, StorageDriverWorkflowInfo

from orchestra.storage.stored import StoredValue
from orchestra.storage.values import store_value, threshold


class ValueActivities:
    def __init__(self, converter: DataConverter | None) -> None:
        self.converter = converter  # the client's: its codec and storage driver

    @activity.defn(name="store_values")
    async def store_values(self, values: list[Any]) -> list[StoredValue] | None:
        """One reference per value, or None when nothing is stored outside the history (ORCHESTRA_STORAGE=off)."""
        if self.converter is None or threshold(self.converter) is None:
            return None
        info = activity.info()
        owner = StorageDriverWorkflowInfo(
            namespace=info.namespace, id=info.workflow_id, run_id=info.workflow_run_id, type=info.workflow_type
        )
        return [await store_value(self.converter, value, owner) for value in values]
