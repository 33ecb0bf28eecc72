"""Work asked for as a thing received, after "and" (plan124): "Can I have a caption for a.jpg and a.jpg deleted?"
captioned a.jpg and dropped the deletion unsaid; "Can I get a.jpg captioned and notes.txt translated?" translated
the caption and warned of notes.txt. Each thing named with its participle is the work it names, as "Can I get
notes.txt deleted?" is; "... and then delete notes.txt" (the user's own verb) still only asks leave."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said


async def _plan(task: str) -> Plan:
    result = await plan_task(task, as_the_cli_plans(MEDIA))  # with the engine's delete_file
    assert result.execution.plan is not None and not result.execution.missing, result.execution.missing
    return result.execution.plan


@pytest.mark.parametrize(
    ("task", "done"),
    [
        ("Can I have a caption for a.jpg and a.jpg deleted?", [("caption_image", "a.jpg"), ("delete_file", "a.jpg")]),
        (
            "Can I get a.jpg captioned and notes.txt translated?",
            [("caption_image", "a.jpg"), ("read_file", "notes.txt")],
        ),
        (
            "Could I have the summary of notes.txt and b.txt deleted?",
            [("read_file", "notes.txt"), ("delete_file", "b.txt")],
        ),
    ],
)
async def test_each_thing_received_is_its_work(task: str, done: list[tuple[str, str]]) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    named = [(tool, args.get("image") or args.get("path")) for tool, args in calls]
    assert all(d in named for d in done), calls
    assert not missing and not [s for s in said if "no call" in s], said


async def test_the_users_own_verb_after_and_still_asks_leave() -> None:
    calls, _, _ = await calls_asked_and_said("Can I get a summary of notes.txt and then delete notes.txt?", MEDIA)
    assert not any(tool == "delete_file" for tool, _ in calls), calls


@pytest.mark.parametrize(
    "task",
    [
        "Can I have a caption for a.jpg and a.jpg deleted?",
        "Caption a.jpg and delete a.jpg",
        "Caption a.jpg and b.jpg and delete a.jpg",
    ],
)
async def test_a_file_is_deleted_after_the_steps_taking_it(task: str) -> None:
    """Both at once, the caption could find no a.jpg."""
    plan = await _plan(task)
    delete = next(n for n in plan.nodes if n.tool == "delete_file")
    readers = {n.id for n in plan.nodes if n.tool == "caption_image" and n.args.get("image") == "a.jpg"}
    assert readers and readers <= set(delete.depends_on), delete.depends_on


async def test_a_delete_of_another_file_waits_for_nothing() -> None:
    plan = await _plan("Delete a.jpg and caption b.jpg")
    assert all(n.depends_on == [] for n in plan.nodes)
