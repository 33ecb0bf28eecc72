"""A question in words of its own about several things a step made ("Detect the objects in x.jpg and tell me what
they are") is the question-answering tool's question, the results its context: the detections were asked as the
question and the context was asked for; of two transcripts, one was the question and the other its context. "Answer
them" (the questions a step made) asks no words of its own, and keeps its plan."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

BOTH_TRANSCRIPTS = "${transcribe_1.output.text}\n${transcribe_2.output.text}\n"


@pytest.mark.parametrize(
    ("task", "question", "context"),
    [
        ("Detect the objects in x.jpg and tell me what they are", "tell me what they are", "${detect.output.text}"),
        ("Detect the objects in x.jpg, then tell me where they are", "tell me where they are", "${detect.output.text}"),
        (
            "Label the objects in x.jpg and tell me how many of them are cars",
            "tell me how many of them are cars",
            "${label.output.text}",
        ),
        (
            "Transcribe a.wav and b.wav and tell me who is speaking in them",
            "tell me who is speaking in them",
            BOTH_TRANSCRIPTS,
        ),
        (
            "Transcribe a.wav and b.wav, then tell me what they are about",
            "tell me what they are about",
            BOTH_TRANSCRIPTS,
        ),
        (
            "Transcribe a.wav and b.wav and tell me whether they agree",
            "tell me whether they agree",
            BOTH_TRANSCRIPTS,
        ),
        (
            "Caption a.jpg and b.jpg and tell me what they have in common",
            "tell me what they have in common",
            "${caption_1.output.text}\n${caption_2.output.text}\n",
        ),
        ("Detect the objects in x.jpg. What are they?", "What are they", "${detect.output.text}"),
        (
            "Detect the objects in x.jpg and tell me why they are there",
            "tell me why they are there",
            "${detect.output.text}",
        ),
        (
            "Detect the objects in x.jpg and tell me when they were made",
            "tell me when they were made",
            "${detect.output.text}",
        ),
    ],
)
async def test_the_words_are_the_question_and_the_results_its_context(task: str, question: str, context: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("answer_question", {"q": question, "context": context}), calls
    assert not asked, asked


@pytest.mark.parametrize(
    ("task", "last"),
    [
        (
            "Generate 3 questions about notes.txt and answer them",
            ("answer_question", {"q": "${read.output.content}", "context": "${inputs.answer_question_context}"}),
        ),
        ("Detect the objects in x.jpg and summarize them", ("summarize_text", {"text": "${detect.output.text}"})),
        ("Transcribe a.wav and b.wav and read them aloud", ("read_aloud", {"text": "${transcribe_2.output.text}"})),
        (
            "Detect the objects in x.jpg and tell me about them",
            ("classify_sentiment", {"text": "${detect.output.text}"}),
        ),
    ],
)
async def test_no_words_of_asking_keep_their_plans(task: str, last: tuple[str, dict[str, object]]) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == last, calls
