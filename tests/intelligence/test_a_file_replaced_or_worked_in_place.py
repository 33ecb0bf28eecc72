"""plan160: verbs that say a file is written over. "Translate notes.txt and replace / update notes.txt with it" found
no tool ("replace" was missing), "Replace notes.txt with its translation" deleted notes.txt, and "Translate notes.txt
in place" translated and wrote nothing, unsaid. Each is the work, then notes.txt written over with it."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "tool", "made"),
    [
        ("Translate notes.txt and replace notes.txt with it", "translate_text", "translate"),
        ("Translate notes.txt and update notes.txt with it", "translate_text", "translate"),
        ("Replace notes.txt with its translation", "translate_text", "translate"),
        ("Update notes.txt with a summary of it", "summarize_text", "summarize"),
        ("Translate notes.txt in place", "translate_text", "translate"),
        ("Summarize notes.txt in-place", "summarize_text", "summarize"),
    ],
)
async def test_the_work_is_written_over_its_file(task: str, tool: str, made: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert not missing, calls
    assert [t for t, _ in calls] == ["read_file", tool, "write_file"], calls
    assert calls[-1][1] == {"path": "notes.txt", "content": f"${{{made}.output.text}}"}, calls


async def test_a_file_replaced_by_a_quote_is_written_with_it() -> None:
    calls, missing, _ = await calls_asked_and_said("Replace notes.txt with 'hello'", MEDIA)
    assert calls == [("write_file", {"path": "notes.txt", "content": "hello"})] and not missing, calls
