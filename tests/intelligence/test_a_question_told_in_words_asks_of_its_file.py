"""Asked to be told what a question word opens, of a file it names ("Tell me who wrote a.txt", "Let me know which
city notes.txt names"), the clause's words are the question and the file what it is asked of, as "Who wrote a.txt?"
is: the file's text was given as the question and the context asked for. Work that is no question keeps its plan."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Tell me who wrote a.txt",
        "Tell me what a.txt says about Paris",
        "Let me know which city notes.txt names",
        "Tell me when the meeting in notes.txt starts",
        "Please tell me where the party in invite.txt is",
        "Tell us who signed contract.txt",
        "Show me which product in list.txt is cheapest",
        "Tell me why the build in log.txt failed",
        "Tell me whether a.txt mentions Paris",
        "Let me know who the author of essay.txt is",
        "Tell me what x.wav is about",
    ],
)
async def test_a_question_told_in_words_asks_of_its_file(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    (answer,) = [n for n in result.plan.nodes if n.tool == "answer_question"]
    assert "${" not in str(answer.args["q"]), answer.args
    assert str(answer.args["context"]).startswith("${"), answer.args
    assert not result.missing_inputs, result.missing_inputs


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Tell me the summary of a.txt", ["read_file", "summarize_text"]),
        ("Read a.txt", ["read_file"]),
        ("Summarize a.txt", ["read_file", "summarize_text"]),
        ("Who wrote a.txt?", ["read_file", "answer_question"]),
        ("Translate a.txt", ["read_file", "translate_text"]),
        ("Caption photo.jpg", ["caption_image"]),
        ("Transcribe x.wav", ["transcribe_audio"]),
        ("Is a.txt positive?", ["read_file", "classify_sentiment"]),
        ("Read a.txt aloud", ["read_file", "read_aloud"]),
        ("Show me what is in photo.jpg", ["caption_image"]),
    ],
)
async def test_other_work_on_a_file_keeps_its_plan(task: str, tools: list[str]) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    assert sorted(n.tool for n in result.plan.nodes) == sorted(tools), result.plan.nodes
