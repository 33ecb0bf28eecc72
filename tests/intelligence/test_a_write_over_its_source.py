"""A write over the file its content comes from follows one rule (plan141): asked where, with why, unless the words
say it is written over ("overwrite notes.txt with it", "... over notes.txt"). "Translate notes.txt and save it to
notes.txt" wrote over the text it translated while "Save the summary of notes.txt to notes.txt" asked (and wrote
the file's text beside the summary); "Save notes.txt over notes.txt" asked for the content."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


def _written(calls: list[tuple[str, dict[str, object]]]) -> list[dict[str, object]]:
    return [args for tool, args in calls if tool == "write_file"]


@pytest.mark.parametrize(
    ("task", "content"),
    [
        ("Translate notes.txt and save it to notes.txt", "${translate.output.text}"),
        ("Translate notes.txt and save it to ./notes.txt", "${translate.output.text}"),
        ("Save the summary of notes.txt to notes.txt", "${summarize.output.text}"),
        ("Save notes.txt over notes.txt", "${read.output.content}"),
        ("Save notes.txt to notes.txt", "${read.output.content}"),
        ("Read notes.txt and write it to notes.txt", "${read.output.content}"),
    ],
)
async def test_a_write_over_its_source_asks_where(task: str, content: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    assert _written(calls) == [{"path": "${inputs.write_file_path}", "content": content}]
    assert missing == ["write_file_path"]
    assert any("notes.txt" in s and "what it writes comes from" in s for s in said), said


@pytest.mark.parametrize(
    "task",
    [
        "Translate notes.txt and overwrite notes.txt with it",
        "Summarize notes.txt and write the summary over notes.txt",
    ],
)
async def test_a_write_said_to_be_over_it_is_done(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert [w["path"] for w in _written(calls)] == ["notes.txt"] and not missing


async def test_a_write_elsewhere_is_done() -> None:
    calls, missing, said = await calls_asked_and_said("Translate notes.txt and save it to b.txt", MEDIA)
    assert [w["path"] for w in _written(calls)] == ["b.txt"] and not missing
    assert not [s for s in said if "comes from" in s]
