"""A write sent "to each of" its places writes each (attack147): "Summarize notes.txt and write it to each of a.txt
and b.txt" read a.txt and b.txt, wrote them beside the summary, and asked where (a.txt taken as the source
written over); "to a.txt and b.txt" wrote each."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize("each", ["each of", "both of", "all of"])
async def test_each_place_is_written(each: str) -> None:
    calls, missing, _ = await calls_asked_and_said(f"Write 'hi' to {each} a.txt and b.txt", MEDIA)
    assert calls == [("write_file", {"path": p, "content": "hi"}) for p in ("a.txt", "b.txt")] and not missing


async def test_a_result_written_to_each_of_its_places() -> None:
    calls, missing, _ = await calls_asked_and_said(
        "Summarize notes.txt and write it to each of a.txt, b.txt and c.txt", MEDIA
    )
    writes = [args for tool, args in calls if tool == "write_file"]
    assert writes == [{"path": p, "content": "${summarize.output.text}"} for p in ("a.txt", "b.txt", "c.txt")]
    assert [t for t, _ in calls].count("read_file") == 1 and not missing
