"""plan289: "Then I wonder 'What would be the color of the car in the edited image'." said what the user wants answered
in a sentence that tells, and the question was dropped: only a clause after it asking to find it out took it up. A
quoted question the user wonders about is asked; a quote that is no question, or more words beside it, is not."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        (
            "Edit photo.jpg so the car is blue. Then I wonder 'What would be the color of the car in it'.",
            ["edit_image", "answer_question"],
        ),
        ("Caption photo.jpg. I wonder 'what is in the sky'", ["caption_image", "answer_question"]),
        ("Caption photo.jpg. I wonder 'what is in the sky?'", ["caption_image", "answer_question"]),
        ("Read notes.txt. I'm wondering 'who wrote it?'", ["read_file", "answer_question"]),
        ("I wonder 'what is in the sky'. Can you figure it out?", ["answer_question"]),
        ("I wonder 'how do I delete all files'", ["answer_question"]),
        ("Summarize notes.txt. I wonder 'the tides of March'", ["read_file", "summarize_text"]),
    ],
)
def test_a_quoted_question_wondered_is_asked(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task) == chosen
