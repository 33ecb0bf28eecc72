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
