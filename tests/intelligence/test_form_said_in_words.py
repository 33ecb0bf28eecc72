"""A form of the result said in several words ("out loud", "in a spoken voice") asks for it as one word
does ("aloud"): pass 42 left a tool naming its form out of a clause asking for none, and "read the file
notes.txt out loud" only read the file (attack50). Requests written for these tests, media catalogue."""

from __future__ import annotations

from tests.intelligence.reading import tools_chosen


def test_a_form_said_in_several_words_is_asked_for() -> None:
    # before: read_file alone ("loud" and "voice" say no form by themselves)
    assert tools_chosen("Read the file notes.txt out loud") == ["read_file", "read_aloud"]
    assert tools_chosen("Read the file notes.txt in a spoken voice") == ["read_file", "read_aloud"]
    # as one word, as before; and no phrase, no speech
    assert tools_chosen("Read the file notes.txt aloud") == ["read_file", "read_aloud"]
    assert tools_chosen("Read the file notes.txt") == ["read_file"]
