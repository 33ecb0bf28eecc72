"""A task given from Python rather than the CLI (which refuses it as an argument) may hold half a
surrogate pair, which no UTF-8 carries: every entry point that takes a task refuses it by name."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from orchestra.agent.models import AgentRequest
from orchestra.analysis import TaskAnalysisError, analyse_heuristic
from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from workflows.task import TaskRequest

TASKS = [
    "Fetch https://example.com/a and summarise it \ud800",
    "\udfffDownload https://example.com/b",
    "Write 'caf\udce9' to notes.txt",  # what a Latin-1 argument becomes under surrogateescape
]


@pytest.mark.parametrize("task", TASKS)
async def test_the_planner_refuses_half_a_surrogate_pair_by_name(task: str) -> None:
    """plan_task raised UnicodeEncodeError from deep in the planner (the task's id is a hash of its UTF-8)."""
    registry = default_registry()
    for backend in ("heuristic", "llm"):  # refused before any model is asked
        with pytest.raises(TaskAnalysisError, match=r"half a surrogate pair \(\\ud[89a-f][0-9a-f]{2}\)"):
            await plan_task(task, registry, backend=backend)
    with pytest.raises(TaskAnalysisError, match="half a surrogate pair"):
        analyse_heuristic(task, registry)


@pytest.mark.parametrize("task", TASKS)
def test_the_requests_a_run_starts_from_refuse_it(task: str) -> None:
    """What a client library starts a plan or an agent run with: refused before anything is sent."""
    with pytest.raises(ValidationError, match="task"):
        AgentRequest(task=task)
    for field in ("system_prompt", "tools"):  # each text of the request, not only the task
        value = [task] if field == "tools" else task
        with pytest.raises(ValidationError, match=rf"{field}(.|\n)*half a surrogate pair"):
            AgentRequest.model_validate({"task": "list the files", field: value})
    plan = parse_plan({"name": "p", "nodes": [{"id": "a", "tool": "list_files", "args": {"path": "."}}]})
    with pytest.raises(ValidationError, match=r"task(.|\n)*half a surrogate pair"):
        RunRequest(plan=plan, task=task)
    with pytest.raises(ValidationError, match=r"task(.|\n)*half a surrogate pair"):
        TaskRequest(task=task)  # TaskWorkflow: plan the task, then run the plan
