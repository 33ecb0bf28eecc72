"""What a plan says it changes is what it changes (fix173): "Read a.txt, then get rid of it" planned no delete
(no tool serves "get", reported missing), yet the analysis's resource requirements listed a.txt as deleted and
counted two calls. The resources, calls and widths are those of the steps the plan holds."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        # "get rid of it", "throw away a.txt" were such steps until plan182 read them as deletes
        "Read a.txt, then zorch it",
        "Read a.txt, then yeet away a.txt",
        "Read a.txt, then frobnicate it",
    ],
)
async def test_a_step_not_planned_changes_nothing_the_plan_lists(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing
    planned = result.execution.plan.nodes if result.execution.plan is not None else []
    assert [n.tool for n in planned] == ["read_file"]
    resources = result.analysis.resource_requirements
    assert resources.files_deleted == [] and resources.files_written == []
    assert resources.files_read == ["a.txt"]
    assert resources.tool_calls == 1


async def test_a_host_only_a_missing_step_calls_is_not_listed() -> None:
    result = await plan_task("Read a.txt, then frobnicate https://example.com/x", as_the_cli_plans())
    assert result.execution.missing
    assert result.analysis.resource_requirements.network_hosts == []


async def test_what_is_planned_is_still_listed() -> None:
    result = await plan_task("Read a.txt and b.txt, then delete them", as_the_cli_plans())
    assert not result.execution.missing
    resources = result.analysis.resource_requirements
    assert resources.files_deleted == ["a.txt", "b.txt"]
    assert resources.tool_calls == 4


@pytest.mark.parametrize(
    "task",
    ["Remove the second sentence of a.txt", "Discard the second sentence of a.txt", "Delete the first line of a.txt"],
)
async def test_a_file_read_for_a_step_named_after_a_delete_is_not_deleted(task: str) -> None:
    # the read added for the step says the step's id ("a.txt -> read_file (added: remove takes text)")
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.analysis.resource_requirements.files_deleted == []


@pytest.mark.parametrize("verb", ["erase", "trash", "discard", "delete"])
async def test_a_file_erased_trashed_or_discarded_is_deleted(verb: str) -> None:
    result = await plan_task(f"Read a.txt, then {verb} it", as_the_cli_plans())
    assert result.execution.plan is not None and not result.execution.missing
    assert [(n.tool, n.args.get("path")) for n in result.execution.plan.nodes][-1] == ("delete_file", "a.txt")
    assert result.analysis.resource_requirements.files_deleted == ["a.txt"]
