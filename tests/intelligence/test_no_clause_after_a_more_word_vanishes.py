"""A sentence opening "In addition,", "Secondly,", "Moreover," says only that more work follows (issue 11: a
sub-goal never vanishes). The lone word was read as a piece of context before the clause after it, and a question
after it ("Transcribe talk.wav. Secondly, how similar is it to 'see you tomorrow'?") was dropped with nothing said
missing. Now the word is skipped: every clause that asks work ends as a step, or as a missing step when no tool
does it; a sentence after the word that only tells something stays no step."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Transcribe talk.wav. Secondly, how similar is it to 'see you tomorrow'?", ["sentence_similarity"]),
        ("Transcribe talk.wav. In addition, how similar is it to 'see you tomorrow'?", ["sentence_similarity"]),
        ("Transcribe talk.wav. Moreover, how similar is it to 'see you tomorrow'?", ["sentence_similarity"]),
        ("Transcribe talk.wav. Additionally, how similar is it to 'see you tomorrow'?", ["sentence_similarity"]),
        ("Transcribe talk.wav. Besides that, what is the sentiment of it?", ["classify_sentiment"]),
        ("Transcribe talk.wav. Furthermore, what is the sentiment of it?", ["classify_sentiment"]),
        ("Transcribe talk.wav. Thirdly, denoise talk.wav.", ["denoise_audio"]),
        ("Summarize notes.txt. Besides that, translate it into French.", ["translate_text"]),
        ("Summarize notes.txt. Apart from that, read it aloud.", ["read_aloud"]),
        ("Summarize notes.txt. On top of that, read it aloud.", ["read_aloud"]),
        # no tool does it: a missing step, said, never dropped
        ("Summarize notes.txt. In addition, book a flight to Paris.", ["-"]),
        ("Summarize notes.txt. Secondly, order a pizza.", ["-"]),
    ],
)
def test_the_clause_after_a_more_word_is_a_step_or_missing(task: str, tools: list[str]) -> None:
    chosen = tools_chosen(task)
    assert chosen[-len(tools) :] == tools, chosen
    assert chosen[0] in {"transcribe_audio", "summarize_text", "read_file"}


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt. Moreover, it is very long.",
        "Summarize notes.txt. Secondly, it is in French.",
        "Summarize notes.txt. Furthermore, the file is long.",
        "Summarize notes.txt. In addition, my boss wrote it.",
        "Summarize notes.txt. In addition, it has typos.",
        "Summarize notes.txt. Moreover, I like it.",
        "Summarize notes.txt. Besides, I am tired.",
    ],
)
def test_a_sentence_after_a_more_word_that_only_tells_is_no_step(task: str) -> None:
    assert tools_chosen(task) == ["read_file", "summarize_text"]


@pytest.mark.parametrize(
    "task",
    [
        "Caption photo.jpg. Secondly, how well does it match 'a red bicycle'?",
        "Transcribe talk.wav. Secondly, how similar is your transcription to 'see you tomorrow'?",
        "Translate notes.txt into French. In addition, compare your translation with 'Bonjour'.",
        "Summarize notes.txt. Moreover, translate your summary into German.",
        "Summarize notes.txt. Also, is your summary positive?",
        "Caption photo.jpg. Thirdly, does your caption mention a dog?",
        "Summarize notes.txt. In addition, book a flight to Paris.",
        "Transcribe talk.wav. Additionally, paint your transcription on a wall.",
        "Caption photo.jpg. Furthermore, frame your caption.",
    ],
)
def test_every_clause_asking_work_ends_as_a_step_or_a_missing_one(task: str) -> None:
    """The guard of the class: two sentences each asking work make two steps at least (read steps aside)."""
    assert len([t for t in tools_chosen(task) if t != "read_file"]) >= 2
