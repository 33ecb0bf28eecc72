"""Tool selection as pure code: the four scores, weights x preferences, Pareto front, alternatives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from orchestra.analysis.models import TaskStep
from orchestra.health import CircuitBreakerSettings, CircuitState, HealthSnapshot, ToolOutcome, ToolStats, apply_outcome
from orchestra.registry import ToolRegistry
from orchestra.selection.models import CREATION_REQUIRED, DEFAULT_WEIGHTS, Preferences, ScoredTool
from orchestra.selection.pareto import pareto_front
from orchestra.selection.selector import select_for_step
from orchestra.tool_spec import Tool, ToolContext, ToolSpec

NOW = datetime(2025, 1, 1, tzinfo=UTC)


class _In(BaseModel):
    text: str = ""


async def _noop(args: _In, ctx: ToolContext) -> dict[str, str]:
    return {}


def _tool(name: str, cost: float, *, idempotent: bool = True, side_effects: bool = False, inputs=("text",)) -> Tool:
    spec = ToolSpec(
        name=name,
        description=f"{name} translates text",
        capabilities=["translate"],
        input_model=_In,
        input_types=list(inputs),
        output_types=["text"],
        cost=cost,
        idempotent=idempotent,
        side_effects=side_effects,
    )
    return Tool(spec=spec, run=_noop)


STEP = TaskStep(
    id="tr", action="translate it", capability="translate", keywords=["translate"], accepts=["text"], produces=["text"]
)


def _history(**latency_ms: float) -> HealthSnapshot:
    snap = HealthSnapshot()
    for tool, ms in latency_ms.items():
        stats = ToolStats(tool=tool)
        for i in range(5):
            apply_outcome(
                stats, ToolOutcome(tool=tool, ok=True, latency_ms=ms, at=NOW + timedelta(seconds=i)), snap.settings
            )
        snap.tools[tool] = stats
    return snap


def test_scores_weights_pareto_and_alternatives():
    registry = ToolRegistry([_tool("cheap", 0.0), _tool("fast", 2.0), _tool("pricey_slow", 3.0), _tool("mid", 0.5)])
    history = _history(cheap=2000, fast=50, pricey_slow=4000, mid=1000)
    selection = select_for_step(STEP, registry, history, now=NOW)
    scores = {c.tool: c for c in selection.candidates}
    assert scores["cheap"].scores["cost"] == 1.0 and scores["fast"].scores["cost"] < 0.5
    assert scores["fast"].scores["performance"] > 0.9 > scores["cheap"].scores["performance"]
    assert selection.weights == DEFAULT_WEIGHTS
    # pricey_slow is beaten on every count by mid: not on the front; the others each win somewhere.
    assert set(selection.pareto_front) == {"cheap", "fast", "mid"}
    assert selection.selected is not None and selection.selected.tool in selection.pareto_front
    assert len(selection.alternatives) == 3 and selection.selected.tool not in [a.tool for a in selection.alternatives]
    assert [a.overall for a in selection.alternatives] == sorted(
        (a.overall for a in selection.alternatives), reverse=True
    )
    assert "Pareto front" in selection.reason and selection.selected.tool in selection.reason


def test_preferences_reweight_and_change_the_pick():
    registry = ToolRegistry([_tool("cheap", 0.0), _tool("fast", 2.0)])
    history = _history(cheap=3000, fast=20)
    by_cost = select_for_step(STEP, registry, history, Preferences(cost=5.0, performance=0.2), now=NOW)
    by_speed = select_for_step(STEP, registry, history, Preferences(performance=5.0, cost=0.2), now=NOW)
    assert by_cost.selected and by_cost.selected.tool == "cheap"
    assert by_speed.selected and by_speed.selected.tool == "fast"
    weights = Preferences(performance=2.0).weights()
    assert abs(sum(weights.values()) - 1) < 1e-9
    assert weights["performance"] == 0.6 / 1.3


def test_hard_requirements_filter_and_creation_required():
    registry = ToolRegistry([_tool("paid", 5.0), _tool("takes_html", 0.0, inputs=("html",))])
    selection = select_for_step(STEP, registry, preferences=Preferences(max_cost=1.0), now=NOW)
    assert selection.selected is None and selection.reason.startswith(CREATION_REQUIRED)
    assert {c.tool: bool(c.rejected) for c in selection.candidates} == {"paid": True, "takes_html": True}
    nothing = select_for_step(TaskStep(id="x", action="levitate", capability="levitate"), registry, now=NOW)
    assert nothing.selected is None and nothing.candidates == [] and CREATION_REQUIRED in nothing.reason


def test_pareto_front_keeps_only_undominated():
    def scored(name: str, p: float, c: float, r: float, k: float) -> ScoredTool:
        s = {"performance": p, "cost": c, "reliability": r, "compatibility": k}
        return ScoredTool(tool=name, scores=s, overall=0)

    tools = [scored("a", 1, 0, 1, 1), scored("b", 0, 1, 1, 1), scored("c", 0, 0, 1, 1), scored("d", 1, 0, 1, 1)]
    assert [t.tool for t in pareto_front(tools)] == ["a", "b", "d"]


def test_circuit_opens_half_opens_and_closes():
    settings = CircuitBreakerSettings(minimum_calls=3, failure_rate_threshold=0.5, open_for_s=10)
    stats = ToolStats(tool="t")
    for i in range(3):
        apply_outcome(
            stats,
            ToolOutcome(tool="t", ok=False, latency_ms=5, error_type="http_503", at=NOW + timedelta(seconds=i)),
            settings,
        )
    assert stats.circuit_at(NOW) == CircuitState.OPEN and stats.error_types == {"http_503": 3}
    assert stats.circuit_at(NOW + timedelta(seconds=5)) == CircuitState.OPEN
    assert stats.circuit_at(NOW + timedelta(seconds=13)) == CircuitState.HALF_OPEN
    apply_outcome(stats, ToolOutcome(tool="t", ok=False, latency_ms=5, at=NOW + timedelta(seconds=13)), settings)
    assert stats.circuit_at(NOW + timedelta(seconds=14)) == CircuitState.OPEN, "a failed probe re-opens"
    apply_outcome(stats, ToolOutcome(tool="t", ok=True, latency_ms=5, at=NOW + timedelta(seconds=30)), settings)
    assert stats.circuit_at(NOW + timedelta(seconds=31)) == CircuitState.CLOSED


def test_open_circuit_moves_the_pick_to_an_alternative():
    registry = ToolRegistry([_tool("cheap", 0.0), _tool("backup", 1.0)])
    snap = HealthSnapshot(settings=CircuitBreakerSettings(minimum_calls=2))
    stats = ToolStats(tool="cheap")
    for i in range(2):
        apply_outcome(
            stats, ToolOutcome(tool="cheap", ok=False, latency_ms=1, at=NOW + timedelta(seconds=i)), snap.settings
        )
    snap.tools["cheap"] = stats
    assert select_for_step(STEP, registry, now=NOW).selected.tool == "cheap"  # type: ignore[union-attr]
    selection = select_for_step(STEP, registry, snap, now=NOW + timedelta(seconds=3))
    assert selection.selected is not None and selection.selected.tool == "backup"
    assert "circuit open: cheap" in selection.reason


def test_a_weight_that_is_not_a_finite_number_is_refused_by_any_caller():
    # inf weights scored every tool inf/inf (nan), and nan passes every bound it is compared with
    for word in ("inf", "nan", "-inf"):
        with pytest.raises(ValidationError):
            Preferences(performance=float(word))
    with pytest.raises(ValidationError):
        Preferences(time_budget_s=float("inf"))
