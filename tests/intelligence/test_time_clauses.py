"""A time clause says when, not what (pass 21, docs/planning-passes.md).

"Once we have the summary, how similar would you say it is to 'B'?": the time clause holds what came
before ("once we have ...", "when you've got ..."), and the question after it is the work. It was read
as telling (a subject after "once"), and the question was glued to it and lost; "would you say" made
it a question to the assistant. "What do you think?" alone still asks the assistant.
"""

from __future__ import annotations

from tests.intelligence.reading import clauses_without_data, tools_chosen


def test_a_question_after_a_time_clause_is_asked():
    task = "Summarize notes.txt. Once we have the summary, how similar would you say it is to 'The meeting went well'?"
    assert tools_chosen(task) == ["read_file", "summarize_text", "sentence_similarity"]
    task = "Caption photo.jpg. Once you've got the caption, how similar would you say it is to 'A dog on a beach'?"
    assert tools_chosen(task) == ["caption_image", "sentence_similarity"]


def test_the_time_clause_is_no_sub_goal():
    assert clauses_without_data("Caption photo.jpg. When you've got the caption, translate it into German.") == [
        ("Caption @p0", True),
        ("translate it into German", True),
    ]


def test_a_question_to_the_assistant_is_still_no_step():
    assert tools_chosen("Caption photo.jpg. What do you think?") == ["caption_image"]
    assert tools_chosen("Caption photo.jpg. What would you say?") == ["caption_image"]
