"""A language said for work ("Translate hello.txt to French") that the chosen tool takes no input for is said in a
warning: tests/intelligence/media_tools.yaml's translate_text takes the text alone, and the plan translated into
the tool's own default without a word that French went to no call. A tool taking the language is given it, with no
warning; work saying no language has none."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

_TRAVEL = Path(__file__).with_name("travel_tools.yaml")


def _about_a_language(warnings: list[str]) -> bool:
    return any("takes no input for" in w for w in warnings)


@pytest.mark.parametrize(
    "task",
    [
        "Translate hello.txt to French",
        "Translate hello.txt into German",
        "Translate 'good morning' into Spanish",
        "Translate notes.txt to Italian",
        "Give me the French translation of notes.txt",
        "Translate the transcript of x.wav into French",
        "Read a.txt and translate it into Japanese",
        "Summarize a.txt in French",
        "Translate 'hello' to Portuguese",
        "Caption p.jpg and translate the caption into French",
        "Please translate report.txt into Dutch",
    ],
)
async def test_a_language_no_call_takes_is_said(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    assert _about_a_language(result.warnings), result.warnings


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Translate hello.txt", MEDIA),
        ("Summarize a.txt", MEDIA),
        ("Translate 'good morning'", MEDIA),
        ("Caption p.jpg", MEDIA),
        ("Transcribe x.wav", MEDIA),
        ("Read a.txt and translate it", MEDIA),
        ("Translate 'good morning' into French", _TRAVEL),
        ("Translate 'where is the station' into Japanese", _TRAVEL),
        ("Summarize a.txt and read it aloud", MEDIA),
        ("Is 'I love it' positive?", MEDIA),
    ],
)
async def test_work_given_its_language_or_none_says_nothing_of_it(task: str, tools: Path) -> None:
    result = (await plan_task(task, as_the_cli_plans(tools))).execution
    assert result.plan is not None, result.problems
    assert not _about_a_language(result.warnings), result.warnings
