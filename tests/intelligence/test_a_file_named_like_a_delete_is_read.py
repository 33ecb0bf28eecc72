"""attack273 (issue 11): "Summarize trash.txt" and "Copy trash.txt to out.txt" (media catalogue) planned no read:
the read added for the file is named after it ("trash.txt -> read_file (added: ...)"), and its name's first word was
read as a verb of taking away, so read_file was "unfit: does not delete files". A name is no verb."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "read"),
    [
        ("Summarize trash.txt", "trash.txt"),
        ("Copy trash.txt to out.txt", "trash.txt"),
        ("Translate remove.txt to French", "remove.txt"),
        ("Summarize delete_me.txt", "delete_me.txt"),
    ],
)
async def test_a_file_named_like_a_delete_is_read(task: str, read: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[0] == ("read_file", {"path": read}), calls
    assert not [c for c in calls if c[0] == "delete_file"], calls
    assert not asked, asked


async def test_a_delete_of_such_a_file_still_deletes_it() -> None:
    calls, asked, _ = await calls_asked_and_said("Delete trash.txt", MEDIA)
    assert calls == [("delete_file", {"path": "trash.txt"})] and not asked, (calls, asked)
