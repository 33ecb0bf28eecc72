"""An agent run's limits are numbers: a yes or no in their place (YAML's, or JSON's true) is refused, as
a plan's are (tests/test_plan_bounds.py), instead of read as 1 or 0."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from orchestra.agent.models import AgentLimits


@pytest.mark.parametrize(
    "field",
    ["max_steps", "max_parallel", "batch_size", "context_tokens", "max_output_tokens", "max_tool_output_tokens",
     "approval_timeout_s", "llm_timeout_s", "llm_max_attempts"],
)  # fmt: skip
def test_a_yes_or_no_is_no_limit(field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AgentLimits.model_validate({field: True})
    assert "is yes or no, not a number" in str(refused.value), refused.value
