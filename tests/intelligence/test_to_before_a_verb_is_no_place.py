"""plan347: a step the analysis added (a write of the result to a file the clause names) is judged by its clause,
and a clause saying the file after "to" or "into" asks the write ("output hello to b.txt"). "to" before a verb is its
infinitive, no place: "Try to caption photo.jpg", "Use the model to caption photo.jpg" wrote the caption over
photo.jpg, the image the user asked captioned, and "Bob has to summarize b.txt" was refused as a "write to b.txt"."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _read(task: str) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    calls = [(n.tool, n.args) for n in result.plan.nodes] if result.plan is not None else []
    return calls, [*result.missing, *result.problems]


@pytest.mark.parametrize(
    ("task", "place"),
    [
        ("Try to caption photo.jpg", "photo.jpg"),
        ("Use the model to caption photo.jpg", "photo.jpg"),
        ("Use caption_image to caption photo.jpg", "photo.jpg"),
        ("It would be nice to caption photo.jpg", "photo.jpg"),
        ("Try to describe photo.jpg", "photo.jpg"),
        ("Attempt to caption photo.jpg", "photo.jpg"),
        ("Bob has to summarize b.txt", "b.txt"),
        ("Bob is going to summarize b.txt", "b.txt"),
        ("Bob needs to caption photo.jpg", "photo.jpg"),
    ],
)
async def test_the_file_after_an_infinitive_is_not_written(task: str, place: str) -> None:
    calls, reasons = await _read(task)
    assert not [args for tool, args in calls if tool == "write_file" and args.get("path") == place], calls
    assert not any(f"write to {place}" in r for r in reasons), reasons


@pytest.mark.parametrize(
    ("task", "place"),
    [
        ("Summarize notes.txt into summary.txt", "summary.txt"),
        ("Output hello to b.txt", "b.txt"),
        ("Translate a.txt to French and save it to b.txt", "b.txt"),
        ("Summarize a.txt and output it to b.txt", "b.txt"),
        ("Write the summary of a.txt to b.txt", "b.txt"),
        ("Caption photo.jpg into caption.txt", "caption.txt"),
    ],
)
async def test_the_place_said_is_written(task: str, place: str) -> None:
    calls, reasons = await _read(task)
    assert [args for tool, args in calls if tool == "write_file" and args.get("path") == place], (calls, reasons)
