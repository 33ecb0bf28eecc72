"""issue 11: a second change of a picture said by its noun ("Edit photo.jpg so the sky is blue. Then edit the picture
to add a moon") was read as the same work on new data: the picture and the instruction were both asked for, and
"then edit the photo so the grass is yellow" was dropped unsaid as a restatement of the first edit. An editor's new
words say how it changes, not what: the second edit takes the first's picture and its own words as the instruction.
A file of its own or "my other picture" is still other data."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

EDITED = "${edit.output.json.image || edit.output.text}"


@pytest.mark.parametrize(
    ("task", "told"),
    [
        ("Edit photo.jpg so the sky is blue. Then edit the picture to add a moon", "edit the picture to add a moon"),
        ("Edit photo.jpg so the sky is blue. Then edit the image by adding a moon", "edit the image by adding a moon"),
        ("Edit photo.jpg to make the sky blue and then edit the photo to add a cat", "edit the photo to add a cat"),
        (
            "Edit photo.jpg to add a hat. Then edit the photo so the grass is yellow",
            "edit the photo so the grass is yellow",
        ),
    ],
)
async def test_a_second_edit_takes_the_first_edits_picture(task: str, told: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("edit_image", {"image": EDITED, "instruction": told}), calls
    assert not asked, asked


async def test_a_second_edit_said_without_edit_is_kept() -> None:
    calls, asked, _ = await calls_asked_and_said(
        "Make the sky in photo.jpg blue. Then edit the photo so the grass is yellow", MEDIA
    )
    assert [tool for tool, _ in calls] == ["edit_image", "edit_image"], calls
    assert calls[-1][1]["instruction"] == "edit the photo so the grass is yellow", calls
    assert not asked, asked


@pytest.mark.parametrize(
    ("task", "image"),
    [
        ("Edit photo.jpg so the sky is blue, then edit b.jpg to add a moon", "b.jpg"),
        ("Edit photo.jpg so the sky is blue, then edit my other picture to add a moon", "${inputs.edit_2_image}"),
    ],
)
async def test_an_edit_of_other_data_is_not_chained(task: str, image: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1][1]["image"] == image, calls
