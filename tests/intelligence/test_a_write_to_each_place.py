"""A write sent to several files writes each (plan141): "Write 'hi' to ./notes.txt and to NOTES.TXT" read NOTES.TXT
and wrote 'hi' to notes.txt alone; "Summarize notes.txt and save it to a.txt and b.txt" wrote the summary and
b.txt's text into a.txt."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "places"),
    [
        ("Write 'hi' to ./notes.txt and to NOTES.TXT", ["./notes.txt", "NOTES.TXT"]),
        ("Write 'hi' to a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Write 'hi' to a.txt, b.txt and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Write 'hi' to a.txt and ./a.txt", ["a.txt"]),  # one file named twice
    ],
)
async def test_a_quote_is_written_to_each(task: str, places: list[str]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [("write_file", {"path": p, "content": "hi"}) for p in places] and not missing


async def test_a_result_is_written_to_each() -> None:
    calls, missing, _ = await calls_asked_and_said("Summarize notes.txt and save it to a.txt and b.txt", MEDIA)
    assert [c for c in calls if c[0] == "read_file"] == [("read_file", {"path": "notes.txt"})]
    assert [c for c in calls if c[0] == "write_file"] == [
        ("write_file", {"path": p, "content": "${summarize.output.text}"}) for p in ("a.txt", "b.txt")
    ]
    assert not missing
