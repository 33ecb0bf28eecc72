"""A source and a destination compared as the workspace names files, not as written (plan124): "Save the summary
of notes.txt to ./notes.txt" wrote the summary over notes.txt, where "... to notes.txt" asked where to write."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "place",
    ["notes.txt", "./notes.txt", "docs/../notes.txt", ".//notes.txt", "./docs/../notes.txt"],
)
async def test_a_summary_saved_to_the_file_it_summarises_asks_where(place: str) -> None:
    calls, missing, _ = await calls_asked_and_said(f"Save the summary of notes.txt to {place}", MEDIA)
    writes = [args for tool, args in calls if tool == "write_file"]
    assert writes and all(str(w["path"]).startswith("${inputs.") for w in writes), calls
    assert missing == ["write_file_path"]


@pytest.mark.parametrize("place", ["notes2.txt", "docs/notes.txt", "Notes.txt", "x/../y/notes.txt"])  # "../": asked
async def test_another_file_is_written(place: str) -> None:
    calls, missing, _ = await calls_asked_and_said(f"Save the summary of notes.txt to {place}", MEDIA)
    assert ("write_file", {"path": place, "content": "${summarize.output.text}"}) in calls and not missing, calls


async def test_a_file_named_twice_in_two_ways_is_one_file() -> None:
    calls, missing, _ = await calls_asked_and_said("Caption ./a.jpg and a.jpg", MEDIA)
    assert calls == [("caption_image", {"image": "./a.jpg"})] and not missing


@pytest.mark.parametrize("written", ["./notes.txt", "notes.txt", "a/../notes.txt"])
async def test_a_command_writing_the_file_it_runs_on_is_asked(written: str) -> None:
    calls, missing, said = await calls_asked_and_said(f"run 'sort -o {written}' on notes.txt")
    assert missing == ["shell_cmd"], calls
    assert any("would write, not read" in s for s in said), said
