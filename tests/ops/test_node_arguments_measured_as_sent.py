"""A node's arguments are measured as the payload converter writes them (orchestra.payload_bytes), not as
json.dumps wrote them: the two write a float under 1e-4 otherwise ("1.5e-07" and pydantic's "1.5e-7"), so
the size a refusal gave was not the size sent, and arguments that fit could be refused by the byte."""

from __future__ import annotations

from typing import Any

import pytest

from orchestra.calls import ToolCall
from orchestra.converter import PayloadConverter
from orchestra.errors import PlanValidationError
from orchestra.limits import check_limits
from orchestra.payload_bytes import ENVELOPE_BYTES
from orchestra.plan import parse_plan
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.validation import prepare_plan

SECONDS: list[Any] = [1.5e-7, 1e-5, 2.5e-300, 5e-324, 0.5, 3e-3, 12]


@pytest.mark.parametrize("seconds", SECONDS)
def test_the_size_a_node_is_refused_at_is_the_size_of_its_arguments_sent(seconds: Any) -> None:
    plan = parse_plan({"name": "sized", "nodes": [{"id": "n", "tool": "sleep", "args": {"seconds": seconds}}]})
    [sent] = PayloadConverter().to_payloads([plan.nodes[0].args])
    settings = Settings(storage_max_payload_bytes=8)  # every value is over it: the node's size is said
    with pytest.raises(PlanValidationError) as refused:
        check_limits(prepare_plan(plan, default_registry()), settings)
    [node] = [p for p in refused.value.problems if p.startswith("node 'n'")]
    assert f"its arguments are {len(sent.data):,} bytes" in node, (node, sent.data)


def test_arguments_that_fit_as_sent_are_not_refused() -> None:
    """A call sent with its envelope exactly at the limit: json.dumps counted one byte more ("1.5e-07")."""
    plan = parse_plan({"name": "sized", "nodes": [{"id": "n", "tool": "sleep", "args": {"seconds": 1.5e-7}}]})
    call = ToolCall(tool="sleep", args=plan.nodes[0].args, node_id="n")
    [sent] = PayloadConverter().to_payloads([call])
    settings = Settings(storage_max_payload_bytes=len(sent.data) + ENVELOPE_BYTES)
    with pytest.raises(PlanValidationError) as refused:  # the plan itself is larger: it is refused
        check_limits(prepare_plan(plan, default_registry()), settings)
    assert [p for p in refused.value.problems if p.startswith("node 'n'")] == []
