"""plan211: with the built-ins alone, "list the files and append them to files.txt" found no tool: write_file says
"append" only in its ``mode`` (its description's "append is not idempotent" is no work it says), while with more tools
the meaning found it. A writer told by its mode to append does an append, in append mode."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "written"),
    [
        ("list the files and append them to files.txt", {"json": "${list.output.entries}"}),
        ("Read a.txt and append it to b.txt", {"content": "${read.output.content}"}),
        ("append 'hello' to notes.txt", {"content": "hello"}),
    ],
)
async def test_an_append_by_a_writers_mode(task: str, written: dict[str, object]) -> None:
    calls, asked, _ = await calls_asked_and_said(task)
    tool, args = calls[-1]
    assert tool == "write_file", calls
    assert args.get("mode") == "append", calls
    assert {k: v for k, v in args.items() if k in ("json", "content")} == written, calls
    assert not asked, asked
