"""Gerunds joined by "and" after a purpose that only says why ("help me understand the lecture by transcribing the
audio and summarizing the transcript") are each work asked: joined as one means, the summary (or the translation,
or the answer) was no step. Where the purpose is itself the work ("clean up the audio by removing the hum and
separating the voices") they stay its means, one step. Requests written for these tests, media catalogue."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, clauses_without_data, tools_chosen


@pytest.mark.parametrize(
    ("request_", "tools"),
    [
        (
            "I recorded a lecture in talk.wav. Can you help me understand the lecture by transcribing the audio and "
            "summarizing the transcript?",
            ["transcribe_audio", "summarize_text"],
        ),
        (
            "I recorded a lecture in talk.wav. Can you help me understand the lecture by transcribing the audio and "
            "answering the question 'Who spoke first?'",
            ["transcribe_audio", "answer_question"],
        ),
        (
            "Help me prepare by translating notes.txt and reading the translation aloud.",
            ["read_file", "translate_text", "read_aloud"],
        ),
    ],
)
def test_each_means_after_a_purpose_that_says_why_is_a_step(request_: str, tools: list[str]) -> None:
    assert tools_chosen(request_) == tools


def test_the_means_of_a_purpose_that_is_the_work_stay_one_step() -> None:
    task = (
        "I recorded a meeting in talk.wav. Could you clean up the audio by removing the hum and separating the voices?"
    )
    assert clauses_without_data(task)[-1] == ("clean up the audio by removing the hum and separating the voices", True)
    assert tools_chosen(task) == ["denoise_audio"]


@pytest.mark.parametrize(
    ("request_", "kept"),
    [
        ("Help me tidy up by deleting old.txt and archiving logs.txt.", "archiving logs.txt"),
        # a purpose naming what it works on ("the folder", "my files") kept the gerunds joined as its means
        ("Clean up the folder by deleting old.txt and archiving logs.txt.", "archiving logs.txt"),
        ("Tidy up my files by deleting old.txt and compressing logs.txt.", "compressing logs.txt"),
    ],
)
async def test_a_delete_joined_to_other_work_by_its_means_deletes_only_its_own_file(request_: str, kept: str) -> None:
    """Joined as one means, "deleting old.txt and archiving logs.txt" was one delete of both files: logs.txt,
    asked to be archived, was deleted. Each is its own step: the work no tool here does is asked for."""
    result = await plan_task(request_, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    deleted = [n.args.get("path") for n in result.execution.plan.nodes if n.tool == "delete_file"]
    assert deleted == ["old.txt"]
    assert any(kept in m for m in result.execution.missing)


@pytest.mark.parametrize(
    ("request_", "tools"),
    [
        (
            "Help me understand report.txt by summarizing it and translating the summary into French.",
            ["read_file", "summarize_text", "translate_text"],
        ),
        (
            "Help me follow talk.wav by transcribing it and reading the transcript aloud.",
            ["transcribe_audio", "read_aloud"],
        ),
    ],
)
def test_a_gerund_on_what_the_means_made_is_a_step_after_it(request_: str, tools: list[str]) -> None:
    """A purpose naming its data keeps its means joined, but a gerund working on what an earlier one made ("the
    summary") is the next step: joined, the translation was lost and no note said so."""
    assert tools_chosen(request_) == tools
