"""A "hold on" or "hang on" that stays a clause (not an interjection before a question) is a pause, as "wait" is.
Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import output_of, whole_plan


@pytest.mark.parametrize(
    "task",
    [
        "Caption photo.jpg. Hold on, then read it aloud",
        "Caption photo.jpg, hold on, then read it aloud",
        "Caption photo.jpg. Hang on for 5 seconds, then read it aloud",
    ],
)
async def test_held_on_between_work_is_a_pause(task: str) -> None:
    # before: a step no tool serves ("hold"), or the caption made by reading photo.jpg as a text file
    plan = await whole_plan(task)
    caption, wait, speak = plan.nodes
    assert (caption.tool, wait.tool, speak.tool) == ("caption_image", "sleep", "read_aloud")
    assert caption.args == {"image": "photo.jpg"} and speak.args == {"text": output_of(caption.id, "text")}
    assert wait.depends_on == [caption.id] and speak.depends_on == [wait.id]
