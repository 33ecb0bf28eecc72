"""A clause working on "each" / "every" result of the step before names that result by its tool's noun ("enhance
each segment" after a segmentation), as "the segments" did: the noun is what is worked on, not work to do again.
The clause was folded into the segmentation as a restatement, and the enhancement lost. Requests written for
these tests, with the archive catalogue."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import ARCHIVE, tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "Segment scan.jpg and enhance each segment.",
        "Segment scan.jpg, then restore every segment.",
        "Segment scan.jpg and enhance the segments.",
    ],
)
def test_each_segment_is_the_segmentations_result(task: str) -> None:
    assert tools_chosen(task, ARCHIVE) == ["segment_page", "restore_page"]


def test_the_work_asked_again_is_done_again() -> None:
    assert tools_chosen("Segment scan.jpg and segment each region again.", ARCHIVE) == ["segment_page", "segment_page"]
