"""plan214: "Store the summary of the text in notes.txt" (built-ins) wrote over notes.txt, which may be the text
summarized: where a thing made of an unnamed source goes is asked when it is the only file the request names."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize("media", [False, True])
@pytest.mark.parametrize(
    "task", ["Store the summary of the text in notes.txt", "Save the translation of it to notes.txt"]
)
async def test_a_write_over_the_only_file_named_is_asked(task: str, media: bool) -> None:
    calls, asked, _ = await calls_asked_and_said(task, *([MEDIA] if media else []))
    assert not any(args.get("path") == "notes.txt" for _, args in calls), calls
    assert "write_file_path" in asked, asked


@pytest.mark.parametrize(
    "task", ["Save the summary of notes.txt to out.txt", "Summarize a.txt and save the summary of it to notes.txt"]
)
async def test_a_write_with_its_source_named_goes_where_said(task: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1][0] == "write_file" and not asked, (calls, asked)
