"""A quoted question after a step that took the user's picture ("Caption photo.jpg. Could you answer 'What colour is
the car?'") is asked of what a question without a quote is asked of: a tool taking the picture beside the question is
given the user's picture (the caption step having taken it first is no reason to ask for it again), and a tool
answering from a text is given the caption as its context, not asked for one. The quote, a question, fills the
question only. Look-alikes whose quote is the text to work on, or which give the context themselves, keep their
plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

GENERIC = Path(__file__).with_name("generic_inputs_tools.yaml")

QUOTED = [
    ("Caption photo.jpg. Could you answer 'What color is the car in the picture?'", "caption"),
    ("Caption photo.jpg. Answer 'How many people are in the picture?'", "caption"),
    ("Describe photo.jpg. Can you also answer 'What is the dog doing?'", "describe"),
    ("Caption photo.jpg. I'd also like an answer to 'Where was this taken?'", "caption"),
    ("Caption photo.jpg, then answer 'What colour is the sky?'", "caption"),
    ("Caption photo.jpg. Please answer: 'Is there a cat in the picture?'", "caption"),
    ("Caption photo.jpg. Could you then answer 'Who is standing on the left?'", "caption"),
    ("Caption photo.jpg. Also answer 'What time of day is it?'", "caption"),
    ("Caption photo.jpg. Could you answer the question 'What brand is the car?'", "caption"),
    ("Caption photo.jpg. Could you answer 'What animals are in the picture?'", "caption"),
]


def _quote(task: str) -> str:
    return task.split("'")[-2]


async def _plan(task: str, catalogue: Path) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    result = (await plan_task(task, as_the_cli_plans(catalogue))).execution
    calls = [(n.tool, n.args) for n in result.plan.nodes] if result.plan is not None else []
    return calls, result.missing_inputs


@pytest.mark.parametrize(("task", "step"), QUOTED)
async def test_a_picture_question_takes_the_users_picture(task: str, step: str) -> None:
    calls, missing = await _plan(task, GENERIC)
    assert ("Visual_Question_Answering", {"image": "photo.jpg", "text": _quote(task)}) in calls, calls
    # ("describe" found an editor here, whose instruction is asked: another matter)
    assert not [m for m in missing if m.startswith("Visual")], missing


@pytest.mark.parametrize(("task", "step"), QUOTED)
async def test_a_text_answerer_takes_the_caption(task: str, step: str) -> None:
    calls, missing = await _plan(task, MEDIA)
    assert calls == [
        ("caption_image", {"image": "photo.jpg"}),
        ("answer_question", {"q": _quote(task), "context": f"${{{step}.output.text}}"}),
    ], calls
    assert not missing, missing


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("Caption photo.jpg. Translate 'What color is the car?' into French",
         [("caption_image", {"image": "photo.jpg"}), ("translate_text", {"text": "What color is the car?"})]),
        ("Caption photo.jpg. Summarize 'The car is red and the sky is blue.'",
         [("caption_image", {"image": "photo.jpg"}), ("summarize_text", {"text": "The car is red and the sky is blue."})]),
        ("Caption photo.jpg. Compare it with 'a red car on a road'",
         [("caption_image", {"image": "photo.jpg"}),
          ("sentence_similarity", {"a": "${caption.output.text}", "b": "a red car on a road"})]),
        ("Caption photo.jpg and answer 'What color is the car?' using 'The car in the photo is blue.'",
         [("caption_image", {"image": "photo.jpg"}),
          ("answer_question", {"q": "What color is the car?", "context": "The car in the photo is blue."})]),
        ("Caption photo.jpg. Read 'What a lovely day!' aloud",
         [("caption_image", {"image": "photo.jpg"}), ("read_aloud", {"text": "What a lovely day!"})]),
        ("Caption photo.jpg. Translate 'Where is the station?' into German",
         [("caption_image", {"image": "photo.jpg"}), ("translate_text", {"text": "Where is the station?"})]),
        ("Caption photo.jpg. Summarize 'Who we are: a small team of makers.'",
         [("caption_image", {"image": "photo.jpg"}), ("summarize_text", {"text": "Who we are: a small team of makers."})]),
        ("Caption photo.jpg, then answer the question 'What color is the car?'",
         [("caption_image", {"image": "photo.jpg"}),
          ("answer_question", {"q": "What color is the car?", "context": "${caption.output.text}"})]),
        ("Identify the objects in photo.jpg and edit it to add a hat",
         [("detect_objects", {"image": "photo.jpg"}),
          ("edit_image", {"image": "photo.jpg", "instruction": "edit it to add a hat"})]),
    ],
)  # fmt: skip
async def test_a_quote_that_is_no_question_keeps_its_plan(task: str, expected: list[object]) -> None:
    calls, _ = await _plan(task, MEDIA)
    assert calls == expected, calls


@pytest.mark.parametrize(
    "task",
    [
        "Transcribe talk.wav. Could you answer 'Who is speaking?'",
        "Transcribe talk.wav. Answer 'What is the meeting about?'",
    ],
)
async def test_a_question_after_a_transcript_takes_it(task: str) -> None:
    calls, missing = await _plan(task, MEDIA)
    assert calls[-1] == ("answer_question", {"q": _quote(task), "context": "${transcribe.output.text}"}), calls
    assert not missing, missing
