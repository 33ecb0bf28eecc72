"""Every log line an activity writes carries its run's ids: bound as structlog context variables.

Each activity runs in an asyncio task of its own, which copies the context when it is created, so
what one activity binds never leaks into another. Workflows log through ``workflow.logger``, whose
records carry the same ids as an SDK extra (flattened by orchestra.telemetry.logging).
"""

from __future__ import annotations

from typing import Any

import structlog
from temporalio import activity
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)


class _BindActivityIds(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        with structlog.contextvars.bound_contextvars(
            workflow_id=info.workflow_id,
            run_id=info.workflow_run_id,
            activity_id=info.activity_id,
            activity_type=info.activity_type,
            attempt=info.attempt,
        ):
            return await self.next.execute_activity(input)


class LogContextInterceptor(Interceptor):
    """A worker interceptor: binds workflow id, run id, activity and attempt around every activity."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _BindActivityIds(next)
