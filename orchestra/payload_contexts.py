"""Each payload's serialization context read from the workflow's instance directly, not through the sandbox.

Before encoding or decoding any payload of a workflow task (a step's call, its summary, its result), the SDK asks
the workflow instance for the payload's serialization context and its external-storage context; the sandbox
answers each question by running code in the sandbox (``exec`` with its import hooks applied): two runs per
payload, about three payloads a step. A plan run of 5,000 steps spent two thirds of its worker's time there
(a history of 1,270 steps replayed in 8.8-10.7 s; answered directly, 3.0-4.7 s), in the worker's event loop,
whose hold on the GIL also stalls the workflow thread of every other run: an activation of 32 steps went past
the SDK's 2 s deadlock detector under load, its workflow task failed and was done again.

The answer is a pure read of the instance's state (its info and the command's pending activity, child or signal:
temporalio's ``_WorkflowInstanceImpl.get_serialization_context``) and imports nothing, so the sandbox guards
nothing there. Where the sandbox's instance is not laid out as this SDK version lays it out, the question goes
through the sandbox as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from temporalio import workflow
from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.bridge.proto.workflow_completion import WorkflowActivationCompletion
from temporalio.converter import SerializationContext, StorageDriverStoreContext
from temporalio.worker import WorkflowInstance, WorkflowInstanceDetails, WorkflowRunner

from orchestra.storage.result_target import fails, in_the_parents_folder

if TYPE_CHECKING:
    from temporalio.worker._command_aware_visitor import CommandInfo

# Where the SDK's sandbox (temporalio/worker/workflow_sandbox/_runner.py) keeps the object holding the instance.
_IN_SANDBOX = "__temporal_in_sandbox"


class ContextsOutsideSandbox(WorkflowRunner):
    """``runner``, its instances answering the SDK's context questions without entering the sandbox."""

    def __init__(self, runner: WorkflowRunner) -> None:
        self.runner = runner

    def prepare_workflow(self, defn: workflow._Definition) -> None:
        self.runner.prepare_workflow(defn)

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        return DirectContexts(self.runner.create_instance(det))

    def set_worker_level_failure_exception_types(self, types: Sequence[type[BaseException]]) -> None:
        self.runner.set_worker_level_failure_exception_types(types)


class DirectContexts(WorkflowInstance):
    def __init__(self, instance: WorkflowInstance) -> None:
        self.instance = instance
        # The sandboxed instance's own instance, once it exists (made with the sandbox's first run).
        scope = getattr(instance, "globals_and_locals", None)
        in_sandbox = scope.get(_IN_SANDBOX) if isinstance(scope, dict) else None
        inner = getattr(in_sandbox, "instance", None)
        self.answers: WorkflowInstance = inner if isinstance(inner, WorkflowInstance) else instance
        self.failing = False

    def activate(self, act: WorkflowActivation) -> WorkflowActivationCompletion:
        completion = self.instance.activate(act)
        self.failing = fails(completion)  # its payloads are stored after this returns
        return completion

    def get_serialization_context(self, command_info: CommandInfo | None) -> SerializationContext | None:
        return self.answers.get_serialization_context(command_info)

    def get_external_store_context(self, command_info: CommandInfo | None) -> StorageDriverStoreContext:
        parents = in_the_parents_folder(self.get_info(), command_info, failing=self.failing)
        return parents or self.answers.get_external_store_context(command_info)

    def get_info(self) -> workflow.Info:
        return self.instance.get_info()

    def get_thread_id(self) -> int | None:
        return self.instance.get_thread_id()
