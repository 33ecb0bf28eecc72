"""A refusal inside a request not to forget it is still a refusal, and "omit the <work>" refuses the work as
"avoid" does (attack60's cases, rebuilt and measured apart). Requests written for these tests, with the media
catalogue."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _tools(task: str) -> list[str]:
    plan = (await plan_task(task, default_registry([MEDIA]))).execution.plan
    assert plan is not None, task
    return [n.tool for n in plan.nodes]


@pytest.mark.parametrize(
    "refusal",
    [
        "don't forget to skip the translation",
        "never forget to avoid the translation",
        "do not forget to skip translating it",
        "omit the translation",
        "Omit any translation",
    ],
)
async def test_a_refused_translation_is_not_made(refusal: str) -> None:
    # before: the summary was translated
    assert await _tools(f"Summarize notes.txt and {refusal}") == ["read_file", "summarize_text"]


@pytest.mark.parametrize("asked", ["don't forget to translate it", "don't avoid the translation"])
async def test_work_not_to_be_forgotten_is_still_done(asked: str) -> None:
    assert await _tools(f"Summarize notes.txt and {asked}") == ["read_file", "summarize_text", "translate_text"]
