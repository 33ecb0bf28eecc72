"""issue 11: "Summarize a.txt. Summarize b.txt. Then save the two summaries to out.txt" stored the second summary
alone: a noun of work names the newest result of that work, and "the summaries" was read as "the summary". A noun
of work said as several ("the summaries", "the two captions") names each such result no step took yet, as "them"
does; "the summary" is still the newest."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "first", "second"),
    [
        ("Summarize a.txt. Summarize b.txt. Then save the two summaries to out.txt", "summarize", "summarize_2"),
        ("Summarize a.txt. Summarize b.txt. Then save the summaries to out.txt", "summarize", "summarize_2"),
        ("Caption a.jpg and caption b.jpg, then save the captions to out.txt", "caption", "caption_2"),
        ("Transcribe a.wav, then transcribe b.wav and save the transcripts to out.txt", "transcribe", "transcribe_2"),
    ],
)
async def test_a_sink_stores_each_result_its_plural_noun_names(task: str, first: str, second: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    content = f"${{{first}.output.text}}\n${{{second}.output.text}}\n"
    assert calls[-1] == ("write_file", {"path": "out.txt", "content": content}), calls
    assert not asked, asked


async def test_a_singular_noun_still_names_the_newest() -> None:
    calls, _, _ = await calls_asked_and_said(
        "Summarize a.txt. Summarize b.txt. Then save the summary to out.txt", MEDIA
    )
    assert calls[-1] == ("write_file", {"path": "out.txt", "content": "${summarize_2.output.text}"}), calls


async def test_each_result_named_is_worked_on() -> None:
    calls, _, _ = await calls_asked_and_said("Caption a.jpg and caption b.jpg, then translate the captions", MEDIA)
    assert calls[-2:] == [
        ("translate_text", {"text": "${caption.output.text}"}),
        ("translate_text", {"text": "${caption_2.output.text}"}),
    ], calls
