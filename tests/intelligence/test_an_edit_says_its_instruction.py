"""An edit's instruction is the user's words where the clause says how (attack94), with the media catalogue:
"Caption photo.jpg and edit it to be brighter" gave the editor the caption as its instruction, "Edit photo.jpg
to be brighter" asked for it ("to be" was no verb of work), and "Caption photo.jpg and use it to edit photo.jpg"
gave its own words where it names the caption as the instruction."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, output_of, plan_read


@pytest.mark.parametrize(
    ("task", "instruction"),
    [
        ("Caption photo.jpg and edit it to be brighter.", "edit it to be brighter"),
        ("Caption photo.jpg, then edit it so the sky is darker.", "edit it so the sky is darker"),
        ("Detect the objects in photo.jpg and edit it to remove the car.", "edit it to remove the car"),
        ("Describe photo.jpg and change it to look like a painting.", "change it to look like a painting"),
        ("Edit photo.jpg to be brighter.", "Edit photo.jpg to be brighter"),
    ],
)
async def test_the_change_said_is_the_instruction(task: str, instruction: str) -> None:
    nodes, _, asked = await plan_read(task, MEDIA)
    edit = nodes[-1]
    assert (edit.tool, edit.args) == ("edit_image", {"image": "photo.jpg", "instruction": instruction})
    assert not asked


@pytest.mark.parametrize("task", ["Caption photo.jpg and edit it.", "Caption photo.jpg and use it to edit photo.jpg."])
async def test_what_it_points_at_is_the_instruction_where_no_change_is_said(task: str) -> None:
    nodes, _, _ = await plan_read(task, MEDIA)
    assert [n.tool for n in nodes] == ["caption_image", "edit_image"]
    assert nodes[1].args["instruction"] == output_of(nodes[0].id, "text")
