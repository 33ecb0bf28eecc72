"""The worker: runs OrchestrationWorkflow and every tool activity on the configured task queue."""

from __future__ import annotations

import sys

from orchestra import environment
from orchestra.secret_settings import secret_settings
from orchestra.telemetry.own_lines import remember_when_masking

if __name__ == "__main__":
    # Its refusal may quote a secret setting's value (an API key put in the wrong variable too): masked by value.
    remember_when_masking(*secret_settings())
    # Before anything reads a setting, and before the imports below: ~2.3 s of CPU a refused start spent.
    environment.refuse_bad_settings()

import asyncio
import gc
import os
import signal
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.worker import (
    PollerBehaviorAutoscaling,
    Worker,
    WorkflowInstance,
    WorkflowInstanceDetails,
    WorkflowRunner,
)
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions
from temporalio.workflow import _Definition

from activities.health import HealthActivities, HealthReporter
from activities.intelligence import IntelligenceActivities
from activities.llm_step import AgentActivities
from activities.tools import ToolActivities
from activities.values import ValueActivities
from orchestra import cpu_cores, process_place, search_attributes, worker_listed
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID
from orchestra.connect import connect, connect_failure, missing_namespace
from orchestra.deadlocked_evictions import DeadlockedEvictionsRunner
from orchestra.llm import LLMConfig
from orchestra.mcp import attach
from orchestra.namespace_watch import namespace_refused
from orchestra.payload_contexts import ContextsOutsideSandbox
from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import Settings
from orchestra.signal_refusal import SignalRefusingRunner
from orchestra.storage.drivers import largest_value
from orchestra.telemetry import metrics, own_lines, redaction, tracing
from orchestra.telemetry.context import LogContextInterceptor
from orchestra.telemetry.logging import configure_logging, get_logger
from orchestra.telemetry.remembered_settings import remember_secret_settings
from orchestra.text import one_line
from orchestra.tools.cleanup import with_support_tools
from orchestra.tools.replaced_sweep import sweep as sweep_replaced
from orchestra.workspace_leftovers import sweep as sweep_leftovers
from workflows.agent import AgentWorkflow
from workflows.orchestration import OrchestrationWorkflow
from workflows.task import TaskWorkflow
from workflows.tool_health import ToolHealthWorkflow

WORKFLOWS = [OrchestrationWorkflow, ToolHealthWorkflow, TaskWorkflow, AgentWorkflow]


def activities_per_cores(cgroups: Path = cpu_cores.CGROUPS, own: Path = cpu_cores.OWN_CGROUPS) -> int:
    """32 tool calls a core the worker may use (orchestra/cpu_cores.py), at most MOST_ACTIVITIES."""
    return min(environment.MOST_ACTIVITIES, ACTIVITIES_PER_CORE * cpu_cores.usable_cores(cgroups, own))


ACTIVITIES_PER_CORE = 32
# How much one worker takes on at once (bench/concurrent_runs.py measures each choice; docs/benchmarks.md).
WORKER_TUNING: dict[str, Any] = {
    # Tool calls mostly wait on I/O, but each is started, read and answered by Python on one event loop, and
    # the server's heartbeat clock runs from when it hands a task out: 256 at once on 2 loaded cores, the SDK
    # took up to 19 s to start the last of a burst of 100 `sleep 0` steps, which timed out before they could
    # beat (bench/busy_worker.py: 119 of 300 failed; 64 at once: none). So many per core, no more.
    # ORCHESTRA_MAX_ACTIVITIES sets it (activities_at_once). Cores the process may use, its CPU quota counted.
    "max_concurrent_activities": activities_per_cores(),
    # Workflow tasks are CPU work under one GIL: more of them in flight only makes each take longer (a
    # task has 10 s to complete); the others wait on the server, where waiting costs nothing.
    "max_concurrent_workflow_tasks": 32,
    # Pollers follow the server's backlog rather than a fixed five.
    "workflow_task_poller_behavior": PollerBehaviorAutoscaling(),
    "activity_task_poller_behavior": PollerBehaviorAutoscaling(),
    # A task of a run cached here waits this long for this worker before any worker may take it and
    # replay the run's whole history. Under a burst, the SDK's 10 s turned waiting into replays that put
    # the worker further behind; the price is that runs cached on a crashed worker resume this much later.
    "sticky_queue_schedule_to_start_timeout": timedelta(seconds=30),
}


