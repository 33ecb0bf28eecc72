"""The planner's model answering with megabytes of tiny values: the answer is refused before it is parsed (the
parser holds the GIL, so a thread did not free the worker's loop: 1.3 s for 4 MB), the re-ask quotes only a
bounded part of it (resent whole, each re-ask was a request of megabytes) and the planner's CPU work after the
answer runs off the event loop. Real HTTP on loopback."""

from __future__ import annotations

import json
import threading

import pytest

from orchestra.analysis.llm_backend import analyse_llm
from orchestra.llm import ChatClient, LLMConfig
from orchestra.llm.client import MAX_ANSWER_VALUES, REPAIR_QUOTE_CHARS
from orchestra.llm.errors import LLMBadAnswer
from orchestra.registry import ToolRegistry, default_registry
from orchestra.selection.index import ToolIndex
from tests.llm_server import completion, scripted

TASK = "get the title of http://127.0.0.1:9/x"
GOOD = {"steps": [{"id": "fetch", "action": "fetch the page", "capability": "fetch",
                   "data": [{"kind": "url", "value": "http://127.0.0.1:9/x"}]}]}  # fmt: skip
TINY = "0," * 600_000  # 1.2 MB of tiny values


def config(base: str) -> LLMConfig:
    return LLMConfig(base_url=base, model="scripted", api_key="sk-test", timeout_s=30)


@pytest.mark.parametrize(
    "bad",
    [
        '{"steps": [{"id": "a", "action": "x", "capability": "fetch", "params": {"v": [' + TINY + "0]}}]}",
        "[" + TINY + "0]",
        '{"steps": "' + "x" * 1_200_000 + '"}',  # few values, but megabytes quoted back
    ],
)
async def test_a_huge_bad_answer_is_quoted_back_bounded(bad: str) -> None:
    with scripted([completion(bad), completion(json.dumps(GOOD))]) as (base, seen):
        async with ChatClient(config(base)) as chat:
            analysis = await analyse_llm(TASK, default_registry(), chat)
    assert [s.id for s in analysis.steps] == ["fetch"]
    quoted, told = seen[1]["body"]["messages"][-2:]
    assert quoted["role"] == "assistant" and len(quoted["content"]) < REPAIR_QUOTE_CHARS + 100
    assert "characters left out" in quoted["content"] and quoted["content"].startswith(bad[:100])
    assert len(told["content"]) < 2_200


async def test_an_answer_of_too_many_values_is_refused_unparsed() -> None:
    with scripted([completion("[" + TINY + "0]")]) as (base, seen):
        async with ChatClient(config(base)) as chat:
            with pytest.raises(LLMBadAnswer, match=f"more than {MAX_ANSWER_VALUES:,} JSON values"):
                await analyse_llm(TASK, default_registry(), chat)
    assert len(seen) == 3 and sum(len(json.dumps(s["body"])) for s in seen) < 3 * 64_000


class _Watched(ToolRegistry):
    """The default tools, noting the threads that read their index."""

    def __init__(self) -> None:
        super().__init__(default_registry())
        self.threads: set[int] = set()

    def index(self) -> ToolIndex:
        self.threads.add(threading.get_ident())
        return super().index()


async def test_the_work_after_the_answer_runs_off_the_event_loop() -> None:
    registry = _Watched()
    with scripted([completion(json.dumps(GOOD))]) as (base, _):
        async with ChatClient(config(base)) as chat:
            await analyse_llm(TASK, registry, chat)
    assert registry.threads and threading.get_ident() not in registry.threads
