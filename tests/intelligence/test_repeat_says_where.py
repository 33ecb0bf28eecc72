"""Mends around pass 30's "do the same for X" and the steps after a sink. Requests written for these
tests, with the media catalogue.

- A repeat whose sentence says again where its results go ("Do the same for memo.txt and save it to
  out2.txt") does not also copy the first sentence's destination: memo's summary was written to out.txt
  over notes' summary, as well as to out2.txt.
- A step ordered after a step that makes nothing it takes ("..., then summarize memo.txt" after "save it
  to out.txt") still reads its own file: it was given the name "memo.txt" as the text to summarize.
- "Do not do the same for memo.txt" is no repeat: memo.txt was summarized.
- A clause that names data of its own its tool cannot take ("Do the same for photo.jpg" after a
  transcription) is not given the file an earlier step took: talk.wav was transcribed twice; the user is
  asked for the data instead."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _plan(task: str) -> Plan:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None
    return result.execution.plan


def _writes(plan: Plan) -> list[tuple[str, str]]:
    return [(str(n.args["path"]), str(n.args["content"])) for n in plan.nodes if n.tool == "write_file"]


@pytest.mark.parametrize("joint", [" and", ", then"])
async def test_a_repeat_that_says_where_its_results_go_writes_only_there(joint: str) -> None:
    # before: also write_file {"path": "out.txt", "content": "${summarize_2.output.text}"}
    plan = await _plan(
        f"Summarize notes.txt and save it to out.txt. Do the same for memo.txt{joint} save it to out2.txt"
    )
    summaries = {str(n.args["text"]): n.id for n in plan.nodes if n.tool == "summarize_text"}
    reads = {str(n.args["path"]): n.id for n in plan.nodes if n.tool == "read_file"}
    first, second = (summaries[f"${{{reads[f]}.output.content}}"] for f in ("notes.txt", "memo.txt"))
    assert sorted(_writes(plan)) == [
        ("out.txt", f"${{{first}.output.text}}"),
        ("out2.txt", f"${{{second}.output.text}}"),
    ]


async def test_a_repeat_that_says_nowhere_keeps_the_work_copied_whole() -> None:
    plan = await _plan("Caption photo.jpg and save it to a.txt. Do the same for b.png")
    assert [p for p, _ in _writes(plan)] == ["a.txt", "a.txt"]


@pytest.mark.parametrize("then", ["Then summarize memo.txt.", "Then do the same for memo.txt."])
async def test_a_file_named_after_a_sink_is_read(then: str) -> None:
    # before: summarize_text {"text": "memo.txt"}
    plan = await _plan(f"Summarize notes.txt and save it to out.txt. {then}")
    assert {"text": "memo.txt"} not in [n.args for n in plan.nodes]
    (read,) = [n for n in plan.nodes if n.args == {"path": "memo.txt"}]
    assert any(n.args == {"text": f"${{{read.id}.output.content}}"} for n in plan.nodes)


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt. Do not do the same for memo.txt",
        "Summarize notes.txt, but do not do the same for memo.txt",
    ],
)
async def test_work_the_user_says_not_to_repeat_is_not_repeated(task: str) -> None:
    # before: memo.txt was read and summarized as well
    plan = await _plan(task)
    assert "memo.txt" not in str([n.args for n in plan.nodes])


@pytest.mark.parametrize(
    "task", ["Transcribe talk.wav. Do the same for photo.jpg", "Caption photo.jpg. Then caption talk.wav"]
)
async def test_a_clause_on_data_its_tool_cannot_take_does_not_redo_the_first_file(task: str) -> None:
    # before: the second step worked on the first clause's file again (talk.wav transcribed twice)
    plan = await _plan(task)
    first, second = plan.nodes
    assert first.tool == second.tool and second.args != first.args
    assert list(second.args.values()) == [f"${{inputs.{next(iter(plan.inputs))}}}"]