# A plan of 100,000 nodes is millions of Python objects, read within one workflow activation, and Temporal's
# deadlock detector gives an activation 2 s. With the interpreter's defaults (a collection every 700 new
# objects, full ones as the heap grows) most of that time went to the garbage collector; bench/plan_scale.py.
GC_THRESHOLDS = (100_000, 50, 100)


class ChainCollectingRunner(WorkflowRunner):
    """Runs workflows with ``runner`` and collects the garbage of a chain's ended runs when its next run
    starts here.

    A run the worker has evicted is a cycle (the SDK's instance, its event loop and tasks) holding all it
    read: for a large plan, the plan, its schedule and its steps. Only a full collection frees it, and with
    GC_THRESHOLDS full collections are rare: a chain of 77 runs of a 100,000-node plan held every run's
    plan, 5 GB (bench/plan_scale.py). A run that continues a chain is created outside any activation (no
    deadlock timer runs yet) and just after its predecessor ended: the one place where a full collection
    frees the most and delays nothing of the chain.
    """

    def __init__(self, runner: WorkflowRunner) -> None:
        self.runner = runner

    def prepare_workflow(self, defn: _Definition) -> None:
        self.runner.prepare_workflow(defn)

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        if det.info.continued_run_id:
            gc.collect()
        return self.runner.create_instance(det)

    def set_worker_level_failure_exception_types(self, types: Sequence[type[BaseException]]) -> None:
        self.runner.set_worker_level_failure_exception_types(types)


class ValidatedOnceSandbox(SandboxedWorkflowRunner):
    """The SDK's sandbox, validating each workflow class once per process and set of restrictions.

    Validating (``prepare_workflow``) runs the class once in a fresh sandbox, which imports its module
    again: 0.1-0.3 s a class, four classes for every worker built. A worker process builds one worker;
    the tests build one per test, and spent more time validating than running most of their plans. The
    class and the restrictions decide the outcome, so a second validation can only repeat the first.
    """

    def prepare_workflow(self, defn: _Definition) -> None:
        key = (defn.cls, id(self.restrictions))
        if _VALIDATED.get(key) is not self.restrictions:
            super().prepare_workflow(defn)
            _VALIDATED[key] = self.restrictions  # held, so that its id is never another's


_VALIDATED: dict[tuple[type, int], SandboxRestrictions] = {}


def workflow_runner(runner: WorkflowRunner | None = None) -> WorkflowRunner:
    """The worker's workflow runner (``runner``, the SDK's sandbox by default), as a replay must use it too:
    signals it refuses are handed to the workflow as refused (orchestra.signal_refusal); a run evicted after an
    activation timed out as a deadlock is evicted once that activation is over (orchestra.deadlocked_evictions)."""
    inner = SignalRefusingRunner(ContextsOutsideSandbox(runner or ValidatedOnceSandbox()))
    return DeadlockedEvictionsRunner(ChainCollectingRunner(inner))


def activities_at_once(settings: Settings) -> dict[str, int]:
    """ORCHESTRA_MAX_ACTIVITIES, when set, over WORKER_TUNING's 32 per core."""
    return {} if settings.max_activities is None else {"max_concurrent_activities": settings.max_activities}


def heartbeats_every(seconds: float) -> dict[str, timedelta]:
    """A cancel (the user's, or the plan's deadline) reaches a running step only in the answer to a
    heartbeat, which the SDK sends at most every 80% of the step's heartbeat timeout, capped at 60 s: a
    step with a long heartbeat_timeout_s heard its cancel up to a minute late. They go out every
    ORCHESTRA_HEARTBEAT_EVERY_S instead, whatever the step's heartbeat timeout."""
    every = timedelta(seconds=seconds)
    return {"max_heartbeat_throttle_interval": every, "default_heartbeat_throttle_interval": every}


def value_limit(settings: Settings, client: Client) -> tuple[int, str]:
    """The largest value the worker's runs may send, and its name; refused under SMALLEST_VALUE_LIMIT, as the
    environment's check refuses ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES (a worker built from settings skips that check):
    runs send values of half as many bytes without reading their worker's limit (workflows/value_sizes.py)."""
    limit, name = largest_value(settings, client.data_converter)
    if limit < environment.SMALLEST_VALUE_LIMIT:
        raise ValueError(f"{name} is {limit:,} bytes: a worker takes {environment.SMALLEST_VALUE_LIMIT:,} at least")
    return limit, name


def create_worker(
    client: Client,
    settings: Settings,
    registry: ToolRegistry | None = None,
    llm: LLMConfig | None = None,
    *,
    extra_workflows: Sequence[type] = (),
    extra_activities: Sequence[Callable[..., Any]] = (),
    say_note: Callable[[str], None] | None = None,
    shutdown_telemetry: bool = True,
    **worker_options: Any,
) -> Worker:
    """The project's worker; extras and Worker options (e.g. max_concurrent_activities) are for
    benchmarks and embedding applications. ``say_note`` says how tool processes are confined when it starts (the
    ``orchestra.worker`` logger by default); ``shutdown_telemetry=False`` leaves tracing on when it stops, for an
    application that traces on (it then calls ``orchestra.telemetry.tracing.shutdown_tracing()`` itself)."""
    # The secret settings masked by value in every log line from here, however the worker is made (main() has them
    # already, from its start): an embedded worker's lines were masked only where a call site masked by hand.
    remember_secret_settings()
    # Its MCP servers listed in a thread when the worker starts (OrchestraWorker.run), not here on the caller's loop.
    # ``is None``: an empty registry given is the caller's choice, not a missing one.
    owned = registry is None
    if registry is None:
        registry = default_registry(settings.registry_files, settings=settings, list_mcp=False)
    with_support_tools(registry)  # delete_file, which compensation steps use
    # Every tool call's outcome feeds the shared history (ToolHealthWorkflow); ORCHESTRA_TOOL_HISTORY=0 turns
    # the feeding off (selection then scores without history, runs use only in-run circuit breakers).
    feed = environment.flag("ORCHESTRA_TOOL_HISTORY", True)
    health = HealthReporter(client, settings.task_queue)
    confinement = settings.confinement()
    tools = ToolActivities(
        registry, confinement, health if feed else None, client.data_converter, value_limit(settings, client)
    )
    sweep_replaced(confinement.files)  # the copies of undos of long-ended runs: a worker may write nothing for days
    sweep_leftovers(confinement.files)  # temp and aside files of workers that died mid-write or mid-delete
    intelligence = IntelligenceActivities(registry, health)
    agent = AgentActivities(registry, llm)  # llm None: read ORCHESTRA_LLM_* at each call
    runner = workflow_runner(worker_options.pop("workflow_runner", None))
    # An identity of its own (the client's names the process alone): the server lists a queue's pollers by identity,
    # and a worker's last heartbeat saying it shut down is then its own, not another's of the same process still
    # polling (orchestra/cli/workers_seen.py). Its tag says where its PID numbers it (process_place): only a CLI of
    # that PID namespace judges by the PID whether it runs; a client named otherwise (not this PID) gets none.
    tag = process_place.own_tag() if client.identity.startswith(f"{os.getpid()}@") else ""
    worker_options.setdefault("identity", f"{client.identity}/{uuid.uuid4().hex[:8]}{tag}")
    return OrchestraWorker(
        client,
        registry,
        settings if owned else None,
        WorkerStart(confinement.startup_notes(), say_note or _log_note, shutdown_telemetry),
        task_queue=settings.task_queue,
        workflows=[*WORKFLOWS, *extra_workflows],
        activities=[
            *extra_activities,
            tools.run_tool,
            tools.prepare_plan,
            tools.prepare_stored_plan,
            tools.prepare_stored_plan_in_pieces,
            tools.load_value,
            tools.value_limit,
            tools.forget_replaced,
            ValueActivities(client.data_converter).store_values,
            HealthActivities(health).open_circuits,
            intelligence.analyse_task,
            intelligence.select_tools,
            intelligence.build_plan,
            agent.agent_tools,
            agent.llm_step,
        ],
        # Log lines of activities carry workflow id, run id, activity and attempt (tracing, when on,
        # comes from the client's interceptors, which the worker inherits).
        interceptors=[LogContextInterceptor()],
        workflow_runner=runner,
        **{
            **WORKER_TUNING,
            **activities_at_once(settings),
            **heartbeats_every(settings.heartbeat_every_s),
            **worker_options,
        },
    )


@dataclass(frozen=True)
class WorkerStart:
    """What a worker says when it starts, and whether it shuts tracing down when it stops."""

    notes: list[str]  # how tool processes are confined (Confinement.startup_notes): never silently weaker
    say_note: Callable[[str], None]
    shutdown_telemetry: bool


def _log_note(note: str) -> None:
    get_logger("orchestra.worker").info(note)


class OrchestraWorker(Worker):
    """The project's worker (``create_worker``), as safe and as fast embedded in an application as in worker.py.

    Before it polls, however it is run (``async with``, ``run()``), it does in a thread what would hold the caller's
    event loop (the Temporal client's coroutines, the heartbeats of whatever else runs there): it makes the log masker
    of the secret settings (the pattern of a key's every form, 0.65 s of CPU for 168 characters) and, for a registry it
    made itself, lists the MCP servers (McpHub.load starts each one and reads every tool's schema: seconds). Then it
    registers the search attributes the namespace lacks (runs would stall on their first upsert) and says how tool
    processes are confined. While it runs, the process collects garbage at GC_THRESHOLDS (a large plan's activation
    spent most of its time in the collector at Python's defaults). That registry it closes when it stops; one it was
    given is its giver's to close; and the last worker of the process to stop flushes and shuts tracing down."""

    def __init__(
        self, client: Client, registry: ToolRegistry, lists_with: Settings | None, start: WorkerStart, **options: Any
    ) -> None:
        super().__init__(client, **options)
        self.registry = registry
        self._lists_with = lists_with  # the settings to list the MCP servers of a registry it made, None if given
        self._start = start

    async def run(self) -> None:
        try:
            await asyncio.to_thread(self._prepare)
            await register_search_attributes(self.client)
            for note in self._start.notes:
                self._start.say_note(note)  # the embedder's: it may raise
        except BaseException:
            # Nothing started: as the SDK's own _run marks it, or shutdown() and ``async with`` would wait forever.
            self._shutdown_complete_event.set()
            raise
        try:
            with _running_as_a_worker(self._start.shutdown_telemetry):
                await super().run()
        finally:
            if self._lists_with is not None:
                await self.registry.aclose()

    def _prepare(self) -> None:
        remember_secret_settings()
        redaction.redact_text("")  # makes the log masker here, if remembering on a loop left it to its first use
        if self._lists_with is not None and self.registry.mcp_servers and self.registry.mcp is None:
            attach(self.registry, self._lists_with)


# The clients whose namespace has the search attributes (registered, or found there): each worker of a client after
# the first, and worker.py's after its own check, asks no more.
_ATTRIBUTES_THERE: weakref.WeakSet[Client] = weakref.WeakSet()


async def register_search_attributes(client: Client) -> None:
    """Adds the search attributes the client's namespace lacks (search_attributes.register), once per client.
    Raises SearchAttributesMissing when they are missing and cannot be added."""
    if client in _ATTRIBUTES_THERE:
        return
    added = await search_attributes.register(client)
    _ATTRIBUTES_THERE.add(client)
    if added:
        get_logger("orchestra.worker").info("search attributes registered", names=added)


# The workers running in this process: the first sets GC_THRESHOLDS (the process's, kept in ``before``), the last
# to stop sets back what was there (unless changed meanwhile) and shuts tracing down if its worker was to.
_RUNNING: dict[str, Any] = {"workers": 0, "before": None}


@contextmanager
def _running_as_a_worker(shutdown_telemetry: bool) -> Iterator[None]:
    if _RUNNING["workers"] == 0:
        _RUNNING["before"] = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)
    _RUNNING["workers"] += 1
    try:
        yield
    finally:
        _RUNNING["workers"] -= 1
        if _RUNNING["workers"] == 0:
            if gc.get_threshold() == GC_THRESHOLDS:
                gc.set_threshold(*_RUNNING["before"])
            if shutdown_telemetry:
                tracing.shutdown_tracing()  # flush spans: worker.py leaves by os._exit, an application may too


async def worker_registry(settings: Settings) -> ToolRegistry:
    """The registry of ``settings``' tool files, read in a thread: listing their MCP servers starts each one
    and reads every listed tool's schema against its meta-schema, seconds of blocking work that, on the event
    loop, held the Temporal client's and the metrics' coroutines (McpHub.load). Nothing it builds is bound to a
    loop: the listing's sessions are closed, a call opens its own on the worker's loop."""
    return await asyncio.to_thread(default_registry, settings.registry_files, settings=settings)


say = partial(own_lines.say, logger="orchestra.worker")  # its own lines, in its log's format


