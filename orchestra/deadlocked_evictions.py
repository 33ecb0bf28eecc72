"""A run evicted after its activation was timed out as a deadlock is evicted once, after that activation's thread
is done with it, and never retried for ever.

The SDK (temporalio 1.35, worker/_workflow.py) gives an activation 2 s of wall time; a loaded machine made the
product's take longer. The SDK then fails the workflow task and evicts the run, but the thread of the slow activation
runs on (the SDK only asks it to stop, which lands when it next runs Python), and the eviction is run at once in
another thread, on the same instance: the two race over its event loop and tasks, the eviction raises ("Eviction
processed, but N tasks remain"), and the SDK retries it every 2 s for ever when the race left the instance broken.
Core waits for the eviction, so the worker could not shut down, and the run's retried task waited for it.

Here an eviction waits for an activation still running the instance. The SDK's first eviction attempt is answered
at once (the SDK waits 2 s for it, then gives up on it and starts another), and a thread of its own evicts the
instance once the slow activation is over: the run's next task is replayed on a new instance meanwhile, which shares
nothing with the old one. An eviction that still fails leaves the instance to no one: it is kept, never collected,
because collecting it would throw GeneratorExit into its coroutines in whatever thread collects, running their
``finally`` code outside their workflow (the SDK's warning on ``disable_safe_workflow_eviction``, which would do that
to every run evicted). Kept instances are rare (a failed eviction is a bug of ours, logged), and counted.

An activation that never ends (a workflow bug that swallows the SDK's interruption) would take a thread at each task
retry that way: each new instance replays into the same endless code. So while an earlier instance of a run is still
stuck, a later one is not activated: its activation fails at once (Core retries the task later, holding no thread)
and its eviction has nothing to tear down. The run holds one thread, as with the SDK alone, and goes on once the stuck
activation is over.
"""

from __future__ import annotations

import threading

from temporalio.api.failure.v1 import ApplicationFailureInfo
from temporalio.api.failure.v1 import Failure as FailureInfo
from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.bridge.proto.workflow_completion import Failure, Success, WorkflowActivationCompletion
from temporalio.worker import WorkflowInstance, WorkflowInstanceDetails

from orchestra.telemetry.logging import get_logger
from orchestra.wrapped_instances import WrappingInstance, WrappingRunner

# Instances whose eviction failed: held for the process's life (see the module's docstring).
KEPT: list[WorkflowInstance] = []

# Per run id, its instance whose eviction was answered while an activation still ran it, until that one is over.
_STUCK: dict[str, EvictedOnce] = {}
_STUCK_LOCK = threading.Lock()


class DeadlockedEvictionsRunner(WrappingRunner):
    """``runner``'s instances, evicted one activation at a time (see the module's docstring)."""

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        return EvictedOnce(self.runner.create_instance(det))


def _evicting(act: WorkflowActivation) -> bool:
    return any(job.HasField("remove_from_cache") for job in act.jobs)


def _evicted(act: WorkflowActivation) -> WorkflowActivationCompletion:
    return WorkflowActivationCompletion(run_id=act.run_id, successful=Success())


def _refused_while_stuck(act: WorkflowActivation) -> WorkflowActivationCompletion:
    message = (
        "an earlier instance of this run is still in an activation past the deadlock detector: this one is not"
        " activated until that one is over (the task is retried)"
    )
    info = FailureInfo(message=message, application_failure_info=ApplicationFailureInfo(type="EarlierActivationStuck"))
    return WorkflowActivationCompletion(run_id=act.run_id, failed=Failure(failure=info))


def _stuck_other_than(instance: EvictedOnce, run_id: str) -> bool:
    with _STUCK_LOCK:
        return _STUCK.get(run_id, instance) is not instance


class EvictedOnce(WrappingInstance):
    def __init__(self, instance: WorkflowInstance) -> None:
        super().__init__(instance)
        self._running = threading.Lock()  # held by the activation running the instance
        self._evicted = False
        self._activated = False  # an instance never activated has nothing to tear down at its eviction

    def activate(self, act: WorkflowActivation) -> WorkflowActivationCompletion:
        if not _evicting(act):
            with self._running:
                if not self._activated and _stuck_other_than(self, act.run_id):
                    return _refused_while_stuck(act)
                self._activated = True
                return self.instance.activate(act)
        if not self._running.acquire(blocking=False):
            # An activation the SDK timed out still runs (or an eviction of ours it gave up waiting for): evicted
            # after it, in a thread that holds none of the SDK's, which can then go on.
            with _STUCK_LOCK:
                _STUCK.setdefault(act.run_id, self)
            threading.Thread(target=self._evict_after, args=(act,), name="evict-after-deadlock", daemon=True).start()
            return _evicted(act)
        try:
            return self._evict(act)
        finally:
            self._running.release()

    def _evict_after(self, act: WorkflowActivation) -> None:
        try:
            with self._running:
                self._evict(act)
        finally:
            with _STUCK_LOCK:
                if _STUCK.get(act.run_id) is self:
                    del _STUCK[act.run_id]

    def _evict(self, act: WorkflowActivation) -> WorkflowActivationCompletion:
        if self._evicted or not self._activated:
            return _evicted(act)
        self._evicted = True
        try:
            return self.instance.activate(act)
        except Exception as exc:
            KEPT.append(self.instance)
            info = self.instance.get_info()
            get_logger("orchestra.worker").warning(
                "a run's eviction failed: its instance is kept, not collected", workflow_id=info.workflow_id,
                run_id=info.run_id, error=str(exc)[:500], kept=len(KEPT),
            )  # fmt: skip
            return _evicted(act)
