"""What a context sentence says the user wants to know (pass 18, docs/planning-passes.md).

"I'm intrigued by what ..." says so as "I'm curious about what ..." does; and what the user wants
found out ("what it says about the staff") is a question to answer, which a vague request after it
("Can you figure it out?") asks, not work named by its stray words (an image editor, by meaning).
Whether something holds ("curious whether it is positive") names the work, as before.
"""

from __future__ import annotations

from orchestra.analysis.goals import curious_about
from tests.intelligence.reading import tools_chosen


def test_being_intrigued_says_what_the_user_wants_to_know():
    assert curious_about("I'm intrigued by what the primary subject of the text might be") == [
        "primary",
        "subject",
        "text",
    ]
    # so "the answer" later is the answer to it, asked first
    task = "I'm intrigued by what the paragraph 'The sun rose over the harbour and the boats went out' is about. Please translate the answer into French."  # fmt: skip
    assert tools_chosen(task) == ["answer_question", "translate_text"]


def test_a_vague_request_after_what_the_user_wonders_asks_it():
    task = "I have the review 'The food was cold and the staff rude'. I'm curious about what it says about the staff. Can you figure it out?"  # fmt: skip
    assert tools_chosen(task) == ["answer_question"]
    task = "I have the review 'The food was cold and the staff rude'. I'm intrigued by what it says about the staff. Summarize notes.txt. Could you figure it out as well?"  # fmt: skip
    assert tools_chosen(task) == ["read_file", "summarize_text", "answer_question"]


def test_whether_something_holds_names_the_work():
    task = "I have the review 'The food was cold and the staff rude'. I'm curious whether it is positive. Can you figure it out?"  # fmt: skip
    assert tools_chosen(task) == ["classify_sentiment"]
