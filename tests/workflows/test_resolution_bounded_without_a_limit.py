"""A step's arguments resolved in the workflow stop at a whole history's size limit when the worker gave no value
limit (a worker built without its store's, as an embedding application may): the bound fell back to none, and 2,000
references to a 30,000-character output built 60 MB in the workflow task (found by attack307)."""

from __future__ import annotations

import pytest

from orchestra.calls import CallSizes
from orchestra.limits import HISTORY_BYTES
from orchestra.references import ReferenceError_
from orchestra.step_scope import StepScope
from orchestra.validation import PlanSchedule
from workflows.tool_calls import UNKNOWN_LIMIT_NAME, resolved_within

OUTPUT = "x" * 30_000


def test_with_no_value_limit_known_resolution_stops_at_a_historys_limit() -> None:
    scope = StepScope(
        {}, PlanSchedule(deps={}, phases=[]), finished=set(), compensating=False, carried={"a": {"output": OUTPUT}}
    )
    many = HISTORY_BYTES // len(OUTPUT) + 10
    with pytest.raises(ReferenceError_, match=UNKNOWN_LIMIT_NAME.replace("(", r"\(").replace(")", r"\)")):
        resolved_within({"data": ["${a.output}"] * many}, scope, CallSizes())


def test_with_no_value_limit_known_a_call_under_a_historys_limit_resolves() -> None:
    scope = StepScope(
        {}, PlanSchedule(deps={}, phases=[]), finished=set(), compensating=False, carried={"a": {"output": OUTPUT}}
    )
    assert resolved_within({"data": ["${a.output}"] * 3}, scope, CallSizes()) == {"data": [OUTPUT] * 3}
