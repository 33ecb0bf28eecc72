"""attack309: a verb the request only talks about was planned as an order. "Explain what cleanup.sh removes" deleted
cleanup.sh (the analysis read the clause's capability as "remove", and that reading counted as said), "Tell me what
purge.py erased" deleted purge.py (the file name's "purge" counted as a verb), "describe how to delete a branch"
deleted a file. A verb asks only as the clause's order: not told of after "what" / "how" / "which" / "that", not
after a subject or a modal ("what they delete", "what rm would remove"), not inside a file name, URL or quote."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.planning.unasked_effects import verbs_said
from tests.intelligence.reading import MEDIA, as_the_cli_plans

CHANGING = {"delete_file", "write_file", "shell", "http_request"}


async def _tools(task: str, catalogue: Path | None) -> tuple[list[str], list[str]]:
    registry = as_the_cli_plans(catalogue) if catalogue else as_the_cli_plans()
    execution = (await plan_task(task, registry)).execution
    return [n.tool for n in execution.plan.nodes] if execution.plan else [], execution.missing


@pytest.mark.parametrize("catalogue", [None, MEDIA])
@pytest.mark.parametrize(
    "task",
    [
        "Explain what cleanup.sh removes",
        "Tell me what purge.py erased",
        "describe how to delete a branch",
        "explain what they delete",
        "list the files that rm would remove",
        "Summarize what 'rm old.txt' does",
    ],
)
async def test_a_verb_told_of_changes_nothing(task: str, catalogue: Path | None) -> None:
    tools, missing = await _tools(task, catalogue)
    assert not CHANGING & set(tools), (tools, missing)


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("throw old.txt away", "delete_file"),
        ("get rid of old.txt", "delete_file"),
        ("When you are done, delete old.txt", "delete_file"),
        ("Read a.txt and then delete it", "delete_file"),
        ("please delete old.txt", "delete_file"),
    ],
)
async def test_an_order_still_is_one(task: str, tool: str) -> None:
    tools, missing = await _tools(task, None)
    assert tool in tools, (tools, missing)


def test_the_words_of_a_name_ask_nothing() -> None:
    assert not {"purge", "erase", "delete"} & verbs_said("Tell me what purge.py erased")
    assert "run" not in verbs_said("explain 'run.sh --all' to me")
    assert "post" not in verbs_said("summarize https://example.com/post/delete")
    assert {"summarize", "delete"} <= verbs_said("Summarize it, delete a.txt")


@pytest.mark.parametrize("catalogue", [None, MEDIA])
@pytest.mark.parametrize(
    "task",
    [
        "List the files that cleanup.sh deletes",
        "Explain what cleanup.sh removes",
        "Tell me what purge.py erased",
        "Tell me what cleanup.sh would delete",
    ],
)
async def test_the_file_told_of_is_read_instead(task: str, catalogue: Path | None) -> None:
    # the delete refused, its harmless stand-in is what finds out what the script does: reading it
    registry = as_the_cli_plans(catalogue) if catalogue else as_the_cli_plans()
    execution = (await plan_task(task, registry)).execution
    calls = [(n.tool, dict(n.args)) for n in execution.plan.nodes] if execution.plan else []
    script = next(w for w in task.split() if "." in w)
    assert ("read_file", {"path": script}) in calls, (calls, execution.missing)
    assert not CHANGING & {tool for tool, _ in calls}, calls
