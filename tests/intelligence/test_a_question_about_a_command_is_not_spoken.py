"""plan334: "Explain what 'git clean -fdx' removes" (media tools) was planned as read_aloud of the command and a
denoiser on the speech: "removes" found "Remove background noise", and the quote was made audio for it. What a quoted
command does, asked about, is a question (answered by the tool that answers, or missing), never the command spoken,
run or its files changed. A file told of is still read for it ("Explain what cleanup.sh removes"), and what is asked
of a quote or a recording stays as it was."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _tools(task: str) -> list[str]:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    return [n.tool for n in execution.plan.nodes] if execution.plan is not None else []


@pytest.mark.parametrize(
    "task",
    [
        "Explain what 'git clean -fdx' removes",
        "Explain what 'rm -rf build' deletes",
        "Explain which files 'git clean -fdx' removes",
        "Tell me what 'make clean' removes",
        "Describe what 'git push --force' overwrites",
        "Explain what 'docker system prune' deletes",
        "Explain what the command 'git clean -fdx' removes",
        "Clarify what 'rm -rf /tmp/x' erases",
        "Explain to me what 'git reset --hard' discards",
        "Show me what 'rm -rf x' deletes",
        "Explain what 'git clean -fdx' removes and why",
    ],
)
async def test_a_question_about_a_command_is_answered_not_spoken(task: str) -> None:
    tools = await _tools(task)
    assert not {"read_aloud", "denoise_audio", "shell", "delete_file", "caption_image"} & set(tools), tools


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Explain what cleanup.sh removes", ["read_file"]),
        ("Read 'hello world' aloud", ["read_aloud"]),
        ("Say 'git clean removes files' aloud", ["read_aloud"]),
        ("Remove the noise from talk.wav", ["denoise_audio"]),
        ("Denoise talk.wav", ["denoise_audio"]),
        ("Describe photo.jpg", ["caption_image"]),
        ("Summarize 'The tool removes files from the disk.'", ["summarize_text"]),
        ("Translate 'it removes files' into French", ["translate_text"]),
        ("Run 'git clean -fdx'", ["shell"]),
        ("Delete b.txt", ["delete_file"]),
    ],
)
async def test_other_work_on_a_quote_stays(task: str, tools: list[str]) -> None:
    assert await _tools(task) == tools
