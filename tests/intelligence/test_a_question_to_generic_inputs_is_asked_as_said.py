"""A question asked of a result, to a question-answering tool whose inputs name only their kind (``text``,
``text_2``, as benchmarks' catalogues have them), is the clause's words beside that result: "Summarize notes.txt and
tell me who wrote it" asks "tell me who wrote it" of the summary. Before, only an input named for a question ("q")
took it, and the question was asked for again (``text_2``) though the user had said it. Work that is no question,
a question with its own quote, and a likeness keep their plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said

GENERIC = Path(__file__).with_name("generic_inputs_tools.yaml")
SUMMARY, TRANSCRIPT = "${summarize.output.text}", "${transcribe.output.text}"


@pytest.mark.parametrize(
    ("task", "question", "context"),
    [
        ("Summarize notes.txt and tell me what it says.", "tell me what it says", SUMMARY),
        ("Summarize notes.txt, then find out who wrote it.", "find out who wrote it", SUMMARY),
        ("Summarize notes.txt and figure out who wrote it.", "figure out who wrote it", SUMMARY),
        ("Summarize notes.txt. Tell me when it was written.", "Tell me when it was written", SUMMARY),
        ("Transcribe talk.wav, then tell me who is speaking in it.", "tell me who is speaking in it", TRANSCRIPT),
        ("Transcribe talk.wav and let me know where it was recorded.", "tell me where it was recorded", TRANSCRIPT),
        ("Transcribe talk.wav, then work out who is speaking in it.", "work out who is speaking in it", TRANSCRIPT),
        ("Transcribe talk.wav. Who is the speaker in it?", "Who is the speaker in it", TRANSCRIPT),
        (
            "Translate notes.txt into English, then tell me who the author of it is.",
            "tell me who the author of it is",
            "${translate.output.text}",
        ),
    ],
)
async def test_the_question_said_is_the_other_text(task: str, question: str, context: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, GENERIC)
    assert calls[-1] == ("Question_Answering", {"text": question, "text_2": context}), calls
    assert not missing


@pytest.mark.parametrize(
    ("task", "last"),
    [
        ("Summarize notes.txt and translate it into French.", ("Translation", {"text": SUMMARY})),
        (
            "Summarize notes.txt. How similar is it to 'A short note'?",
            ("Sentence_Similarity", {"text": SUMMARY, "text_2": "A short note"}),
        ),
        (
            "Summarize notes.txt and answer 'Who wrote it?' from it.",
            ("Question_Answering", {"text": SUMMARY, "text_2": "Who wrote it?"}),
        ),
    ],
)
async def test_other_work_on_the_result_keeps_its_plan(task: str, last: tuple[str, dict[str, object]]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, GENERIC)
    assert calls[-1] == last, calls
    assert not missing
