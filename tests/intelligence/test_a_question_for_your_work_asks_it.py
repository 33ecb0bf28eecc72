"""A question for the assistant's own work ("Read notes.txt. What is your summary?") asks that work: read as a
question to the assistant itself, it was dropped and the plan only read the file, saying nothing. Questions to the
assistant about no work ("What is your name?", "What do you think?") keep their plans."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _tools(task: str) -> list[str]:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    return [n.tool for n in result.plan.nodes]


@pytest.mark.parametrize(
    "task",
    [
        "Read notes.txt. What is your summary?",
        "Read notes.txt. What's your summary?",
        "Read notes.txt. What would be your summary?",
        "Read report.txt. What is your summary?",
        "Here is notes.txt. What is your summary?",
        "Read notes.txt. Whats your summary?",
        "Read notes.txt. What are your summaries?",
        "Read notes.txt. What is your summary of it?",
        "Look at notes.txt. What is your summary?",
        "Open notes.txt. What is your summary?",
    ],
)
async def test_the_work_is_asked(task: str) -> None:
    assert await _tools(task) == ["read_file", "summarize_text"]


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Read notes.txt. What is your name?", ["read_file"]),
        ("Read notes.txt. What do you think?", ["read_file"]),
        ("Read notes.txt and give me your summary", ["read_file", "summarize_text"]),
        ("Transcribe a.wav. What is your transcription?", ["transcribe_audio", "answer_question"]),
        ("Read notes.txt. What is the summary?", ["read_file", "summarize_text"]),
        ("Read notes.txt. Summarize it", ["read_file", "summarize_text"]),
        ("Summarize notes.txt. What is your result?", ["read_file", "summarize_text", "answer_question"]),
        ("Read notes.txt. What is your opinion?", ["read_file"]),
        ("Read notes.txt. How are you?", ["read_file"]),
        ("Read notes.txt. What is your favourite colour?", ["read_file"]),
    ],
)
async def test_other_questions_keep_their_plans(task: str, tools: list[str]) -> None:
    assert await _tools(task) == tools
