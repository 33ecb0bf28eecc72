"""The object of a verb that names an earlier step's work is that step's result (pass 21,
docs/planning-passes.md).

"Summarize notes.txt, then compare the summary with 'B'": "the summary" is what the summariser made,
which the comparison works on; as a word of the clause's work it found the summariser again, and the
plan summarised twice and compared nothing. The verb's own work ("translate the translation into
French") is still done again.
"""

from __future__ import annotations

from tests.intelligence.reading import tools_chosen


def test_comparing_an_earlier_result_compares_it():
    task = "Summarize notes.txt, then compare the summary with 'The meeting went well'."
    assert tools_chosen(task) == ["read_file", "summarize_text", "sentence_similarity"]
    task = "Translate 'Guten Morgen' into English and compare the translation with 'Good morning'."
    assert tools_chosen(task) == ["translate_text", "sentence_similarity"]


def test_the_same_work_on_the_result_is_done_again():
    task = "Translate 'Guten Morgen' into English, then translate the translation into French."
    assert tools_chosen(task) == ["translate_text", "translate_text"]
