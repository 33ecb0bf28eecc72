"""An agent run's limits are numbers: a yes or no in their place (YAML's, or JSON's true) is refused, as
a plan's are (tests/test_plan_bounds.py), instead of read as 1 or 0; its temperature a finite one."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from orchestra.agent.models import AgentLimits, AgentRequest, LLMStepRequest
from orchestra.converter import PayloadConverter
from orchestra.llm.types import ChatRequest


@pytest.mark.parametrize(
    "field",
    ["max_steps", "max_parallel", "batch_size", "context_tokens", "max_output_tokens", "max_tool_output_tokens",
     "approval_timeout_s", "llm_timeout_s", "llm_max_attempts"],
)  # fmt: skip
def test_a_yes_or_no_is_no_limit(field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AgentLimits.model_validate({field: True})
    assert "is yes or no, not a number" in str(refused.value), refused.value


@pytest.mark.parametrize(
    ("limits", "says"),
    [
        ({"max_parallel": 10**9}, "1,000,000,000 is over 64: one reply asks for at most 64 calls"),
        ({"batch_size": 65}, "65 is over 64: one reply asks for at most 64 calls"),
        ({"context_tokens": 10**30}, "is over 20,000,000: ten times the largest model's window"),
        ({"max_output_tokens": 32_000}, "max_output_tokens 32,000 leaves no room in context_tokens 32,000"),
        ({"max_tool_output_tokens": 10**30}, "is over 20,000,000: ten times the largest model's window"),
    ],
    ids=["max_parallel", "batch_size", "context_tokens", "max_output_tokens", "max_tool_output_tokens"],
)
def test_a_count_past_any_use_is_refused_with_its_ceiling_and_why(limits: dict[str, int], says: str) -> None:
    """Taken before: a window of a billion calls (a reply holds 64), a context window of 10**30 tokens, and a
    reply's reserve as large as the window, which left the conversation no room at every step and asked
    the model for more than it holds."""
    with pytest.raises(ValidationError) as refused:
        AgentLimits.model_validate(limits)
    assert says in str(refused.value), refused.value


def test_the_ceilings_themselves_are_taken() -> None:
    limits = AgentLimits(max_parallel=64, batch_size=64, context_tokens=20_000_000, max_output_tokens=19_999_999,
                         max_tool_output_tokens=20_000_000)  # fmt: skip
    assert (limits.max_parallel, limits.batch_size, limits.max_output_tokens) == (64, 64, 19_999_999)
    assert limits.max_tool_output_tokens == 20_000_000


def test_the_reply_reserves_bound_reaches_the_schema_in_json_schemas_words() -> None:
    """Beside a validator on `int | None`, the bound came out as pydantic's own "ge", not "minimum"."""
    schema = AgentLimits.model_json_schema()["properties"]["max_output_tokens"]
    assert {"minimum": 1, "type": "integer"} in schema["anyOf"], schema


@pytest.mark.parametrize("temperature", [float("nan"), float("inf"), float("-inf"), -0.5, True])
@pytest.mark.parametrize("model", [AgentRequest, LLMStepRequest, ChatRequest])
def test_a_temperature_that_is_no_finite_number_is_refused_with_why(model: type[BaseModel], temperature: float) -> None:
    """NaN and infinity were taken, and written to the run's history as null: the model was then asked with
    no temperature at all (its provider's default, often 1), not the one given; true was a temperature of 1."""
    request: dict[str, object] = {"task": "t"} if model is AgentRequest else {"messages": [], "tools": []}
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**request, "temperature": temperature})
    words = "is yes or no, not a number" if temperature is True else "is no temperature: a model's is a finite number"
    assert words in str(refused.value), refused.value


def test_a_temperature_written_before_the_check_reads_back_as_written() -> None:
    written = AgentRequest(task="t")
    written.temperature = -0.5  # as a request of the code before the check carried it (assignment is unchecked)
    converter = PayloadConverter()
    (read,) = converter.from_payloads(converter.to_payloads([written]), [AgentRequest])
    assert read.temperature == -0.5
