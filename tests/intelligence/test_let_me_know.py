"""'Let me know what ...', 'tell me how many ...': an indirect question (pass 21, docs/planning-passes.md).

"Caption photo.jpg and let me know what colour the car is": "let" is no verb of work, so the question
was glued to the caption step and lost; "tell me" after an adverb ("eventually tell me how many ...")
or before a question word was ranked by its stray words rather than asked.
"""

from __future__ import annotations

from tests.intelligence.reading import clauses_without_data, tools_chosen


def test_let_me_know_opens_a_sub_goal():
    assert clauses_without_data("Caption photo.jpg and let me know what colour the car is.") == [
        ("Caption @p0", True),
        ("tell me what colour the car is", True),
    ]


def test_an_indirect_question_is_answered():
    task = "Caption photo.jpg and let me know what colour the car is."
    assert tools_chosen(task) == ["caption_image", "answer_question"]
    task = "Caption photo.jpg, and eventually tell me how many birds the caption mentions."
    assert tools_chosen(task) == ["caption_image", "answer_question"]
