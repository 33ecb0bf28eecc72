"""A keep of what no work named touches ("..., and keep the rest", "Keep the rest.", "leave everything else alone")
after a delete is context: before, it was a step of its own (no tool serves it, or a read and a summary of the files
named), or, as a sentence of its own, it took the delete back and asked for both paths."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Delete a.txt and b.txt, and keep the rest",
        "Delete a.txt and b.txt. Keep the rest.",
        "Delete a.txt and b.txt, but leave everything else alone",
        "Delete a.txt and b.txt and keep all the other files",
        "Delete a.txt and b.txt. Actually, keep the remaining files intact.",
    ],
)
@pytest.mark.parametrize("media", [False, True])
async def test_the_rest_kept_adds_no_step(task: str, media: bool) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA) if media else as_the_cli_plans())).execution
    assert execution.plan is not None and not execution.missing and not execution.missing_inputs
    assert [(n.tool, n.args) for n in execution.plan.nodes] == [
        ("delete_file", {"path": "a.txt"}),
        ("delete_file", {"path": "b.txt"}),
    ]


async def test_a_keep_of_one_not_named_still_takes_the_delete_back() -> None:
    execution = (await plan_task("Delete a.txt and b.txt. Actually, keep the other one.", as_the_cli_plans())).execution
    assert execution.plan is not None
    assert all(n.args == {"path": "${inputs.delete_file_path}"} for n in execution.plan.nodes)
