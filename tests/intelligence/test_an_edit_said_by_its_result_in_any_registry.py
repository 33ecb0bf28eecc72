"""attack421: "make photo.jpg brighter" read as an edit planned one only with a catalogue whose editor ranked first
by other means (media_tools.yaml): the word "edit" the planner adds is compared by meaning alone, which a registry of
under 20 tools does not do, so an editor saying "Modify a picture ..." (vision_tools.yaml, studio_tools.yaml) or
"Change a photo ..." was never found and the plan was empty. A tool saying it changes that medium, taking it and an
instruction, serves the edit; one saying it also publishes what it makes is not used unasked."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans, tools_chosen

HERE = Path(__file__).parent
RETOUCH = """version: 1
tools:
  - {name: retouch_photo, kind: http, description: "Change a photo the way an instruction says%s", input_types: [image, text],
     output_types: [image], method: POST, url: "https://r.example.com/retouch", json: {photo: "{{ photo }}", how: "{{ how }}"},
     inputs: {photo: {type: string}, how: {type: string}}%s}
  - {name: tell_what_it_shows, kind: http, description: Say in words what a photo shows., input_types: [image],
     output_types: [text], method: POST, url: "https://r.example.com/say", json: {photo: "{{ photo }}"},
     inputs: {photo: {type: string}}}
"""
REQUESTS = ["Make photo.jpg brighter.", "Make photo.jpg a bit darker.", "Turn photo.jpg into a cityscape at sunset."]


@pytest.mark.parametrize("task", REQUESTS)
@pytest.mark.parametrize("catalogue", ["vision_tools.yaml", "studio_tools.yaml"])
def test_an_editor_in_its_own_words_edits(task: str, catalogue: str) -> None:
    assert tools_chosen(task, HERE / catalogue) == ["edit_picture"]


@pytest.mark.parametrize("task", REQUESTS)
async def test_the_edit_is_planned_on_the_picture(task: str, tmp_path: Path) -> None:
    catalogue = tmp_path / "retouch.yaml"
    catalogue.write_text(RETOUCH % (".", ""))
    result = (await plan_task(task, as_the_cli_plans(catalogue))).execution
    assert result.plan is not None and not result.missing, result.missing
    (node,) = result.plan.nodes
    assert (node.tool, node.args["photo"]) == ("retouch_photo", "photo.jpg")


async def test_an_editor_that_publishes_is_not_used_unasked(tmp_path: Path) -> None:
    catalogue = tmp_path / "retouch.yaml"
    catalogue.write_text(
        RETOUCH % (" and publish it to the public gallery.", ", side_effects: true, idempotent: false")
    )
    result = (await plan_task("Make photo.jpg brighter.", as_the_cli_plans(catalogue))).execution
    assert result.plan is None or not result.plan.nodes, result.plan
    assert any("retouch_photo would" in m for m in result.missing), result.missing
