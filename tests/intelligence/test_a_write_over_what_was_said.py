"""attack242 (third_party): "Summarize notes.txt, then overwrite it with the summary" planned the summary alone: the
write, ranked by "summary", went to the summariser and was dropped as the summary said again, with no note. A clause
writing over a file said before ("overwrite it with ...", "write the summary over it", "save it back") is a writer's,
told a path; "overwrite notes.txt with the summary" after a summary writes that summary, not a second one (third_party
wrote a sentiment score over notes.txt: a writer taking text or json fit a json maker before it better)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt, then overwrite it with the summary",
        "Summarize notes.txt and write the summary over it",
        "Summarize notes.txt and save it back",
    ],
)
@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
async def test_a_write_over_it_is_a_write_of_the_summary(task: str, catalogue: Path) -> None:
    calls, _, _ = await calls_asked_and_said(task, catalogue)
    assert [tool for tool, _ in calls] == ["read_file", "summarize_text", "write_file"], calls
    assert "summarize.output" in str(calls[-1][1]["content"]), calls


@pytest.mark.parametrize(
    ("task", "path"),
    [
        ("Summarize notes.txt, then overwrite notes.txt with the summary", "notes.txt"),
        ("Summarize a.txt and replace b.txt with the summary", "b.txt"),
        ("Replace notes.txt with the summary", "notes.txt"),
    ],
)
@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
async def test_the_summary_written_over_a_file_is_the_one_summary(task: str, path: str, catalogue: Path) -> None:
    calls, _, _ = await calls_asked_and_said(task, catalogue)
    assert [tool for tool, _ in calls] == ["read_file", "summarize_text", "write_file"], calls
    assert calls[-1][1]["path"] == path and "summarize.output" in str(calls[-1][1]["content"]), calls
