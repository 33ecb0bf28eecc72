"""plan204: "list the files and write them to files.txt" was refused: the listing, a list, was bound to
write_file's text content ("${list.output.entries} gives a list"). A list or an object made is written as
JSON, as a send of it posts it as JSON; a text made is still written as text."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "list the files and write them to files.txt",
        "List the files, then save the listing to files.txt",
        "list the files and write the list to out.log",
    ],
)
async def test_a_listing_written_is_written_as_json(task: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert [tool for tool, _ in calls] == ["list_files", "write_file"], calls
    assert calls[1][1].get("json") == "${list.output.entries}", calls
    assert "content" not in calls[1][1], calls
    assert not asked, asked


async def test_a_text_made_is_still_written_as_text() -> None:
    calls, _, _ = await calls_asked_and_said("read a.txt and write it to b.txt", MEDIA)
    assert calls[-1] == ("write_file", {"path": "b.txt", "content": "${read.output.content}"}), calls
