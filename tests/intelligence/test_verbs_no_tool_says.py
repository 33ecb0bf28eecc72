"""A verb no tool's words hold (pass 53): "execute 'ls'" where the shell says "run", "get http://..." where the
fetcher says "download", "say notes.txt out loud" where the speaker says "synthesize". No lexicon per tool: the
step's data leave one tool (the only one taking a command, a URL; the only one making the speech asked for from
text), and the verb's meaning stands nearer that tool than the median tool, or says only "do". Requests written
for these tests, with the built-ins and the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _steps(task: str, media: bool = False) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    result = await plan_task(task, default_registry([MEDIA] if media else []))
    plan = result.execution.plan
    return ([(n.tool, n.args) for n in plan.nodes] if plan else []), result.execution.missing


@pytest.mark.parametrize("verb", ["execute", "Execute"])
async def test_a_command_executed_runs_in_the_shell(verb: str) -> None:
    # before: "No suitable tool found, nearest: none"
    steps, missing = await _steps(f"{verb} 'ls'")
    assert steps == [("shell", {"cmd": "ls"})] and not missing


async def test_a_page_got_is_fetched() -> None:
    # before: no tool ("get" only says "do"; the URL says what to do with it)
    steps, missing = await _steps("get http://127.0.0.1:8000/a")
    assert steps == [("http_request", {"url": "http://127.0.0.1:8000/a"})] and not missing


@pytest.mark.parametrize("task", ["translate http://127.0.0.1:8000/a", "teleport the cat"])
async def test_work_no_tool_does_stays_missing(task: str) -> None:
    # a URL's only taker (the fetcher) does not translate it: the verb's meaning is not near it
    steps, missing = await _steps(task)
    assert not steps and missing


@pytest.mark.parametrize(
    ("task", "spoken"),
    [("Say notes.txt out loud", "${read.output.content}"), ("Say 'hello' out loud", "hello")],
)
async def test_say_out_loud_speaks(task: str, spoken: str) -> None:
    # before: "no action found" ("say" opened a supposition)
    steps, _ = await _steps(task, media=True)
    assert steps[-1] == ("read_aloud", {"text": spoken})


async def test_a_supposition_opened_by_say_is_still_context() -> None:
    steps, _ = await _steps("Say I have notes.txt. Translate it", media=True)
    assert [tool for tool, _ in steps] == ["read_file", "translate_text"]
    steps, _ = await _steps("Let's say the text is 'hello'. Translate it", media=True)
    assert steps == [("translate_text", {"text": "hello"})]
