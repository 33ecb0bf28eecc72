"""plan182 (issues 8, 11): "get rid of notes.txt", "throw away / throw out a.txt", "wipe notes.txt" were steps no tool
served ("get", "throw", "wipe" found nothing), and with a catalogue whose denoiser says "remove", "remove it" / "remove
each of them" after a read were missing too. A file whole taken away is a delete, in the deleter's word; a part taken
from a file ("get rid of the noise in talk.wav", "wipe the comments from main.py") never deletes the file."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _plan(task: str) -> Plan:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert not result.execution.missing, result.execution.missing
    assert not result.execution.missing_inputs, result.execution.missing_inputs
    assert result.execution.plan is not None
    return result.execution.plan


@pytest.mark.parametrize(
    ("task", "deleted"),
    [
        ("Get rid of notes.txt", ["notes.txt"]),
        ("Throw away notes.txt", ["notes.txt"]),
        ("Wipe notes.txt", ["notes.txt"]),
        ("Shred secret.txt", ["secret.txt"]),
        ("Throw out a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Read notes.txt, then get rid of it", ["notes.txt"]),
        ("Read a.txt and throw it away", ["a.txt"]),
        ("Read a.txt, then remove it", ["a.txt"]),
        ("Read a.txt and b.txt, then remove each of them", ["a.txt", "b.txt"]),
        ("Read a.txt and b.txt, then get rid of both", ["a.txt", "b.txt"]),
    ],
)
async def test_a_file_taken_away_whole_is_deleted(task: str, deleted: list[str]) -> None:
    plan = await _plan(task)
    assert sorted(n.args["path"] for n in plan.nodes if n.tool == "delete_file") == deleted


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("Get rid of the noise in talk.wav", "denoise_audio"),
        ("Throw out the noise from talk.wav", "denoise_audio"),
    ],
)
async def test_a_part_taken_away_deletes_no_file(task: str, tool: str) -> None:
    plan = await _plan(task)
    assert [n.tool for n in plan.nodes] == [tool]


@pytest.mark.parametrize("task", ["Wipe the comments from main.py", "Get rid of the comments in main.py"])
async def test_a_part_no_tool_takes_away_is_missing_not_deleted(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing, result.execution
    assert result.execution.plan is None or not any(n.tool == "delete_file" for n in result.execution.plan.nodes)


@pytest.mark.parametrize(
    "task", ["Read notes.txt, then remove the notes from it", "Read notes.txt, then get rid of the notes in it"]
)
async def test_a_part_taken_from_a_text_read_is_no_denoise(task: str) -> None:
    """It planned denoise_audio and asked the user for audio: "it" is the text read, which nothing here edits."""
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing, result.execution
    assert not result.execution.missing_inputs, result.execution.missing_inputs
    assert result.execution.plan is not None
    assert [n.tool for n in result.execution.plan.nodes] == ["read_file"]


async def test_a_part_taken_from_audio_made_before_is_still_denoised() -> None:
    plan = await _plan("Generate speech from 'hello', then remove the noise from it")
    assert [n.tool for n in plan.nodes] == ["read_aloud", "denoise_audio"]


async def test_a_file_got_rid_of_is_listed_as_deleted() -> None:
    result = await plan_task("Read a.txt, then get rid of it", as_the_cli_plans(MEDIA))
    resources = result.analysis.resource_requirements
    assert (resources.files_read, resources.files_deleted) == (["a.txt"], ["a.txt"])
