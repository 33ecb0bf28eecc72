"""attack350 F9 (issue 11): "Write hello to both a.txt and b.txt" read b.txt and wrote its text into a.txt: "both" hid
the list of places, so the last was read as the source and 'hello' was lost. Each place listed after "both", "each
of", "all of" is written with the words said."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "words", "paths"),
    [
        ("Write hello to both a.txt and b.txt", "hello", ["a.txt", "b.txt"]),
        ("Write 'hello' to both a.txt and b.txt", "hello", ["a.txt", "b.txt"]),
        ("Save hello into both a.txt and b.txt", "hello", ["a.txt", "b.txt"]),
        ("Write hello to both the files a.txt and b.txt", "hello", ["a.txt", "b.txt"]),
        ("Write 'hi' to each of a.txt and b.txt", "hi", ["a.txt", "b.txt"]),
        ("Save 'hi' to each of a.txt, b.txt and c.txt", "hi", ["a.txt", "b.txt", "c.txt"]),
        ("Write hello to all of a.txt, b.txt and c.txt", "hello", ["a.txt", "b.txt", "c.txt"]),
    ],
)
async def test_each_place_gets_the_words(task: str, words: str, paths: list[str]) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert [(args.get("path"), args.get("content")) for tool, args in calls if tool == "write_file"] == [
        (path, words) for path in paths
    ], calls
    assert not [c for c in calls if c[0] == "read_file"], calls
    assert not missing_inputs, missing_inputs


@pytest.mark.parametrize("task", ["Write both a.txt and b.txt to c.txt", "Write a.txt and b.txt to c.txt"])
async def test_both_files_as_the_source_are_read(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert sorted(str(args.get("path")) for tool, args in calls if tool == "read_file") == ["a.txt", "b.txt"], calls
    assert [args.get("path") for tool, args in calls if tool == "write_file"] == ["c.txt"], calls
