"""A tool comparing two texts, asked to compare the user's text with a file of another kind the clause names by
its kind ("the original audio", "the recording", "the picture") but the request named in a sentence before, is
given that file's text, made by the catalogue's converter: "I've transcribed talk.wav as 'X'. Compare the
transcription with the original audio" compared 'X' with a text asked for (`inputs.sentence_similarity_b`), and
the audio went to no step. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, output_of, whole_plan


def _compared(plan: Plan) -> set[object]:
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    return set(compare.args.values())


@pytest.mark.parametrize(
    ("request_", "converter", "file", "quote"),
    [
        (
            "I recorded talk.wav and transcribed it as 'hello there'. Compare the transcription with the original audio.",
            "transcribe_audio",
            "talk.wav",
            "hello there",
        ),
        (
            "I recorded talk.wav and wrote 'good morning'. Compare the text with the recording.",
            "transcribe_audio",
            "talk.wav",
            "good morning",
        ),
        (
            "I took photo.jpg and wrote 'a cat on a mat' about it. How similar is that phrase to the picture?",
            "caption_image",
            "photo.jpg",
            "a cat on a mat",
        ),
    ],
)
async def test_the_file_of_another_kind_is_converted_and_compared(
    request_: str, converter: str, file: str, quote: str
) -> None:
    plan = await whole_plan(request_)
    (made,) = [n for n in plan.nodes if n.tool == converter]
    assert file in set(made.args.values())
    assert _compared(plan) == {output_of(made.id, "text"), quote}


async def test_two_texts_of_its_own_convert_nothing() -> None:
    plan = await whole_plan("I recorded talk.wav. Compare 'hi' with 'hello'.")
    assert [n.tool for n in plan.nodes] == ["sentence_similarity"]
    assert _compared(plan) == {"hi", "hello"}


@pytest.mark.parametrize(
    ("request_", "converter"),
    [
        ("I recorded talk.wav. Compare 'hello' with the recording.", "transcribe_audio"),
        ("I took photo.jpg. How similar is 'a red car' to the picture?", "caption_image"),
    ],
)
async def test_a_text_of_its_own_converts_nothing_left_unused(request_: str, converter: str) -> None:
    """With a text of its own the clause is as it was (the other text asked for): no transcript or caption is
    made that no step then takes."""
    result = await plan_task(request_, default_registry([MEDIA]))
    assert result.execution.plan is not None
    assert converter not in [n.tool for n in result.execution.plan.nodes]
