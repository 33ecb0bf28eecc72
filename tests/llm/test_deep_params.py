"""The planner's model answering with params nested hundreds of levels deep: the answer was read, and the
planner's activity then failed with pydantic's "Maximum serialization depth exceeded" (its result could not
be written), the model's answer never told why. Now it is an invalid answer, re-asked with the reason. Real
HTTP on loopback."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orchestra.analysis.llm_backend import analyse_llm
from orchestra.llm import ChatClient
from orchestra.references import MAX_DEPTH
from orchestra.registry import default_registry
from tests.llm.test_repair_bounds import GOOD, TASK, config
from tests.llm_server import completion, scripted


def _nested(depth: int, where: str) -> dict[str, Any]:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    step: dict[str, Any] = json.loads(json.dumps(GOOD["steps"][0]))
    if where == "params":
        step["params"] = {"deep": value}
    else:
        step["data"] = [*step["data"], {"kind": "json", "value": value}]
    return {"steps": [step]}


@pytest.mark.parametrize("where", ["params", "data"])
async def test_values_nested_past_the_runs_depth_are_asked_again(where: str) -> None:
    answers = [completion(json.dumps(_nested(900, where))), completion(json.dumps(_nested(10, where)))]
    with scripted(answers) as (base, seen):
        async with ChatClient(config(base)) as chat:
            analysis = await analyse_llm(TASK, default_registry(), chat)
    assert len(seen) == 2 and [s.id for s in analysis.steps] == ["fetch"]
    told = seen[1]["body"]["messages"][-1]["content"]
    assert f"nested deeper than {MAX_DEPTH} levels" in told, told
    analysis.model_dump_json()  # the activity's result can be written
