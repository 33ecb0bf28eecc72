"""A workflow runner wrapping another's, and its instances wrapping the other's: all but what the wrapper changes
handed on as it is (orchestra/signal_refusal.py, orchestra/deadlocked_evictions.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from temporalio import workflow
from temporalio.converter import SerializationContext, StorageDriverStoreContext
from temporalio.worker import WorkflowInstance, WorkflowRunner

if TYPE_CHECKING:
    from temporalio.worker._command_aware_visitor import CommandInfo


class WrappingRunner(WorkflowRunner):
    def __init__(self, runner: WorkflowRunner) -> None:
        self.runner = runner

    def prepare_workflow(self, defn: workflow._Definition) -> None:
        self.runner.prepare_workflow(defn)

    def set_worker_level_failure_exception_types(self, types: Sequence[type[BaseException]]) -> None:
        self.runner.set_worker_level_failure_exception_types(types)


class WrappingInstance(WorkflowInstance):
    def __init__(self, instance: WorkflowInstance) -> None:
        self.instance = instance

    def get_serialization_context(self, command_info: CommandInfo | None) -> SerializationContext | None:
        return self.instance.get_serialization_context(command_info)

    def get_external_store_context(self, command_info: CommandInfo | None) -> StorageDriverStoreContext:
        return self.instance.get_external_store_context(command_info)

    def get_info(self) -> workflow.Info:
        return self.instance.get_info()

    def get_thread_id(self) -> int | None:
        return self.instance.get_thread_id()
