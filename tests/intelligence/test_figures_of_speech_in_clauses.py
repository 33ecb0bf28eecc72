"""Words that look like work and are not, and a refusal refused (pass 53): "wait a minute," opening a sentence
stops the speaker, not the run; "sleep on it" is thinking it over; "don't avoid the translation" asks for the
translation. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _steps(task: str) -> list[tuple[str, dict[str, object]]]:
    plan = (await plan_task(task, default_registry([MEDIA]))).execution.plan
    assert plan is not None, task
    return [(n.tool, n.args) for n in plan.nodes]


@pytest.mark.parametrize("opening", ["Wait a minute", "Hold on", "Hang on a second"])
async def test_an_interjection_is_no_pause_and_keeps_the_question(opening: str) -> None:
    # before: a sleep, and the question lost
    steps = await _steps(f"Caption photo.jpg. {opening}, what does it show?")
    assert [tool for tool, _ in steps] == ["caption_image", "answer_question"]
    assert steps[1][1]["context"] == "${caption.output.text}"


async def test_a_pause_said_with_an_order_word_is_still_a_pause() -> None:
    for task in (
        "Caption photo.jpg. Wait a minute, then read it aloud",
        "Caption photo.jpg, wait a minute and read it aloud",
    ):
        assert [tool for tool, _ in await _steps(task)] == ["caption_image", "sleep", "read_aloud"], task


@pytest.mark.parametrize("idiom", ["sleep on it", "sleep over it", "wait on them"])
async def test_sleeping_on_it_is_no_pause(idiom: str) -> None:
    # before: a sleep step
    assert [tool for tool, _ in await _steps(f"Caption photo.jpg and {idiom}")] == ["caption_image"]


@pytest.mark.parametrize(
    "refusal", ["don't avoid the translation", "do not skip the translation", "don't forget the translation of it"]
)
async def test_a_refused_refusal_of_work_named_by_its_noun_asks_for_it(refusal: str) -> None:
    # before: "don't" refused the translation
    steps = await _steps(f"Summarize notes.txt and {refusal}")
    assert [tool for tool, _ in steps][-2:] == ["summarize_text", "translate_text"]
    assert steps[-1][1] == {"text": "${summarize.output.text}"}


async def test_a_refusal_of_work_named_by_its_noun_still_refuses() -> None:
    for task in ("Summarize notes.txt and avoid the translation", "Summarize notes.txt and don't miss the bus"):
        assert "translate_text" not in [tool for tool, _ in await _steps(task)], task
