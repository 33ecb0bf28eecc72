"""What is kept beside a picture (its old versions, its duplicates, its thumbnails, its metadata) is no part of
it that an editor takes away (attack94), with the media catalogue: "Delete the old versions of photo.jpg" and
"Delete the duplicates of photo.jpg in src/" planned edit_image on photo.jpg with the request as its
instruction (plan88's changes said by a part taken away), where files are to be deleted and no tool here does it."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "Delete the old versions of photo.jpg",
        "Delete the duplicates of photo.jpg in src/",
        "Delete the backups of photo.jpg",
        "Delete the thumbnails of photo.jpg",
    ],
)
def test_what_is_kept_beside_a_picture_is_not_edited_away(task: str) -> None:
    assert tools_chosen(task) == ["-"]


@pytest.mark.parametrize("task", ["Delete the background of photo.jpg", "Remove the old car from photo.jpg"])
def test_a_part_of_the_picture_still_is(task: str) -> None:
    assert tools_chosen(task) == ["edit_image"]
