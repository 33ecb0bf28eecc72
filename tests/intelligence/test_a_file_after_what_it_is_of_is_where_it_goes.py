"""plan211: "Store the summary of notes.txt in out.txt" read out.txt as data and wrote the summary beside out.txt's own
text to a path asked for. After "the X of FILE", "in FILE2" says where the result goes: out.txt is written, not read.
"the summary of the text in notes.txt" still says what the text is."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said, output_of


@pytest.mark.parametrize(
    ("task", "made", "path"),
    [
        ("Store the summary of notes.txt in out.txt", output_of("summarize", "text"), "out.txt"),
        ("Save the French translation of notes.txt in fr.txt", output_of("translate", "text"), "fr.txt"),
        ("Save the summary of notes.txt inside out.txt", output_of("summarize", "text"), "out.txt"),
    ],
)
async def test_a_file_after_what_it_is_of_is_where_it_goes(task: str, made: str, path: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert ("read_file", {"path": path}) not in calls, calls
    assert calls[0] == ("read_file", {"path": "notes.txt"}), calls
    assert calls[-1] == ("write_file", {"path": path, "content": made}), calls
    assert not asked, asked
