"""attack186 (issue 8): an English request with a verb the lexicon lacks was told it is not English by the names it
holds: "Ping example.com" by 'example' and 'com', "Grep TODO main.py" by an acronym, "Geocode Paris" by a place,
"Google python tutorials" by three words. Hosts, names of code, acronyms and capitals inside a sentence are of no
language, and three plain ASCII words are too few to judge by; a request in another language is still said so."""

from __future__ import annotations

import pytest

from orchestra.analysis.models import TaskAnalysisError
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

NOTE = "does not read as English"


@pytest.mark.parametrize(
    "task",
    [
        "Ping example.com",
        "Ping www.example.com.",
        "Grep TODO main.py",
        "Minify app.js CSS",
        "Geocode Paris",
        "Tar logs",
        "Dedupe rows.csv pls",
        "Google python tutorials",
        "Refactor parse_config load_settings",
    ],
)
async def test_an_english_request_naming_things_is_not_judged_foreign(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert not any(NOTE in note for note in result.analysis.notes), result.analysis.notes


@pytest.mark.parametrize("task", ["Lösche a.txt bitte", "Löschen Sie bitte a.txt", "Lis a.txt, puis supprime-le"])
async def test_a_short_request_in_another_language_is_still_said(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert any(NOTE in note for note in result.analysis.notes), result.analysis.notes


@pytest.mark.parametrize("task", ["Удали a.txt пожалуйста", "a.txt を削除して"])
async def test_a_request_of_another_script_with_no_action_says_english_only(task: str) -> None:
    with pytest.raises(TaskAnalysisError, match="reads English requests only"):
        await plan_task(task, as_the_cli_plans(MEDIA))


async def test_a_request_with_no_action_in_english_says_what_to_do() -> None:
    with pytest.raises(TaskAnalysisError, match="say what to do"):
        await plan_task("OK", as_the_cli_plans(MEDIA))
