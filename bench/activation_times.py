"""The CPU time of each workflow activation of a recorded run, measured by replaying its history in this process.

A workflow task's duration in the history counts its local activities and the worker's queue too; the SDK's deadlock
detector bounds one activation of the workflow's own code (2 s). Replayed, the same code meets the same activations:
each one's CPU time (``time.thread_time`` of the thread running it) is what the detector's 2 s are spent on, before
the load of a busy machine multiplies it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence

from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.bridge.proto.workflow_completion import WorkflowActivationCompletion
from temporalio.client import WorkflowHistory
from temporalio.converter import DataConverter, SerializationContext, StorageDriverStoreContext
from temporalio.worker import Replayer, WorkflowInstance, WorkflowInstanceDetails, WorkflowRunner
from temporalio.worker._command_aware_visitor import CommandInfo
from temporalio.workflow import Info, _Definition

from worker import GC_THRESHOLDS, WORKFLOWS, workflow_runner


class _Timed(WorkflowInstance):
    def __init__(self, instance: WorkflowInstance, times: list[float]) -> None:
        self.instance, self.times = instance, times

    def activate(self, act: WorkflowActivation) -> WorkflowActivationCompletion:
        began = time.thread_time()
        try:
            return self.instance.activate(act)
        finally:
            self.times.append(time.thread_time() - began)

    def get_serialization_context(self, command_info: CommandInfo | None) -> SerializationContext | None:
        return self.instance.get_serialization_context(command_info)

    def get_external_store_context(self, command_info: CommandInfo | None) -> StorageDriverStoreContext:
        return self.instance.get_external_store_context(command_info)

    def get_info(self) -> Info:
        return self.instance.get_info()

    def get_thread_id(self) -> int | None:
        return self.instance.get_thread_id()


class TimingRunner(WorkflowRunner):
    """The worker's runner, each activation's CPU time appended to ``times`` (seconds)."""

    def __init__(self) -> None:
        self.runner = workflow_runner()
        self.times: list[float] = []

    def prepare_workflow(self, defn: _Definition) -> None:
        self.runner.prepare_workflow(defn)

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        return _Timed(self.runner.create_instance(det), self.times)

    def set_worker_level_failure_exception_types(self, types: Sequence[type[BaseException]]) -> None:
        self.runner.set_worker_level_failure_exception_types(types)


async def activation_seconds(history: WorkflowHistory, converter: DataConverter, namespace: str) -> list[float]:
    """The CPU seconds of each activation of ``history``'s run, replayed (``converter``: the worker's, which reads
    what the run stored outside its history, in the scope of its ``namespace``)."""
    gc.set_threshold(*GC_THRESHOLDS)  # as the worker collects (its full collections are rare), not Python's default
    gc.freeze()
    runner = TimingRunner()
    # debug_mode: no deadlock detector, which a costly activation would trip (its time is what is measured).
    replayer = Replayer(
        workflows=WORKFLOWS, namespace=namespace, data_converter=converter, workflow_runner=runner, debug_mode=True
    )
    await replayer.replay_workflow(history)
    return runner.times
