"""What crosses the workflow/activity boundary for one tool call."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from orchestra.plan import Plan
from orchestra.storage.values import StoredValue


class ToolCall(BaseModel):
    tool: str
    args: dict[str, Any]
    node_id: str
    # Plans are written by the people who run the worker; an agent's calls are written by a model and
    # may not name the worker's secrets.
    allow_secrets: bool = False


class ToolResult(BaseModel):
    output: Any
    # A large output is stored on its own (orchestra.storage.values); ``output`` is then None until the
    # workflow reads it back (workflows/tool_calls.py).
    output_ref: StoredValue | None = None
    attempt: int
    started_at: datetime
    ended_at: datetime
    tokens: int = 0  # LLM tokens the tool reported (an output with usage.total_tokens)


class RunRequest(BaseModel):
    """The input of OrchestrationWorkflow: a plan, and the task it came from when a planner built it."""

    plan: Plan
    task: str | None = None
    # A plan built from a task is the task text's, and a task's text (or the model planning it) may be
    # hostile: it could send ``${secrets.X}`` in a header to a host of its choosing. So such a plan
    # resolves no secret unless whoever started the run vouches for the task (``--allow-secrets``).
    task_secrets: bool = False

    @property
    def secrets_allowed(self) -> bool:
        """Whether this run's steps may resolve the worker's ``${secrets.*}``."""
        return self.task is None or self.task_secrets
