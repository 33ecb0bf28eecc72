"""A delete saying "both" or "each" deletes the files the nearest clause names where they are as many as it says,
and asks otherwise (attack164): "Read a.txt and b.txt, then delete both" asked for a path, once per file, where
"delete them" deleted both; "Read a.txt and b.txt, write them to c.txt, then delete both" deleted c.txt alone, the
file written; "Read a.txt, b.txt and c.txt, then delete both" deleted all three once "both" pointed."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _deleted(task: str) -> tuple[list[object], list[str]]:
    """The paths the plan's deletes are given (the built-ins as the CLI has them), and the inputs it asks for."""
    result = await plan_task(task, as_the_cli_plans())
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    return [n.args.get("path") for n in nodes if n.tool == "delete_file"], result.execution.missing_inputs


@pytest.mark.parametrize(
    ("task", "gone"),
    [
        ("Read a.txt and b.txt, then delete both", ["a.txt", "b.txt"]),
        ("Read a.txt and b.txt, then delete each", ["a.txt", "b.txt"]),
        ("Read a.txt and b.txt, then delete each one", ["a.txt", "b.txt"]),
        ("Read a.txt and b.txt, then delete both of them", ["a.txt", "b.txt"]),
        ("Read a.txt, then read b.txt, then delete both", ["a.txt", "b.txt"]),  # a list of like work
        ("Copy a.txt to b.txt, then delete both", ["a.txt", "b.txt"]),
        ("Read a.txt, b.txt and c.txt, then remove each", ["a.txt", "b.txt", "c.txt"]),
        ("Read a.txt and b.txt, then delete them both", ["a.txt", "b.txt"]),  # as before
        ("Read a.txt and b.txt, then delete both files", ["a.txt", "b.txt"]),
    ],
)
async def test_both_or_each_deletes_the_files_named(task: str, gone: list[str]) -> None:
    paths, asked = await _deleted(task)
    assert sorted(map(str, paths)) == gone and not asked, (paths, asked)


@pytest.mark.parametrize(
    "task",
    [
        "Read a.txt, b.txt and c.txt, then delete both",  # which two
        "Read a.txt. Delete both.",
        "Read a.txt and b.txt, write them to c.txt, then delete both",  # the files read, or the one written
    ],
)
async def test_both_or_each_of_no_so_many_files_asks(task: str) -> None:
    paths, asked = await _deleted(task)
    assert paths == ["${inputs.delete_file_path}"] and asked == ["delete_file_path"], (paths, asked)


async def test_both_said_of_the_media_is_the_two_pictures() -> None:
    result = await plan_task("Caption a.jpg and b.jpg, then delete both", as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    paths = sorted(str(n.args.get("path")) for n in result.execution.plan.nodes if n.tool == "delete_file")
    assert paths == ["a.jpg", "b.jpg"], paths
