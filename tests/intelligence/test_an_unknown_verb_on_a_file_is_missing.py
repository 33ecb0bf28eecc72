"""attack309: "Read a.txt and nuke old.txt" read old.txt, and nothing said the nuking was not done: a word no
lexicon knows, then a file, after "and" or a comma, went on the clause before as more of its object. An unknown
word followed by the file it is done on opens a clause of its own, as one followed by "the" or "it" does: no tool
serves it, so it is missing (asked), and the file is not read for it. A word saying what the file is ("and image
b.png") still names more of the object."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Read a.txt and frobnicate old.txt",
        "Read a.txt, frobnicate old.txt",
        "Read a.txt and then frobnicate old.txt",
        "Read a.txt and please frobnicate old.txt",
    ],
)
async def test_the_unknown_work_is_missing_and_its_file_not_read(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert any("frobnicate" in m for m in result.execution.missing), result.execution.missing
    plan = result.execution.plan
    assert plan is not None and [(n.tool, n.args.get("path")) for n in plan.nodes] == [("read_file", "a.txt")]


@pytest.mark.parametrize("task", ["Read a.txt and b.txt", "Read a.txt and file b.txt", "Read a.txt and image b.png"])
async def test_files_named_after_and_are_still_the_object(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert not result.execution.missing, result.execution.missing
    assert result.execution.plan is not None
    assert all(n.tool == "read_file" for n in result.execution.plan.nodes)


async def test_an_adverb_before_a_file_opens_no_work() -> None:
    result = await plan_task("Read a.txt, specifically b.txt", as_the_cli_plans())
    assert not any("specifically" in m for m in result.execution.missing), result.execution.missing


@pytest.mark.parametrize("task", ["Read a.txt, including b.txt", "Read a.txt, especially b.txt"])
async def test_a_participle_before_a_file_opens_no_work(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert not result.execution.missing, result.execution.missing
