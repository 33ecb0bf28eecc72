"""A question about data of a kind takes that kind and answers in text: "Transcribe x.wav. Who is speaking?" read the
transcript aloud (a speech maker, chosen by "speaking", as if speech were asked for); "Generate an image of a cat,
then find out how many legs it has" asked a text answerer with nothing to read, where a picture answerer takes the
picture made ("find out how" asked no question).
Requests that do ask for speech, or that say "find" or "determine" of no question, keep their plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

GENERIC = Path(__file__).with_name("generic_inputs_tools.yaml")
PICTURE_MADE = "${generate.output.json.image || generate.output.text}"


async def _calls(task: str, catalogue: Path) -> list[tuple[str, dict[str, object]]]:
    result = (await plan_task(task, as_the_cli_plans(catalogue))).execution
    assert not result.missing, result.missing
    assert not result.missing_inputs, result.missing_inputs
    assert result.plan is not None
    return [(n.tool, n.args) for n in result.plan.nodes]


@pytest.mark.parametrize(
    ("task", "question", "step"),
    [
        ("Transcribe x.wav. Who is speaking?", "Who is speaking", "transcribe"),
        ("Transcribe x.wav. Who was speaking?", "Who was speaking", "transcribe"),
        ("Transcribe x.wav. Who are speaking?", "Who are speaking", "transcribe"),
        ("Transcribe talk.wav. Who is talking?", "Who is talking", "transcribe"),
        ("Listen to x.wav. Who is singing?", "Who is singing", "listen"),
        ("Transcribe x.wav. What is playing in the background?", "What is playing in the background", "transcribe"),
    ],
)
@pytest.mark.parametrize(
    ("catalogue", "answerer", "inputs"),
    [(MEDIA, "answer_question", ("q", "context")), (GENERIC, "Question_Answering", ("text", "text_2"))],
)
async def test_who_is_speaking_is_asked_of_the_transcript(
    task: str, question: str, step: str, catalogue: Path, answerer: str, inputs: tuple[str, str]
) -> None:
    calls = await _calls(task, catalogue)
    assert calls[-1] == (answerer, {inputs[0]: question, inputs[1]: f"${{{step}.output.text}}"}), calls


@pytest.mark.parametrize(
    ("task", "image", "question"),
    [
        (
            "Generate an image of a cat, then find out how many legs it has",
            PICTURE_MADE,
            "find out how many legs it has",
        ),
        ("Generate an image of a dog, then figure out what colour it is", PICTURE_MADE, "figure out what colour it is"),
        ("Generate an image of a dog, then work out what breed it is", PICTURE_MADE, "work out what breed it is"),
        ("Generate an image of a dog, then find out what breed it is", PICTURE_MADE, "find out what breed it is"),
        (
            "Draw a picture of a house and find out how many windows it has",
            "${draw.output.json.image || draw.output.text}",
            "find out how many windows it has",
        ),
    ],
)
async def test_a_question_finding_out_of_a_picture_asks_the_picture(task: str, image: str, question: str) -> None:
    calls = await _calls(task, GENERIC)
    assert calls[-1] == ("Visual_Question_Answering", {"image": image, "text": question}), calls


@pytest.mark.parametrize(
    ("task", "catalogue", "tools"),
    [
        ("Read notes.txt aloud", MEDIA, ["read_file", "read_aloud"]),
        ("Transcribe x.wav and read it aloud", MEDIA, ["transcribe_audio", "read_aloud"]),
        ("Translate 'hi' into French and speak it", MEDIA, ["translate_text", "read_aloud"]),
        ("Say 'hello' out loud", MEDIA, ["read_aloud"]),
        ("Determine the sentiment of 'I love it'", MEDIA, ["classify_sentiment"]),
        ("Find the word 'x' in notes.txt", GENERIC, ["read_file", "Question_Answering"]),
        (
            "Generate an image of a cat. How many legs does it have?",
            GENERIC,
            ["Text-to-Image", "Visual_Question_Answering"],
        ),
        ("Generate an image of a cat. How many legs does it have?", MEDIA, ["text_to_image", "caption_image"]),
        ("Caption photo.jpg, then tell me who is in it", MEDIA, ["caption_image", "answer_question"]),
    ],
)
async def test_look_alikes_keep_their_plans(task: str, catalogue: Path, tools: list[str]) -> None:
    assert [tool for tool, _ in await _calls(task, catalogue)] == tools
