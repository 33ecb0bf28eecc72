"""plan182 (issue 8): "Lies a.txt, dann lösche es" planned nothing and said only that no tool matches a step 'lies',
as if one could be made. Where no step is served and no word is one the planner knows as English, the plan says it
reads English only, and what to do; an English request with an unknown verb is not so judged."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

NOTE = "does not read as English"


@pytest.mark.parametrize(
    "task", ["Lies a.txt, dann lösche es", "Lis a.txt, puis supprime-le", "Lee a.txt y luego bórralo"]
)
async def test_a_request_in_another_language_is_said_unread(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is None and result.execution.missing
    assert any(NOTE in note and "English" in note for note in result.analysis.notes), result.analysis.notes


@pytest.mark.parametrize(
    "task", ["Frobnicate notes.txt", "Zorch notes.txt quickly", "Read a.txt, then zorch it", "Translate 'Hallo Welt'"]
)
async def test_an_english_request_is_not_judged_so(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert not any(NOTE in note for note in result.analysis.notes), result.analysis.notes
