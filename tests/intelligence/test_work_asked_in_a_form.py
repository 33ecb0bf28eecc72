"""Work asked for in a form of media (plan104): "Summarize notes.txt in an audio format" read the file aloud (the
speech synthesizer makes audio; the summary was dropped), "a rundown ... in an audio format" likewise. The work is
done, then its result made that kind. A form that is how a result is stored ("save it as an audio clip"), the
place of the thing asked about ("what objects are in the image?"), or a clause naming the kind itself ("read it
aloud as audio") is no second step."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt in an audio format",
        "Give me a summary of notes.txt as audio",
        "Could you create a rundown of key points of notes.txt for me in an audio format?",
    ],
)
async def test_the_work_then_its_result_in_the_form_asked(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    execution = result.execution
    assert execution.plan is not None and not execution.missing
    nodes = execution.plan.nodes
    assert [n.tool for n in nodes] == ["read_file", "summarize_text", "read_aloud"]
    assert nodes[2].args == {"text": f"${{{nodes[1].id}.output.text}}"}


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Read notes.txt aloud as audio", ["read_file", "read_aloud"]),
        ("Can you help identify what objects are in the image photo.jpg?", ["detect_objects"]),
        ("Convert the text 'hello' as audio", ["read_aloud"]),
    ],
)
def test_a_form_that_is_the_work_itself_is_one_step(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools
