"""A sentence telling what the user has keeps "also" inside it: "I've also got an image x.jpg with text in it",
"I also took a photo x.jpg" tell, as they do without "also". Split after "I've" / "we have", or between "I" and
a past verb, they left a subject alone and a command "got an image x.jpg" (which became an image edit).
"Summarize a.txt, also translate it" still asks for two things."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, clauses_without_data, tools_chosen


@pytest.mark.parametrize(
    ("text", "told"),
    [
        (
            "I've also got an image 'p.jpg' with unknown text in it.",
            "I've also got an image @p0 with unknown text in it",
        ),
        ("I have also taken a photo 'p.jpg' of my cat.", "I have also taken a photo @p0 of my cat"),
        ("We've also received a file 'a.txt' from a friend.", "We've also received a file @p0 from a friend"),
        ("I also took a photo 'p.jpg' of my cat.", "I also took a photo @p0 of my cat"),
        ("We also recorded a talk in 'a.wav'.", "We also recorded a talk in @p0"),
    ],
)
def test_a_sentence_telling_with_also_is_one_context_clause(text: str, told: str) -> None:
    assert clauses_without_data(f"{text} Describe it.")[0] == (told, False)


def test_also_between_two_commands_still_splits_them() -> None:
    assert clauses_without_data("Summarize 'a.txt', also translate it.") == [
        ("Summarize @p0", True),
        ("translate it", True),
    ]


def test_the_image_told_of_with_also_is_no_step() -> None:
    task = "Translate 'Bonjour' into English. I've also got a photo 'p.jpg' of a street. Describe the photo."
    assert tools_chosen(task, MEDIA) == ["translate_text", "caption_image"]
