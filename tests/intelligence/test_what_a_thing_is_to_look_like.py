"""What a thing is to look like is a reference, not one more thing to work on (plan124): "Edit photo.jpg to look
like https://x/style.jpg" downloaded the URL for an edit that never used it, "... like style.jpg" edited style.jpg
too. A file named only inside what a tool is told (its instruction) is said to go to no call: an editor elsewhere
sees a name, never the file."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "reference"),
    [
        ("Edit photo.jpg to look like https://x.example/style.jpg", None),  # a URL in words an editor may fetch
        ("Edit photo.jpg to look like style.jpg", "style.jpg"),
        ("Edit photo.jpg so it looks like the style.jpg", "style.jpg"),
    ],
)
async def test_a_reference_is_neither_edited_nor_fetched(task: str, reference: str | None) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    assert [(tool, args.get("image")) for tool, args in calls] == [("edit_image", "photo.jpg")], calls
    assert not missing
    if reference is not None:
        assert any(f"{reference!r}" in s and "given to no call" in s for s in said), said


@pytest.mark.parametrize(
    ("task", "images"),
    [
        ("Edit a.jpg and b.jpg to look like a painting", ["a.jpg", "b.jpg"]),
        ("Caption a.jpg and b.jpg", ["a.jpg", "b.jpg"]),
    ],
)
async def test_things_worked_on_are_each_a_call(task: str, images: list[str]) -> None:
    calls, _, said = await calls_asked_and_said(task, MEDIA)
    assert [args.get("image") for _, args in calls] == images and not [s for s in said if "no call" in s]


async def test_two_things_compared_are_both_taken() -> None:
    calls, missing, said = await calls_asked_and_said("How similar is a.txt to b.txt?", MEDIA)
    assert calls[-1] == ("sentence_similarity", {"a": "${read_1.output.content}", "b": "${read_2.output.content}"})
    assert not missing and not [s for s in said if "given to no call" in s]


async def test_a_file_the_instruction_names_that_is_also_edited_is_no_warning() -> None:
    _, _, said = await calls_asked_and_said("Edit photo.jpg to add a hat", MEDIA)
    assert said == []
