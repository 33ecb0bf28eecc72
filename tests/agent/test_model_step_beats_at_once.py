"""A model step's first heartbeat goes out as it starts, as a tool call's does (activities/tools.py's heartbeat_forever):
the server's heartbeat clock runs from when it handed the task out, and a busy worker took seconds to start a task
(bench/busy_worker.py). Before, the model step beat first a whole second after it began, its request long sent."""

from __future__ import annotations

from temporalio.testing import ActivityEnvironment

from activities.llm_step import AgentActivities
from orchestra.agent.models import LLMStepRequest
from orchestra.llm import LLMConfig
from orchestra.llm.types import Message
from orchestra.registry import default_registry
from tests.llm_server import done, scripted


async def test_a_model_step_beats_before_its_request_reaches_the_model() -> None:
    with scripted([done()]) as (base_url, seen):
        requests_seen_at_each_beat: list[int] = []
        environment = ActivityEnvironment()
        environment.on_heartbeat = lambda *_details: requests_seen_at_each_beat.append(len(seen))
        step = AgentActivities(default_registry(), LLMConfig(base_url=base_url, api_key="k"))
        request = LLMStepRequest(messages=[Message(role="user", content="go")], tools=[])
        result = await environment.run(step.llm_step, request)
    assert result.message.tool_calls, "the model's answer was read"
    assert requests_seen_at_each_beat[:1] == [0], "the first beat went out before the model saw the request"
