"""attack261 (issue 8): a deleting word inside a file's or a page's name was read as the step's verb: "Read
delete_everything.txt" and "Summarize clear.txt" listed the file as deleted, "Copy trash.txt to out.txt" listed
out.txt as deleted and not as written, so whoever approves the plan read that a file goes that no call deletes (and
missed the one written). A name is what the step works on, not what it does."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "written"),
    [
        ("Read delete_everything.txt", []),
        ("Read remove_me.txt", []),
        ("Summarize clear.txt", []),
        ("Copy trash.txt to out.txt", ["out.txt"]),
        ("Fetch https://example.com/delete-account and save it to d.txt", ["d.txt"]),
    ],
)
async def test_a_verb_in_a_name_lists_no_delete(task: str, written: list[str]) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    needs = result.analysis.resource_requirements
    assert (needs.files_deleted, needs.files_written) == ([], written), needs


@pytest.mark.parametrize(
    ("task", "gone"),
    [
        ("Delete remove_me.txt", ["remove_me.txt"]),
        ("Read remove_me.txt, then delete it", ["remove_me.txt"]),
        ("rm a.txt", ["a.txt"]),
        ("Remove data/old.txt", ["data/old.txt"]),
    ],
)
async def test_a_delete_said_beside_a_name_is_listed(task: str, gone: list[str]) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.analysis.resource_requirements.files_deleted == gone
