"""A question asked after work, of what it made, with no word pointing back ("Transcribe x.wav and tell me who is
speaking") is the clause's words, asked of the result before it, as "who wrote it?" is: the transcript was given as
the question and the context was asked for. A question naming data of its own, or work that is no question, keeps
its plan."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Transcribe x.wav and tell me who is speaking",
        "Transcribe x.wav, then tell me who is speaking",
        "Transcribe x.wav and tell me who the speakers are",
        "Transcribe meeting.mp3 and tell me when the meeting starts",
        "Transcribe x.wav and tell me which topics come up",
        "Transcribe x.wav and let me know who is speaking",
        "Transcribe x.wav and tell me why the speaker is upset",
        "Read a.txt and tell me who the author is",
        "Transcribe x.wav and tell us who is talking",
        "Summarize notes.txt and tell me who is mentioned",
        "Transcribe x.wav and tell me whether anyone mentions Paris",
    ],
)
async def test_a_question_after_work_is_asked_of_it(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    answers = [n for n in result.plan.nodes if n.tool == "answer_question"]
    assert len(answers) == 1, result.plan.nodes
    assert "${" not in str(answers[0].args.get("q")), answers[0].args
    assert str(answers[0].args.get("context", "")).startswith("${"), answers[0].args
    assert not result.missing_inputs, result.missing_inputs


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Transcribe x.wav", ["transcribe_audio"]),
        ("Transcribe x.wav. Who is speaking?", ["transcribe_audio", "answer_question"]),
        ("Read a.txt and tell me who wrote it", ["read_file", "answer_question"]),
        ("Transcribe x.wav and summarize it", ["transcribe_audio", "summarize_text"]),
        ("Transcribe x.wav and translate it", ["transcribe_audio", "translate_text"]),
        ("Caption photo.jpg", ["caption_image"]),
        ("Summarize notes.txt and read it aloud", ["read_file", "summarize_text", "read_aloud"]),
        ("Transcribe x.wav and save it to t.txt", ["transcribe_audio", "write_file"]),
        ("Read a.txt and tell me whether it is positive", ["read_file", "classify_sentiment"]),
        ("Transcribe x.wav and write it to a.txt", ["transcribe_audio", "write_file"]),
    ],
)
async def test_other_work_after_work_keeps_its_plan(task: str, tools: list[str]) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    assert sorted(n.tool for n in result.plan.nodes) == sorted(tools), result.plan.nodes
