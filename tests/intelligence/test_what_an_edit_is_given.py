"""What an edit is given (plan105), with the media catalogue: it says how in its own words ("by adding a hat",
"make it brighter" of the picture named before), is never asked for a picture the user never named when "it" is
a text, and "edit it by removing the car" is no deletion of the photo "it" is."""

from __future__ import annotations

import pytest

from orchestra.plan import PlanNode
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, as_the_cli_plans, plan_read


@pytest.mark.parametrize(
    ("task", "image", "instruction"),
    [
        ("Caption a.jpg. Edit b.jpg by adding a hat.", "b.jpg", "Edit b.jpg by adding a hat"),
        ("Caption photo.jpg and edit it by removing the car.", "photo.jpg", "edit it by removing the car"),
        ("Caption photo.jpg and make it brighter", "photo.jpg", "make it brighter"),
        ("Caption photo.jpg, then make it darker.", "photo.jpg", "make it darker"),
        # the picture pointed at by a noun, not "it": the caption was the instruction
        ("Caption photo.jpg. Remove the car from the picture.", "photo.jpg", "Remove the car from the picture"),
        ("Caption photo.jpg. Make the photo brighter.", "photo.jpg", "Make the photo brighter"),
    ],
)
async def test_an_edit_says_how_in_its_own_words(task: str, image: str, instruction: str) -> None:
    nodes, _, asked = await plan_read(task, MEDIA)
    assert [n.tool for n in nodes] == ["caption_image", "edit_image"]
    assert nodes[1].args == {"image": image, "instruction": instruction}
    assert not asked


@pytest.mark.parametrize("task", ["Translate 'hello' and edit it to be formal", "Summarize notes.txt and edit it."])
async def test_an_edit_of_a_text_asks_no_picture_the_user_never_named(task: str) -> None:
    result = await plan_task(task, default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None
    assert "edit_image" not in [n.tool for n in plan.nodes]
    assert any("edit" in m and "edit_image takes ['image', 'text']" in m for m in result.execution.missing)


@pytest.mark.parametrize(
    ("task", "image"),
    [
        ("Generate a picture of a cat, then edit it to add a hat.", None),  # the picture made: no input asked
        ("Translate 'hello'. Edit photo.jpg to add a hat.", "photo.jpg"),
    ],
)
async def test_an_edit_of_a_picture_stays(task: str, image: str | None) -> None:
    nodes, _, asked = await plan_read(task, MEDIA)
    assert nodes[-1].tool == "edit_image"
    assert nodes[-1].args["image"] == image or (image is None and nodes[-1].args["image"].startswith("${generate."))
    assert not asked


async def test_an_edit_of_nothing_named_still_asks_for_its_picture() -> None:
    nodes, _, asked = await plan_read("Edit it to add a hat", MEDIA)
    assert [n.tool for n in nodes] == ["edit_image"]
    assert asked == ["edit_image_image"]


async def _as_the_cli_plans(task: str) -> tuple[list[PlanNode], list[str], list[str]]:
    """The plan with delete_file among the tools, as `client.py plan` has it (the engine adds it)."""
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None, result.execution.problems
    return result.execution.plan.nodes, result.execution.warnings, result.execution.missing_inputs


@pytest.mark.parametrize("task", ["Caption photo.jpg. Remove the car.", "Edit photo.jpg, removing the car."])
async def test_a_part_taken_away_deletes_no_file_an_earlier_clause_named(task: str) -> None:
    nodes, _, asked = await _as_the_cli_plans(task)
    # no delete at all, nor a path asked: a user answering photo.jpg lost it whole (plan189)
    assert [n for n in nodes if n.tool == "delete_file"] == []
    assert "delete_file_path" not in asked


@pytest.mark.parametrize(
    ("task", "path"),
    [("Delete notes.txt", "notes.txt"), ("Caption photo.jpg, then delete the photo", "photo.jpg")],
)
async def test_a_file_named_or_pointed_at_is_deleted(task: str, path: str) -> None:
    nodes, _, asked = await _as_the_cli_plans(task)
    assert (nodes[-1].tool, nodes[-1].args) == ("delete_file", {"path": path})
    assert not asked


@pytest.mark.parametrize(
    ("task", "second"),
    [
        ("Edit b.jpg to add a hat and make it darker.", "make it darker"),
        ("Caption a.jpg. Edit b.jpg to add a hat. Make it darker.", "Make it darker"),
    ],
)
async def test_a_second_change_of_the_edit_is_an_edit_of_its_picture(task: str, second: str) -> None:
    """ "make it darker" after an edit was folded into it as saying the same (restates): the change was lost
    unsaid (on main before plan105 it was missing); now a second edit of the first one's picture."""
    nodes, _, asked = await plan_read(task, MEDIA)
    edits = [n for n in nodes if n.tool == "edit_image"]
    assert [e.args["instruction"] for e in edits] == ["Edit b.jpg to add a hat", second]
    assert edits[0].args["image"] == "b.jpg"
    assert edits[1].args["image"].startswith(f"${{{edits[0].id}.output.")
    assert not asked
