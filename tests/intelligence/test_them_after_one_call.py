"""What "them" stores after a chain of steps each making one result: every result the user asked for (the
transcript and its summary), as after steps making results of several kinds; after steps making several
results each, those results, not also what they were made from. Requests written for these tests, with the
media catalogue."""

from __future__ import annotations

from pathlib import Path

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


async def _plan(task: str) -> Plan:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    return result.execution.plan


async def test_them_after_a_chain_of_one_call_each_stores_every_result() -> None:
    # before: only the summary, while "caption ... read it aloud, then save them" stored both
    plan = await _plan("Transcribe talk.wav and summarize it, then save them to out.txt")
    heard, summary, save = plan.nodes
    assert [heard.tool, summary.tool, save.tool] == ["transcribe_audio", "summarize_text", "write_file"]
    assert save.args["content"] == f"${{{heard.id}.output.text}}\n${{{summary.id}.output.text}}\n"


async def test_it_after_the_same_chain_stores_its_end() -> None:
    plan = await _plan("Transcribe talk.wav and summarize it, then save it to out.txt")
    _, summary, save = plan.nodes
    assert save.args["content"] == f"${{{summary.id}.output.text}}"


async def test_them_after_several_calls_are_their_results_not_what_they_were_made_from() -> None:
    plan = await _plan("Download https://a.example/x and https://b.example/y, summarize them and save them to out.json")
    summaries = [n.id for n in plan.nodes if n.tool == "summarize_text"]
    (save,) = [n for n in plan.nodes if n.tool == "write_file"]
    assert save.args["json"] == [f"${{{s}.output.text}}" for s in summaries]
