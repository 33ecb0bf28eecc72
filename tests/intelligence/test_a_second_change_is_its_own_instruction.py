"""attack273 (issue 11): "Edit photo.jpg to make the sky red, then make the background white" edited the sky alone,
the second change folded into the first call and lost; "Caption photo.jpg, then make the background white" edited
the photo as its caption said. A change said by the state it gives is its own instruction, in a call of its own."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "told"),
    [
        ("Edit photo.jpg to make the sky red, then make the background white", "make the background white"),
        ("Caption photo.jpg, then make the background white", "make the background white"),
        ("Make the sky in photo.jpg red, then make the background white", "make the background white"),
        ("Edit photo.jpg to add a hat, then make the background white", "make the background white"),
    ],
)
async def test_a_second_change_is_its_own_instruction(task: str, told: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert [args["instruction"] for tool, args in calls if tool == "edit_image"][-1] == told, calls
