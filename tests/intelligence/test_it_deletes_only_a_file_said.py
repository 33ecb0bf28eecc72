"""A delete pointing back ("delete it", "delete the other file") deletes the one file the nearest clause before it
names, and asks which where that is not one file (plan159): "Copy a.txt to b.txt, then delete it" deleted a.txt (a
move nobody asked for), 'Write "hello" to a.txt, then read b.txt and delete it' deleted a.txt, "Read a.txt and then
delete the other file" deleted a.txt, 'Summarize "notes about x.txt" and then delete it' deleted a quote's words as a
file, "Read a.txt, read b.txt, then delete it" deleted b.txt where "Read a.txt and b.txt, then delete it" asked, and
"Read a.txt, then delete it and b.txt" deleted b.txt alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _deleted(task: str, *catalogues: Path) -> tuple[list[object], list[str], list[str]]:
    """The paths the plan's deletes are given, the inputs it asks for, and its notes and warnings."""
    result = await plan_task(task, as_the_cli_plans(*catalogues))
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    paths = [n.args.get("path") for n in nodes if n.tool == "delete_file"]
    return paths, result.execution.missing_inputs, [*result.analysis.notes, *result.execution.missing]


@pytest.mark.parametrize(
    "task",
    [
        "Read a.txt, read b.txt, then delete it",  # a list of the same work, as "Read a.txt and b.txt"
        "Read a.txt and b.txt, then delete it",
        "Copy a.txt to b.txt, then delete it",  # the copy or what was copied
        "Copy a.txt to b.txt and delete it",
        "Read a.txt, write it to b.txt and delete it",  # what the write's "it" is, or b.txt
        "Summarize notes.txt, save it to s.txt and delete it",
        "Read a.txt and then delete the other file",  # no other file named
        "Read a.txt and b.txt, then delete the other file",
        'Summarize "notes about x.txt" and then delete it',  # a quote of words is no file
    ],
)
async def test_a_delete_pointing_at_no_one_file_asks_which(task: str) -> None:
    paths, asked, said = await _deleted(task)
    assert all(str(p).startswith("${inputs.") for p in paths), paths
    assert asked or not paths, (paths, asked)
    assert any("does not say which file it deletes" in s for s in said), said


@pytest.mark.parametrize(
    ("task", "gone"),
    [
        ('Write "hello" to a.txt, then read b.txt and delete it', ["b.txt"]),  # the nearest clause's file
        ("Write 'hi' to a.txt. Read b.txt, then delete it", ["b.txt"]),
        ("Read a.txt. Read b.txt, then delete it", ["b.txt"]),  # another sentence: no list
        ("Read a.txt, summarize b.txt, then delete it", ["b.txt"]),  # other work: no list
        ("Read a.txt, summarize it, then delete it", ["a.txt"]),  # the nearest clause naming a file
        ("Read a.txt, summarize b.txt, then delete the other file", ["a.txt"]),
        ("Read a.txt, then delete it and b.txt", ["b.txt", "a.txt"]),
        ("Read a.txt, then delete it, b.txt and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Read b.txt, then delete a.txt so that it is gone", ["a.txt"]),  # "it" of a sentence of its own
        ("Read b.txt. Make sure that you delete a.txt", ["a.txt"]),
        ("Copy notes.txt and delete it", ["notes.txt"]),
        ("Read notes.txt, then delete it", ["notes.txt"]),
    ],
)
async def test_a_delete_pointing_at_one_file_deletes_it(task: str, gone: list[str]) -> None:
    paths, asked, _ = await _deleted(task, MEDIA)
    assert sorted(map(str, paths)) == sorted(gone) and "delete_file_path" not in asked, (paths, asked)


async def test_a_file_read_by_its_content_is_not_what_it_names() -> None:
    # the media tools read report.txt aloud for "read the file it names": the file meant is another one
    paths, asked, said = await _deleted("Read report.txt, then read the file it names and delete it", MEDIA)
    assert paths == ["${inputs.delete_file_path}"] and asked == ["delete_file_path"], (paths, asked)
    assert any("works on a file it does not name" in s for s in said), said
