"""What work makes of a file, put or stored "in" files ("Store the summary of x.txt in a.txt and b.txt", "Put the
summary of x.txt in a.txt"), is written to each: "in" said a place for the first file only, so b.txt was read and
written into a.txt beside the summary, and "put" before a made thing found no writer (a similarity tool compared the
summary with a.txt). Each file named is written the made thing; what a file holds, or a place it is no part of,
is read as before."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

_SUMMARY = "${summarize.output.text}"


@pytest.mark.parametrize(
    ("task", "places"),
    [
        ("Store the summary of x.txt in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Put the summary of x.txt in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Put the summary of x.txt in a.txt", ["a.txt"]),
        ("Put the summary of x.txt into a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Save the summary of x.txt in a.txt, b.txt and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Write the summary of the file x.txt to a.txt", ["a.txt"]),
        ("Put the summary of x.txt in a.txt, b.txt and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Store the summary of x.txt in a.txt, b.txt, and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Write the summary of x.txt in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Summarize x.txt and put the summary in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Place the summary of x.txt in a.txt", ["a.txt"]),
        ("Store the summary of the file x.txt in a.txt and b.txt", ["a.txt", "b.txt"]),
    ],
)
async def test_work_put_in_files_is_written_to_each(task: str, places: list[str]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert [t for t, _ in calls] == ["read_file", "summarize_text", *["write_file"] * len(places)], calls
    assert calls[0][1] == {"path": "x.txt"}, calls
    writes = [args for tool, args in calls if tool == "write_file"]
    assert writes == [{"path": p, "content": _SUMMARY} for p in places], writes
    assert not missing, missing


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Summarize a.txt and b.txt", ["read_file", "read_file", "summarize_text", "summarize_text"]),
        ("Put hello in a.txt and b.txt", ["write_file", "write_file"]),
        ("Put hello in a.txt", ["write_file"]),
        ("Store the summary of x.txt in a.txt", ["read_file", "summarize_text", "write_file"]),
        ("Summarize the text in a.txt", ["read_file", "summarize_text"]),
        ("Write the summary of x.txt to a.txt", ["read_file", "summarize_text", "write_file"]),
        ("Save the summary of x.txt to a.txt and b.txt", ["read_file", "summarize_text", "write_file", "write_file"]),
        ("Translate the text in a.txt into French", ["read_file", "translate_text"]),
        ("Caption p.jpg and store the caption in a.txt", ["caption_image", "write_file"]),
        ("Write 'hi' to each of a.txt and b.txt", ["write_file", "write_file"]),
    ],
)
async def test_other_work_keeps_its_plan(task: str, tools: list[str]) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert sorted(t for t, _ in calls) == sorted(tools), calls
