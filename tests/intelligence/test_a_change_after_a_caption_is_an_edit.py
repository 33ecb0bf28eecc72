"""issue 11: "Caption photo.jpg, then turn the sky blue" reported the change missing (no tool says "turn" or "sky";
the nearest took audio), though "... then make the background white" was an edit. A change said by the state a
part of the one picture there is to have is an edit, in an editor's word, whatever the part: the photo is edited
with the clause as its instruction."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "told",
    [
        "turn the sky blue",
        "make the sky blue",
        "make the grass greener",
        "paint the door red",
        "make the background white",
    ],
)
async def test_a_change_of_a_part_after_a_caption_edits_the_photo(told: str) -> None:
    calls, asked, _ = await calls_asked_and_said(f"Caption photo.jpg, then {told}", MEDIA)
    assert calls == [
        ("caption_image", {"image": "photo.jpg"}),
        ("edit_image", {"image": "photo.jpg", "instruction": told}),
    ], calls
    assert not asked, asked
