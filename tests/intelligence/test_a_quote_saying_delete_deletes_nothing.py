"""attack186 (issue 8): a write of words that say a delete was listed as a delete: "Write 'get rid of a.txt' to
b.txt" (and 'remove it', 'throw away the rest') put b.txt in files_deleted and not in files_written, so whoever
approves the plan read that b.txt goes. The words written are the step's data, not what it does."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task", ["Write 'get rid of a.txt' to b.txt", "Write 'remove it' to b.txt", "Write 'throw away the rest' to b.txt"]
)
async def test_words_of_deleting_written_are_a_write(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    needs = result.analysis.resource_requirements
    assert (needs.files_deleted, needs.files_written) == ([], ["b.txt"]), needs


async def test_a_delete_beside_a_quote_is_still_listed() -> None:
    result = await plan_task("Write 'x' to b.txt, then delete a.txt", as_the_cli_plans())
    needs = result.analysis.resource_requirements
    assert (needs.files_deleted, needs.files_written) == (["a.txt"], ["b.txt"]), needs
