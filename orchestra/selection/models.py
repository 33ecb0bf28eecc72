"""Selection results: scores per strategy, the Pareto front, the pick, alternatives and the reason."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

STRATEGIES = ("performance", "cost", "reliability", "compatibility")
# The seed's default weights, multiplied by the user's preferences, then normalised.
DEFAULT_WEIGHTS = {"performance": 0.3, "cost": 0.2, "reliability": 0.3, "compatibility": 0.2}
CREATION_REQUIRED = "No suitable tool found, creation required"


class Preferences(BaseModel):
    """What the user cares about. Weights multiply the seed's defaults (1.0 = no change)."""

    # a weight of inf made every score inf/inf, and nan compares false with every bound: refused by any caller,
    # and when set after construction too
    model_config = ConfigDict(allow_inf_nan=False, validate_assignment=True)

    performance: float = Field(1.0, ge=0)
    cost: float = Field(1.0, ge=0)
    reliability: float = Field(1.0, ge=0)
    compatibility: float = Field(1.0, ge=0)
    max_parallel: int | None = Field(None, ge=1)
    time_budget_s: float | None = Field(None, gt=0)
    max_cost: float | None = Field(None, ge=0, description="hard limit on one call's cost")
    allow_side_effects: bool = True

    def weights(self) -> dict[str, float]:
        raw = {name: DEFAULT_WEIGHTS[name] * getattr(self, name) for name in STRATEGIES}
        total = sum(raw.values())
        if total <= 0:
            return dict(DEFAULT_WEIGHTS)
        return {name: value / total for name, value in raw.items()}


class ScoredTool(BaseModel):
    tool: str
    scores: dict[str, float]
    overall: float
    cost: float = 0.0
    circuit: str = "closed"
    rejected: str | None = Field(None, description="the hard requirement it fails, if any")


class ToolSelection(BaseModel):
    step: str
    capability: str
    selected: ScoredTool | None
    alternatives: list[ScoredTool] = Field(default_factory=list, description="the next best eligible tools (up to 3)")
    pareto_front: list[str] = Field(default_factory=list)
    candidates: list[ScoredTool] = Field(default_factory=list, description="every candidate, best first")
    weights: dict[str, float] = Field(default_factory=dict)
    reason: str

    @property
    def creation_required(self) -> bool:
        return self.selected is None
