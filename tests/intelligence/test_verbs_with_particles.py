"""A verb with its particle says its own work (plan241): "draw out more content" asks for more text, not a picture
drawn; "pick out the essence" selects it. The particle is a stop word, so only the verb was read: "draw" chose a
picture generator. ("sum up" is left alone: "sum up the numbers" adds them.) Doing less with a clear word is better than a picture nobody asked for: where
no tool elaborates, the step is missing."""

from __future__ import annotations

import pytest

from orchestra.analysis.clauses import content_words
from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "Draw out more content from this story: once upon a time",
        "Could you draw out more details from notes.txt?",
        "Please flesh out this story: once upon a time",
    ],
)
def test_drawing_out_is_no_picture(task: str) -> None:
    assert "text_to_image" not in tools_chosen(task)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("draw out more content", ["elaborate", "content"]),
        ("picking out the essence", ["select", "essence"]),
        ("draw a cat", ["draw", "cat"]),  # no particle: the verb's own work
        ("draw", ["draw"]),
        ("", []),
    ],
)
def test_a_verb_and_its_particle_are_read_as_one_word(text: str, read: list[str]) -> None:
    assert content_words(text) == read
