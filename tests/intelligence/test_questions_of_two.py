"""A question that names two things of a kind is for the tool its own words find that takes two of that kind
(a similarity of two sentences), not for a tool that answers any question: "Can you tell me how much these
two sentences have in common?" was question answering, the two sentences its question and context. A question
of one text stays question answering. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, output_of, plan_read, tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "I'm comparing two phrases: 'The dog runs fast.' and 'A dog is running quickly.'. Can you tell me how much"
        " these two sentences have in common?",
        "How close in meaning are these two sentences: 'I like tea' and 'Tea is what I enjoy'?",
        # words of likeness no tool says ("common" alone), on two quotes: how similar they are
        "how much do 'the cat sat' and 'the dog ran' have in common?",
        "What do 'I like tea' and 'Tea is what I enjoy' have in common?",
        "how close are 'the cat sat' and 'a cat was sitting'?",
    ],
)
def test_a_question_of_two_texts_goes_to_the_tool_taking_two(task: str) -> None:
    assert tools_chosen(task) == ["sentence_similarity"]


@pytest.mark.parametrize(
    "task",
    [
        "Given the text 'Ann has two cats and a dog', how many pets does Ann have?",
        # likeness asked of what one text tells, not of two texts
        "Given the text 'Ann and Bob both like tea', what do Ann and Bob have in common?",
        "What does 'the cat sat on the mat' have in common with cats?",
    ],
)
def test_a_question_of_one_text_is_answered(task: str) -> None:
    assert tools_chosen(task) == ["answer_question"]


@pytest.mark.parametrize(
    "task", ["Are photo.jpg and other.jpg similar?", "Are the images photo.jpg and other.jpg similar?"]
)
async def test_two_pictures_asked_alike_are_compared_by_their_descriptions(task: str) -> None:
    # attack94: the question's own words were one text and both captions, joined, the other
    nodes, _, asked = await plan_read(task, MEDIA)
    captions = [n.id for n in nodes if n.tool == "caption_image"]
    assert nodes[-1].tool == "sentence_similarity" and not asked
    assert nodes[-1].args == {"a": output_of(captions[0], "text"), "b": output_of(captions[1], "text")}
