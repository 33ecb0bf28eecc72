"""An "it" after work on a file's content, for a tool taking files (or pages), is the file itself: "Read notes.txt, then
delete it" reported the delete missing (delete_file "takes ['path'], the step has ['text', 'file_content']": "it" was
bound to the text read, which no tool deletes), with the built-ins as `client.py plan` has them (fix152's leftover).
And a file named before is no "it": "Read a.txt. Read b.txt, then read it again" read a.txt again."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.plan import PlanNode
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _nodes(task: str, *catalogues: Path) -> list[PlanNode]:
    result = await plan_task(task, as_the_cli_plans(*catalogues))
    assert result.execution.plan is not None and not result.execution.missing, result.execution.missing
    return result.execution.plan.nodes


def _waits_for(node: PlanNode, nodes: list[PlanNode], tool: str) -> bool:
    """Whether ``node`` runs after a call of ``tool``, by order or by taking its result."""
    by_id = {n.id: n for n in nodes}
    todo, seen = [node], set[str]()
    while todo:
        current = todo.pop()
        for up in {*current.depends_on, *(n for n in by_id if f"${{{n}." in str(current.args))} - seen:
            seen.add(up)
            todo.append(by_id[up])
    return any(by_id[n].tool == tool for n in seen)


@pytest.mark.parametrize(
    ("task", "catalogues", "before", "deleted"),
    [
        ("Read notes.txt, then delete it", (), "read_file", "notes.txt"),
        ("Read notes.txt and delete it", (), "read_file", "notes.txt"),
        ("Read a.txt. Read notes.txt, then delete it", (), "read_file", "notes.txt"),  # not a.txt
        ("Summarize notes.txt and then delete it", (MEDIA,), "summarize_text", "notes.txt"),
        ("Caption photo.jpg and then delete it", (MEDIA,), "caption_image", "photo.jpg"),
    ],
)
async def test_it_after_work_on_a_files_content_is_the_file(
    task: str, catalogues: tuple[Path, ...], before: str, deleted: str
) -> None:
    nodes = await _nodes(task, *catalogues)
    (delete,) = [n for n in nodes if n.tool == "delete_file"]
    assert delete.args == {"path": deleted}, nodes
    assert _waits_for(delete, nodes, before), nodes  # deleted once the work on it is done


async def test_a_delete_under_a_condition_is_planned_with_its_file_asked() -> None:
    # fix152 asks the file of a delete under a condition said in words; it was reported missing instead
    nodes = await _nodes("Read notes.txt; otherwise delete it")
    (delete,) = [n for n in nodes if n.tool == "delete_file"]
    assert delete.args["path"].startswith("${inputs."), nodes


async def test_it_is_the_file_the_step_before_read_not_the_first_named() -> None:
    nodes = await _nodes("Read a.txt. Read b.txt, then read it again")
    assert [n.args.get("path") for n in nodes if n.tool == "read_file"] == ["a.txt", "b.txt", "b.txt"], nodes


async def test_a_page_fetched_again_is_the_page_the_step_before_fetched() -> None:
    nodes = await _nodes("Fetch https://a.example/x. Fetch https://b.example/y, then fetch it again")
    assert [n.args.get("url") for n in nodes] == [
        "https://a.example/x",
        "https://b.example/y",
        "https://b.example/y",
    ], nodes


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("Read notes.txt, then copy it to b.txt", "write_file"),  # held: the text read is what is written
        ("Summarize notes.txt and then translate it", "translate_text"),  # held: the summary is translated
    ],
)
async def test_it_is_still_the_text_for_a_tool_taking_text(task: str, tool: str) -> None:
    nodes = await _nodes(task, MEDIA)
    (last,) = [n for n in nodes if n.tool == tool]
    assert "notes.txt" not in str(last.args) and "${" in str(last.args), nodes


async def test_one_it_after_two_files_deletes_neither():
    """ "Read a.txt and b.txt, then delete it": which one is not said, and both were deleted; "them" deletes both."""
    result = await plan_task("Read a.txt and b.txt, then delete it", as_the_cli_plans())
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    assert not [n for n in nodes if n.tool == "delete_file"] and result.execution.missing, nodes
    deleted = [
        n.args["path"] for n in await _nodes("Read a.txt and b.txt, then delete them") if n.tool == "delete_file"
    ]
    assert sorted(deleted) == ["a.txt", "b.txt"]


async def test_where_a_page_was_posted_is_no_page_worked_on() -> None:
    """A post's URL is where the page went, not what was fetched: "fetch it again" fetched B, "post it again" posted
    B's answer to B (fix154's rule took the post's own URL as the page it worked on)."""
    posted = "Fetch https://a.example/x, then post it to https://b.example/y"
    nodes = await _nodes(f"{posted}, then fetch it again")
    assert [n.args.get("url") for n in nodes if n.args.get("method") != "POST"] == ["https://a.example/x"] * 2, nodes
    result = await plan_task(f"{posted}, then post it again", as_the_cli_plans())
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    assert not [n for n in nodes if "${post." in str(n.args)], nodes


async def test_a_file_taken_by_a_word_pointing_back_is_not_the_one_deleted():
    """ "Read report.txt, then read the file it names and delete it": the second read took report.txt by "it", and the
    delete took it from that read (attack156): the file meant is another, so nothing is deleted."""
    result = await plan_task("Read report.txt, then read the file it names and delete it", as_the_cli_plans())
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    assert not [n for n in nodes if n.tool == "delete_file"] and result.execution.missing, nodes
