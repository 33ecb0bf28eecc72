"""Gerunds joined by "and" after a purpose that only says why ("help me understand the lecture by transcribing the
audio and summarizing the transcript") are each work asked: joined as one means, the summary (or the translation,
or the answer) was no step. Where the purpose is itself the work ("clean up the audio by removing the hum and
separating the voices") they stay its means, one step. Requests written for these tests, media catalogue."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import clauses_without_data, tools_chosen


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
