"""attack273 (issue 8): "Delete a.txt and b.txt if they are empty" deleted both, the condition said after the last of
the files lost; "Delete a.txt and b.txt only if c.txt exists" deleted c.txt as well. And a delete under a condition,
or offered as one file or another ("Delete a.txt only if b.txt exists", "Delete either a.txt or b.txt"), made a call
per file named: two deletes of the one path asked. A delete said under a condition asks its path, in one call."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Delete a.txt and b.txt if they are empty",
        "Delete a.txt and b.txt only if c.txt exists",
        "Delete a.txt, b.txt and c.txt unless d.txt is missing",
        "Delete a.txt only if b.txt exists",
        "Delete either a.txt or b.txt",
        "Delete a.txt or b.txt",
        "Delete a.txt unless b.txt is missing",
    ],
)
async def test_a_delete_under_a_condition_asks_one_path(task: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task)
    assert calls == [("delete_file", {"path": "${inputs.delete_file_path}"})], calls
    assert asked == ["delete_file_path"], asked


async def test_a_delete_of_several_said_plainly_deletes_each() -> None:
    calls, asked, _ = await calls_asked_and_said("Delete a.txt and b.txt")
    assert calls == [("delete_file", {"path": "a.txt"}), ("delete_file", {"path": "b.txt"})] and not asked, calls
