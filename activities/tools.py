"""Tool execution and plan preparation activities.

One generic ``run_tool`` activity serves every tool: the worker's registry maps the name to code, the
activity summary (set by the workflow) names node and tool in the UI.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.health import HealthReporter, outcome_now
from orchestra.calls import ToolCall, ToolResult
from orchestra.confinement import Confinement
from orchestra.errors import ErrorKind, PlanValidationError, ToolError
from orchestra.plan import Plan
from orchestra.registry import ToolRegistry, UnknownToolError
from orchestra.tool_spec import ToolContext
from orchestra.validation import PreparedPlan, prepare_plan

HEARTBEAT_EVERY_S = 1.0


class ToolActivities:
    def __init__(self, registry: ToolRegistry, confinement: Confinement, health: HealthReporter | None = None) -> None:
        self.registry = registry
        self.confinement = confinement
        # Every call's outcome feeds the shared history (batched, off the step's critical path).
        self.health = health

    @activity.defn(name="prepare_plan")
    async def prepare_plan(self, plan: Plan) -> PreparedPlan:
        try:
            return prepare_plan(plan, self.registry)
        except PlanValidationError as exc:
            raise ApplicationError(str(exc), exc.problems, type=ErrorKind.VALIDATION, non_retryable=True) from None

    @activity.defn(name="run_tool")
    async def run_tool(self, call: ToolCall) -> ToolResult:
        info = activity.info()
        started = datetime.now(UTC)
        try:
            tool = self.registry.get(call.tool)
            args = tool.spec.input_model.model_validate(call.args)
        except (UnknownToolError, ValidationError) as exc:
            raise _application_error(
                ErrorKind.VALIDATION, f"{call.node_id}: {exc}", info.attempt, retryable=False
            ) from None
        context = ToolContext(
            confinement=self.confinement, heartbeat=_no_heartbeat if info.is_local else activity.heartbeat
        )
        beating = asyncio.create_task(_heartbeat_forever())
        error_type: str | None = "cancelled"
        try:
            output = await tool.run(args, context)
            error_type = None
        except ToolError as exc:
            error_type = exc.code or str(exc.kind)
            raise _application_error(exc.kind, str(exc), info.attempt, retryable=exc.retryable, code=exc.code) from None
        except TimeoutError as exc:
            error_type = "timeout"
            raise _application_error(
                ErrorKind.TIMEOUT, f"{call.tool} timed out: {exc}", info.attempt, retryable=True
            ) from None
        except Exception as exc:
            error_type = type(exc).__name__
            raise
        finally:
            beating.cancel()
            if self.health is not None and error_type != "cancelled":
                self.health.add(outcome_now(call.tool, error_type is None, started, error_type))
        dumped = output.model_dump(mode="json") if hasattr(output, "model_dump") else output
        return ToolResult(output=dumped, attempt=info.attempt, started_at=started, ended_at=datetime.now(UTC))


def _no_heartbeat(*_details: Any) -> None:
    pass


async def _heartbeat_forever() -> None:
    # Heartbeats carry cancellation to the activity and let Temporal notice a dead worker quickly,
    # whatever the tool does; the SDK throttles what it actually sends. None at the very start: a
    # short call does not need one, and 64 of them at once cost ~0.1 s per wide layer (bench/).
    # Local activities have no heartbeats; their liveness is the workflow task's.
    if activity.info().is_local:
        return
    while True:
        await asyncio.sleep(HEARTBEAT_EVERY_S)
        activity.heartbeat()


def _application_error(
    kind: ErrorKind, message: str, attempt: int, *, retryable: bool, code: str | None = None
) -> ApplicationError:
    details: dict[str, Any] = {"attempt": attempt, "code": code, "retryable": retryable}
    return ApplicationError(message, details, type=str(kind), non_retryable=not retryable)
