"""Everyday words for a tool's work find the tool whose description says the plain word: "categorize scan.jpg"
is a classifier's work ("assign a class"), "compare 'A' with 'B'" a similarity's ("how similar two texts are"),
"improve tape.wav" an enhancer's, as "a rundown" is a summariser's (pass 8). No tool of the archive catalogue
says "category", "compare" or "improve", so each of these was reported missing (or written to a file, or
transcribed twice). Requests written for these tests."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import ARCHIVE, tools_chosen


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        # a category is a class
        ("Categorize scan.jpg.", ["classify_page"]),
        ("Sort scan.jpg into a category.", ["classify_page"]),
        ("Which category does scan.jpg belong to?", ["classify_page"]),
        ("Tell me the category of scan.jpg.", ["classify_page"]),
        ("Categorise the song tune.mp3.", ["classify_tune"]),
        ("Put tune.mp3 in a category and transcribe it.", ["classify_tune", "transcribe_tape"]),
        # a comparison asks how similar
        ("Compare 'the old index' with 'the new index'.", ["match_texts"]),
        ("How does 'the old index' compare to 'the new index'?", ["match_texts"]),
        # a noun of the verb: the comparison was a file written, with the quote as its content
        ("Read scan.jpg and make a comparison with 'an invoice of 1921'.", ["read_page", "match_texts"]),
        # an improvement is an enhancement
        ("Improve tape.wav.", ["restore_tape"]),
        ("Improve scan.jpg and read it.", ["restore_page", "read_page"]),
        # the improvement the participle takes for granted goes first: it was a second transcription
        ("Transcribe the improved recording tape.wav.", ["restore_tape", "transcribe_tape"]),
    ],
)
def test_an_everyday_word_finds_the_tool_saying_the_plain_one(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task, ARCHIVE) == chosen


def test_other_work_is_not_a_classification() -> None:
    assert tools_chosen("Find the stamps on scan.jpg.", ARCHIVE) == ["find_stamps"]
    assert tools_chosen("Transcribe tune.mp3.", ARCHIVE) == ["transcribe_tape"]
