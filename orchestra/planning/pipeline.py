"""analyse -> select -> plan in one call, for the CLI's offline `plan` and for tests."""

from __future__ import annotations

from datetime import datetime

from orchestra.analysis import Backend, analyse
from orchestra.health import HealthSnapshot
from orchestra.planning.models import PlanningResult
from orchestra.planning.planner import build_plan
from orchestra.registry import ToolRegistry
from orchestra.selection.models import Preferences
from orchestra.selection.selector import select_tools


async def plan_task(
    task: str,
    registry: ToolRegistry,
    *,
    backend: Backend = "heuristic",
    preferences: Preferences | None = None,
    history: HealthSnapshot | None = None,
    now: datetime | None = None,
) -> PlanningResult:
    analysis = await analyse(task, registry, backend)
    selections = select_tools(analysis, registry, history, preferences, now)
    execution = build_plan(analysis, selections, registry, preferences, history, now)
    return PlanningResult(analysis=analysis, selections=selections, execution=execution)
