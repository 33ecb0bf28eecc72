""" "Your summary", "your transcription", "your result" name what the work said before them made (issue 11). A
question naming "your" was read as asking the assistant itself and vanished; "your transcription" kept its work
noun, so the clause chose the transcriber again and was folded into the step before, or "measure how close your
summary is to 'X'" summarized the quote. Now such words read as "it": the earlier result feeds the clause. "Your"
naming no work said before ("what is your name?", "give me your summary" after a read) keeps its reading."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, output_of, plan_read, tools_chosen


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        (
            "Transcribe talk.wav. How similar is your transcription to 'see you tomorrow'?",
            ["transcribe_audio", "sentence_similarity"],
        ),
        (
            "Transcribe talk.wav. What is the sentiment of your transcription?",
            ["transcribe_audio", "classify_sentiment"],
        ),
        (
            "Translate notes.txt into French. Also compare your translation with 'Bonjour'.",
            ["read_file", "translate_text", "sentence_similarity"],
        ),
        (
            "Summarize notes.txt. What is the sentiment of your summary?",
            ["read_file", "summarize_text", "classify_sentiment"],
        ),
        ("Summarize notes.txt. Is your summary positive?", ["read_file", "summarize_text", "classify_sentiment"]),
        (
            "Summarize notes.txt, then translate your summary into German.",
            ["read_file", "summarize_text", "translate_text"],
        ),
        ("Summarize notes.txt and read your summary aloud.", ["read_file", "summarize_text", "read_aloud"]),
        ("Caption photo.jpg, then read your caption aloud.", ["caption_image", "read_aloud"]),
        ("Caption photo.jpg. Does your caption mention a dog?", ["caption_image", "answer_question"]),
        ("Caption photo.jpg. What is the sentiment of your result?", ["caption_image", "classify_sentiment"]),
        ("Transcribe talk.wav and translate your output into French.", ["transcribe_audio", "translate_text"]),
    ],
)
def test_your_result_is_the_work_said_before(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


async def test_the_compared_result_is_the_transcription() -> None:
    nodes, _, missing = await plan_read(
        "Transcribe talk.wav. How similar is your transcription to 'see you tomorrow'?", MEDIA
    )
    similar = nodes[-1]
    assert (similar.tool, similar.args) == (
        "sentence_similarity",
        {"a": output_of(nodes[0].id, "text"), "b": "see you tomorrow"},
    )
    assert missing == []


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Summarize notes.txt. What do you think?", ["read_file", "summarize_text"]),
        ("Summarize notes.txt. How are you?", ["read_file", "summarize_text"]),
        ("Summarize notes.txt. What is your name?", ["read_file", "summarize_text"]),
        ("Read notes.txt and give me your summary.", ["read_file", "summarize_text"]),
        ("Read notes.txt and send me your translation into French.", ["read_file", "translate_text"]),
    ],
)
def test_your_naming_no_work_said_before_keeps_its_reading(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools
