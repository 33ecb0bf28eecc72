"""The worker: runs OrchestrationWorkflow and every tool activity on the configured task queue."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from temporalio.client import Client
from temporalio.worker import Worker

from activities.health import HealthActivities, HealthReporter
from activities.intelligence import IntelligenceActivities
from activities.tools import ToolActivities
from orchestra.connect import connect
from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import Settings
from orchestra.tools.cleanup import with_support_tools
from workflows.orchestration import OrchestrationWorkflow
from workflows.task import TaskWorkflow
from workflows.tool_health import ToolHealthWorkflow

WORKFLOWS = [OrchestrationWorkflow, ToolHealthWorkflow, TaskWorkflow]


def create_worker(client: Client, settings: Settings, registry: ToolRegistry | None = None) -> Worker:
    registry = registry or default_registry(settings.registry_files)
    with_support_tools(registry)  # delete_file, which compensation steps use
    # Every tool call's outcome feeds the shared history (ToolHealthWorkflow); ORCHESTRA_TOOL_HISTORY=0 turns
    # the feeding off (selection then scores without history, runs use only in-run circuit breakers).
    feed = os.environ.get("ORCHESTRA_TOOL_HISTORY", "1") != "0"
    health = HealthReporter(client, settings.task_queue)
    tools = ToolActivities(registry, settings.confinement(), health if feed else None)
    intelligence = IntelligenceActivities(registry, health)
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=WORKFLOWS,
        activities=[
            tools.run_tool,
            tools.prepare_plan,
            HealthActivities(health).open_circuits,
            intelligence.analyse_task,
            intelligence.select_tools,
            intelligence.build_plan,
        ],
        # Tool calls mostly wait on I/O; many may run at once on one worker.
        max_concurrent_activities=256,
    )


async def main() -> None:
    settings = Settings.from_env()
    client = await connect(settings)
    worker = create_worker(client, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        print(
            f"worker ready: {settings.address} namespace={settings.namespace} task_queue={settings.task_queue}",
            flush=True,
        )
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without interpreter finalisation: the SDK's runtime can crash there (sdk-python #300).
    os._exit(0)
