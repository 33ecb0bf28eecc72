"""A clause naming an earlier step's result ("the caption", "the transcript") takes that result when the step just
before made a picture or a sound: "Caption photo.jpg, generate a picture from it, then translate the caption"
captioned the painted picture anew (a step nobody asked for) and translated that caption, not photo.jpg's. A clause
naming the new medium ("caption the new picture") still works on it. Requests written for these tests."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import output_of, whole_plan


@pytest.mark.parametrize(
    ("task", "first", "tool"),
    [
        ("Caption photo.jpg, generate a picture from it, then translate the caption", "caption", "translate_text"),
        (
            "Caption photo.jpg. Using that caption, generate a new picture and read the caption aloud",
            "caption",
            "read_aloud",
        ),
        ("Transcribe talk.wav, make a picture of it, then summarize the transcript", "transcribe", "summarize_text"),
        (
            "Transcribe talk.wav, read the transcript aloud, then translate the transcript into French",
            "transcribe",
            "translate_text",
        ),
    ],
)
async def test_the_result_named_is_taken_as_it_is(task: str, first: str, tool: str) -> None:
    plan = await whole_plan(task)
    (node,) = [n for n in plan.nodes if n.tool == tool]
    assert node.args["text"] == output_of(first, "text")
    assert len(plan.nodes) == 3  # no step turns the picture or the speech back into text


async def test_a_clause_naming_the_new_medium_works_on_it() -> None:
    plan = await whole_plan("Caption photo.jpg, paint a picture from it, then caption the new picture")
    assert plan.nodes[-1].tool == "caption_image"
    assert str(plan.nodes[-1].args["image"]).startswith("${paint.output")
