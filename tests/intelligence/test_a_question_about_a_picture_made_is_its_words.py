"""A question with words of its own about a picture a step made ("Change the car in photo.jpg to blue and tell me how
it looks") is the text of the tool that answers questions about pictures: "it" is the picture, and no step made a
text it could mean. Before, the question was asked for again. "Answer it" says no question of its own: still asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said

GENERIC = Path(__file__).with_name("generic_inputs_tools.yaml")
EDITED, DRAWN = "${change.output", "${generate.output"  # the picture that step made


@pytest.mark.parametrize(
    ("task", "picture", "question"),
    [
        ("Change the car in photo.jpg to blue and tell me how it looks.", EDITED, "tell me how it looks"),
        ("Change the car in photo.jpg to blue, then tell me what it shows.", EDITED, "tell me what it shows"),
        ("Change the sky in photo.jpg to red. How does it look now?", EDITED, "How does it look now"),
        (
            "Change the sky in photo.jpg to red and let me know whether it looks real.",
            EDITED,
            "tell me whether it looks real",
        ),
        ("Generate an image of a cat and tell me what colour it is.", DRAWN, "tell me what colour it is"),
        ("Generate an image of a cat. Which way is it facing?", DRAWN, "Which way is it facing"),
        ("Generate an image of a cat, then tell me where it is sitting.", DRAWN, "tell me where it is sitting"),
    ],
)
async def test_its_words_are_the_question(task: str, picture: str, question: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, GENERIC)
    tool, args = calls[-1]
    assert tool == "Visual_Question_Answering" and args["text"] == question, calls
    assert str(args["image"]).startswith(picture), calls
    assert not missing


async def test_a_question_with_no_words_of_its_own_is_asked() -> None:
    calls, missing, _ = await calls_asked_and_said("Generate an image of a cat. Then answer it.", GENERIC)
    assert calls[-1][0] == "Visual_Question_Answering" and missing == ["Visual_Question_Answering_text"], calls
