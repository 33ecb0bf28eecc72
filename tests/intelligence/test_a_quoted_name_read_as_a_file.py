"""A quoted name with a space that the step before took as its file is a file, not a quote of words (attack164):
'Read "my notes.txt", then delete it' read "my notes.txt" as a file and asked which file to delete (plan159's rule for
quotes of words); before plan159 it deleted it. 'Summarize "notes about x.txt" and then delete it' still asks."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize("task", ['Read "my notes.txt", then delete it', "Read 'my notes.txt' and delete it"])
async def test_a_quoted_file_read_is_deleted(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None
    paths = [n.args.get("path") for n in result.execution.plan.nodes if n.tool == "delete_file"]
    assert paths == ["my notes.txt"] and not result.execution.missing_inputs, paths


async def test_a_quote_of_words_summarized_is_still_asked() -> None:
    result = await plan_task('Summarize "notes about x.txt" and then delete it', as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    paths = [n.args.get("path") for n in result.execution.plan.nodes if n.tool == "delete_file"]
    assert paths == ["${inputs.delete_file_path}"], paths
