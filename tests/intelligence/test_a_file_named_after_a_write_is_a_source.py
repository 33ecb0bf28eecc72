"""attack350 F8 (issue 11): "Write 'b.txt' to a.txt and b.txt to c.txt" wrote the words 'b.txt' into a.txt, b.txt and
c.txt, asking nothing: b.txt, named as what a second write takes, was read as one more place of the first and written
over. A file said after a write's words and place, with a place of its own, is the source of a write of its own."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said, output_of


@pytest.mark.parametrize(
    ("task", "words", "source", "dest"),
    [
        ("Write 'b.txt' to a.txt and b.txt to c.txt", "b.txt", "b.txt", "c.txt"),
        ("Write 'hello' to a.txt and b.txt to c.txt", "hello", "b.txt", "c.txt"),
        ("Write 'hello' to a.txt, and b.txt to c.txt", "hello", "b.txt", "c.txt"),
        ("Write 'hello' to a.txt and then b.txt to c.txt", "hello", "b.txt", "c.txt"),
        ("Save 'x' to a.txt and notes.md to c.txt", "x", "notes.md", "c.txt"),
        ('Write "a.txt" to a.txt and b.txt to c.txt', "a.txt", "b.txt", "c.txt"),
    ],
)
async def test_the_named_file_is_read_never_written(task: str, words: str, source: str, dest: str) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, MEDIA)
    written = {args.get("path"): args.get("content") for tool, args in calls if tool == "write_file"}
    assert source not in written, calls
    assert written["a.txt"] == words, calls
    reads = [args.get("path") for tool, args in calls if tool == "read_file"]
    assert reads == [source], calls
    assert written[dest] == output_of("read"), calls
    assert not missing_inputs, missing_inputs


@pytest.mark.parametrize(
    ("task", "paths"),
    [
        ("Write 'x' to a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Write 'x' to a.txt, b.txt and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Write 'x' to a.txt and to b.txt", ["a.txt", "b.txt"]),
        ("Write 'x' to a.txt and 'y' to b.txt", ["a.txt", "b.txt"]),
    ],
)
async def test_places_listed_are_still_each_written(task: str, paths: list[str]) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert [args.get("path") for tool, args in calls if tool == "write_file"] == paths, calls
    assert not [c for c in calls if c[0] == "read_file"], calls
