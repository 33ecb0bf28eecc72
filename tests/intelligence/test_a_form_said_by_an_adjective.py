"""plan304: "Summarize notes.txt in a spoken form" read the text aloud and lost the summary: the form at a clause's end
was read only from a noun for a medium ("in an audio format", "as a drawing"), and "spoken" is an adjective. An
adjective of a medium before a word for a form ("in a spoken form", "in an audible version", "in a visual form") says
the form too: the work is done, then its result made that kind. Alone ("as spoken") it says no thing made."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        ("Summarize notes.txt in a spoken form", ["read_file", "summarize_text", "read_aloud"]),
        ("Summarize notes.txt in an audible version", ["read_file", "summarize_text", "read_aloud"]),
        ("Translate notes.txt into French in a spoken form", ["read_file", "translate_text", "read_aloud"]),
        ("Summarize notes.txt in a visual form", ["read_file", "summarize_text", "text_to_image"]),
        # a form of text is what the work makes already; reading aloud is already speech
        ("Summarize notes.txt in a written form", ["read_file", "summarize_text"]),
        ("Read notes.txt in a spoken form", ["read_file", "read_aloud"]),
    ],
)
def test_a_form_said_by_an_adjective_is_made(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task) == chosen
