"""'Do the same on memo.txt': the work asked before, again, on the data the clause names. Requests written
for these tests, with the media catalogue."""

from __future__ import annotations

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _plan(task: str) -> Plan:
    result = await plan_task(task, default_registry([MEDIA]))
    assert not result.execution.missing, result.execution.missing
    assert result.execution.plan is not None
    return result.execution.plan


async def test_the_same_work_takes_the_new_data() -> None:
    # before: "do the same on memo.txt" was read as data presented, and memo.txt was never summarized
    plan = await _plan("Summarize notes.txt. Then do the same on memo.txt.")
    read = {n.id: n.args["path"] for n in plan.nodes if n.tool == "read_file"}
    summaries = [n.args["text"] for n in plan.nodes if n.tool == "summarize_text"]
    assert sorted(read.values()) == ["memo.txt", "notes.txt"]
    assert summaries == [f"${{{step}.output.content}}" for step in read]


async def test_every_step_of_the_sentence_before_is_repeated_in_order() -> None:
    plan = await _plan("Transcribe a.wav and summarize it. Then do the same for b.wav.")
    assert [(n.tool, n.args) for n in plan.nodes][2:] == [
        ("transcribe_audio", {"audio": "b.wav"}),
        ("summarize_text", {"text": f"${{{plan.nodes[2].id}.output.text}}"}),
    ]


async def test_each_repeat_keeps_the_rest_of_the_work() -> None:
    plan = await _plan("Translate 'hello' into French. Do the same with 'goodbye'. Do the same with 'thanks'.")
    assert [(n.tool, n.args["text"]) for n in plan.nodes] == [
        ("translate_text", "hello"),
        ("translate_text", "goodbye"),
        ("translate_text", "thanks"),
    ]


async def test_the_same_said_of_something_else_is_no_repeat() -> None:
    # "the same language" names a thing: one translation
    plan = await _plan("Translate 'hello' into the same language as 'bonjour'.")
    assert [n.tool for n in plan.nodes] == ["translate_text"]
