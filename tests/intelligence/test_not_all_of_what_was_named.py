"""attack261 (issue 8): "Delete a.txt and b.txt, but not both" deleted both: "not both" refuses no file by name, so
nothing was spared. A refusal of all but some of what a change names ("not both", "not all of them") leaves which
ones unsaid: the change is asked, never done to all."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _changes(task: str) -> list[tuple[str, dict[str, object]]]:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None, result.execution.problems
    return [(n.tool, n.args) for n in result.execution.plan.nodes if n.tool in {"delete_file", "http_request"}]


@pytest.mark.parametrize(
    "task",
    [
        "Delete a.txt and b.txt, but not both",
        "Delete a.txt and b.txt, not both",
        "Delete a.txt, b.txt and c.txt, but not all of them",
        "Post a.txt and b.txt to https://x.example.com/u, but not both",
    ],
)
async def test_a_change_of_not_all_it_names_is_asked(task: str) -> None:
    changes = await _changes(task)
    assert changes and all(
        str(v).startswith("${inputs.") for _, args in changes for k, v in args.items() if k != "method"
    )


async def test_a_file_refused_by_name_is_spared() -> None:
    assert await _changes("Delete a.txt and b.txt but not c.txt") == [
        ("delete_file", {"path": "a.txt"}),
        ("delete_file", {"path": "b.txt"}),
    ]
