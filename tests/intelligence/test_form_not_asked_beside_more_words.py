"""A tool whose name says the form it makes ("read_aloud") is left out of a clause that asks for no form even
when a word the clause says beside the verb ranks the plain tool under the beam's share (pass 53): "Read the
loud parts of notes.txt" read the file aloud. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize("task", ["Read the loud parts of notes.txt", "Read the quiet parts of notes.txt"])
def test_reading_a_file_with_more_words_is_no_speech(task: str) -> None:
    # before: read_file, then read_aloud of its content
    assert tools_chosen(task) == ["read_file"]


@pytest.mark.parametrize("task", ["Read notes.txt aloud", "Summarize notes.txt and read it"])
def test_speech_asked_or_a_result_to_say_is_still_spoken(task: str) -> None:
    assert tools_chosen(task)[-1] == "read_aloud"