async def main() -> int:
    """Runs the worker until SIGINT or SIGTERM; the process's exit code (as the CLI's: 3 for a Temporal it
    cannot reach, 2 for settings it cannot connect with)."""
    gc.set_threshold(*GC_THRESHOLDS)
    configure_logging()  # JSON lines unless on a terminal (ORCHESTRA_LOG_FORMAT)
    # The secret settings (TEMPORAL_API_KEY, the codec's keys, every ORCHESTRA_SECRET_*) masked by value in every line
    # from the first, log lines, its own lines and spans: known only by their shape, a passphrase-like key went out in
    # clear, and a plan's secret until a call used it. In a thread: each compiles the pattern of its every form.
    await asyncio.to_thread(remember_secret_settings)
    settings = Settings.from_env()
    try:
        # Prometheus /metrics when ORCHESTRA_METRICS_ADDRESS is set: one runtime per process, before connecting.
        runtime = metrics.worker_runtime()  # the core's log lines as JSON lines too
    except environment.SettingError as exc:
        environment.say_bad_settings(exc)
        return EXIT_INVALID
    try:
        client = await connect(settings, runtime=runtime)
    except (RuntimeError, OSError, ValueError) as exc:  # the SDK's raw "Failed client connect" traceback before
        message, code = connect_failure(exc, settings)
        say(message, level="error", stream=sys.stderr)
        return code
    if (missing := await missing_namespace(client, settings)) is not None:
        say(missing, level="error", stream=sys.stderr)
        return EXIT_INVALID
    try:  # here, not only when the worker starts (OrchestraWorker.run): a refusal exits before any poll
        await register_search_attributes(client)
    except search_attributes.SearchAttributesMissing as exc:  # its message says what to add and how: no traceback
        say(str(exc), level="error", stream=sys.stderr)
        return EXIT_INVALID
    # MCP servers' tools are listed here (or read from the cache); their sessions close at the end.
    try:
        registry = await worker_registry(settings)
    except Exception as exc:  # a tool file of ORCHESTRA_REGISTRY missing or broken: as the CLI says it, no traceback
        say(f"cannot load the tool registry: {one_line(str(exc))}", level="error", stream=sys.stderr)
        return EXIT_INVALID
    worker = create_worker(client, settings, registry, say_note=say)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    gc.freeze()  # what start-up built (modules, the registry) lives as long as the process: never scanned again
    async with worker:
        # "Ready" once the server lists it polling (worker_listed): said on entering, a `status` right after said none.
        announced = asyncio.create_task(say_ready_when_listed(client, settings, worker.config().get("identity") or ""))
        try:
            refused = await until_stopped_or_refused(stop, client)
        finally:
            announced.cancel()
        if refused is not None:  # said before the worker stops: its shutdown asks the server that refuses it
            say(f"the worker stopped: {refused}", level="error", stream=sys.stderr)
    await registry.aclose()  # tracing was shut down as the worker stopped (OrchestraWorker)
    return 0 if refused is None else EXIT_INVALID


async def say_ready_when_listed(client: Client, settings: Settings, identity: str) -> None:
    """Says "worker ready" once the server lists ``identity`` polling the task queue; first, if it has not within
    LISTED_WITHIN_S, that it runs unlisted (the worker is not held up by a server slow to list it)."""
    task_queue = settings.task_queue
    if not await worker_listed.until_listed(client, task_queue, identity, worker_listed.LISTED_WITHIN_S):
        say(worker_listed.unlisted_note(task_queue), level="warning", task_queue=task_queue)
        await worker_listed.until_listed(client, task_queue, identity, None)
    say(f"{worker_listed.READY_LINE}: {settings.address} namespace={settings.namespace} task_queue={task_queue}",
        address=settings.address, namespace=settings.namespace, task_queue=task_queue)  # fmt: skip
    get_logger("orchestra.worker").info(
        worker_listed.READY_LINE, task_queue=task_queue, namespace=settings.namespace,
        metrics=environment.value("ORCHESTRA_METRICS_ADDRESS"), tracing=tracing.enabled(),
    )  # fmt: skip


async def until_stopped_or_refused(stop: asyncio.Event, client: Client) -> str | None:
    """Waits for SIGINT/SIGTERM (None) or for the server to refuse the worker's namespace for good (why): the SDK
    retries its polls of a deleted namespace for ever (namespace_watch)."""
    stopped = asyncio.create_task(stop.wait())
    refused = asyncio.create_task(namespace_refused(client))
    try:
        await asyncio.wait((stopped, refused), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        refused.cancel()
    return refused.result() if refused.done() and not refused.cancelled() and not stopped.done() else None


if __name__ == "__main__":
    try:
        code = asyncio.run(main())
    except Exception as exc:  # the worker's run failed (a fatal error of the SDK's): said, then out by os._exit
        say(f"the worker stopped: {one_line(str(exc)) or type(exc).__name__}", level="error", stream=sys.stderr)
        code = EXIT_FAILED
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without interpreter finalisation: the SDK's runtime can crash there (sdk-python #300).
    os._exit(code)
