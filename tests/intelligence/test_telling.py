"""A sentence that tells goes on telling (pass 18, docs/planning-passes.md).

"My photo photo.jpg, I believe, shows a harbour at dawn": after the comma the sentence goes on with its
verb in the third person, which no request opens with; it was read as a request ("shows a harbour")
and planned. A request with an -s verb after a request ("not only identifies them but also gives
an estimate") still opens a sub-goal.
"""

from __future__ import annotations

from tests.intelligence.reading import clauses_read, tools_chosen


def test_a_third_person_verb_after_a_context_piece_goes_on_telling():
    task = "My photo photo.jpg, I believe, shows a harbour at dawn. Translate 'Hola' into English."
    assert tools_chosen(task) == ["translate_text"]
    task = "I have an old recording talk.wav that, as far as I know, contains a speech. Summarize notes.txt."
    assert tools_chosen(task) == ["read_file", "summarize_text"]


def test_after_a_request_it_still_opens_a_sub_goal():
    assert clauses_read("Make a video that not only identifies the objects but also gives an estimate of them") == [
        ("Make a video that not only identifies the objects", True),
        ("gives an estimate of them", True),
    ]


def test_a_gerund_after_and_goes_on_telling_what_is_under_way():
    # pass 21: "and transcribing interviews" was read as a request, and planned
    task = "I've been recording and transcribing interviews all week. Summarize notes.txt."
    assert tools_chosen(task) == ["read_file", "summarize_text"]
    task = "I am reading and translating old letters. Summarize notes.txt."
    assert tools_chosen(task) == ["read_file", "summarize_text"]
