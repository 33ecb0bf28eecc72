"""plan334: work said by its noun found another tool than its verb, or none: "Give me an explanation of x.py" found
no tool saying "explain" (the stems "explan" and "explain" differ), "I need a summary of a.txt" was "no action
found", and "Give me a transcription of talk.wav" (no transcriber registered) read talk.wav as text. The noun finds
the verb's tool, or the step is missing as the verb's is."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

VERBS = Path(__file__).with_name("verb_said_tools.yaml")


async def _tools(task: str, *catalogues: Path) -> list[str]:
    execution = (await plan_task(task, as_the_cli_plans(*catalogues))).execution
    return [n.tool for n in execution.plan.nodes] if execution.plan is not None else []


@pytest.mark.parametrize(
    ("noun", "verb", "catalogue"),
    [
        ("Give me an explanation of x.py", "Explain x.py", VERBS),
        ("Provide an explanation of x.py", "Explain x.py", VERBS),
        ("I need an explanation of x.py", "Explain x.py", VERBS),
        ("Write an explanation of x.py", "Explain x.py", VERBS),
        ("Give me a description of photo.jpg", "Describe photo.jpg", VERBS),
        ("I'd like a detailed description of photo.jpg", "Describe photo.jpg", VERBS),
        ("Give me an analysis of a.txt", "Analyze a.txt", VERBS),
        ("We need an analysis of a.txt", "Analyze a.txt", VERBS),
        ("Give me an extension of story.txt", "Extend story.txt", VERBS),
        ("Give me a summary of a.txt", "Summarize a.txt", MEDIA),
        ("I need a summary of a.txt", "Summarize a.txt", MEDIA),
        ("Give me a translation of b.txt into French", "Translate b.txt into French", MEDIA),
        ("I need a transcription of talk.wav", "Transcribe talk.wav", MEDIA),
        ("Give me a transcription of talk.wav", "Transcribe talk.wav", MEDIA),
    ],
)
async def test_the_noun_finds_the_verbs_tool(noun: str, verb: str, catalogue: Path) -> None:
    said = await _tools(verb, catalogue)
    assert said and await _tools(noun, catalogue) == said


@pytest.mark.parametrize("task", ["Give me a transcription of talk.wav", "Give me an explanation of x.py"])
async def test_a_noun_no_tool_serves_is_missing_as_its_verb(task: str) -> None:
    assert await _tools(task) == []  # the built-ins: no transcriber, no explainer; talk.wav is not read as text


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Read x.py", ["read_file"]),
        ("Delete x.py", ["delete_file"]),
        ("Get http://example.com/a", ["http_request"]),
        ("List the files in logs/", ["list_files"]),
        ("Describe photo.jpg", ["describe_picture"]),
        ("Explain x.py", ["read_file", "explain_code"]),
        ("Transcribe talk.wav", []),
    ],
)
async def test_work_said_by_its_verb_stays(task: str, tools: list[str]) -> None:
    assert await _tools(task, VERBS) == tools
