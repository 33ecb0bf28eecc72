"""attack350 F2, F3 (issue 11): "a.txt says where to save. Write hello there" wrote over a.txt, and "The file name is
in name.txt. Delete it" deleted name.txt: a file said in one sentence to hold where the work goes (or which file it
works on), pointed back to by the next ("there", "it", "that file"), is the file that says where, never the place.
The place is asked, with why, as "write hello to the path in a.txt" and "delete the file named in name.txt" are."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said, output_of


@pytest.mark.parametrize(
    "task",
    [
        "a.txt says where to save. Write hello there",
        "The path is in a.txt. Write hello to it",
        "a.txt lists the target file. Write hello to that file",
        "The output path is in a.txt. Write hello to it",
        "a.txt holds the destination path. Save hello there",
        "The file a.txt says where to write. Write hello there",
        "The target file name is written in a.txt. Write hello to that file",
        "a.txt gives the path. Write hello into it",
        "The destination is in a.txt; write hello there",
        "a.txt tells where the notes go. Write hello to that path",
        "The location to use is in a.txt. Write 'hello' to it",
    ],
)
async def test_the_write_asks_where_and_leaves_the_file_alone(task: str) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert all(args.get("path") != "a.txt" for _, args in calls), calls
    assert [c for c in calls if c[0] == "write_file"], calls
    assert any(name.endswith("_path") for name in missing_inputs), missing_inputs


@pytest.mark.parametrize(
    "task",
    [
        "The file name is in name.txt. Delete it",
        "The file name is in name.txt. Remove it",
        "name.txt names the file. Delete it",
        "name.txt holds the name of the file. Delete that file",
        "name.txt says which file to delete. Delete it",
        "The path is in name.txt. Delete the file",
        "The filename to delete is listed in name.txt. Delete it",
        "name.txt has the path. Erase it",
    ],
)
async def test_the_delete_asks_which_file_and_leaves_the_list_alone(task: str) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert all(args.get("path") != "name.txt" for _, args in calls), calls
    assert any(name.endswith("_path") for name in missing_inputs), missing_inputs


@pytest.mark.parametrize(
    ("task", "call"),
    [
        ("Read a.txt, then delete it", ("delete_file", {"path": "a.txt"})),
        ("a.txt lists the files. Read it", ("read_file", {"path": "a.txt"})),
        ("The path is in a.txt. Read it", ("read_file", {"path": "a.txt"})),
        ("a.txt says hello. Delete it", ("delete_file", {"path": "a.txt"})),
        ("Write hello to a.txt", ("write_file", {"path": "a.txt", "content": "hello"})),
        ("Write hello to a.txt. Then delete it", ("delete_file", {"path": output_of("write", "path")})),
    ],
)
async def test_a_file_said_otherwise_keeps_its_plan(task: str, call: tuple[str, dict[str, str]]) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert call in calls, calls
