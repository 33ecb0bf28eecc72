"""plan200: "Send the summary of notes.txt to https://x" with the built-ins alone (no summariser) read notes.txt and
posted it whole: more than asked left the machine. A send of a thing made of a file (a summary, a translation, the
gist) that no step makes asks for its body, never the raw file; a catalogue that makes it plans it before the send."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

SENT = [
    "Send the summary of notes.txt to https://example.com/hook",
    "Post a translation of notes.txt to https://example.com/hook",
    "Upload the gist of notes.txt to http://example.com/up",
    "Post a short synopsis of notes.txt to http://example.com/up",
    "Send notes.txt's first line to http://example.com/up",
]


@pytest.mark.parametrize("task", SENT)
async def test_a_thing_no_step_makes_is_asked_never_the_file(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task)
    (post,) = [args for tool, args in calls if tool == "http_request"]
    assert "body" in " ".join(missing) and "${read." not in str(post), calls


@pytest.mark.parametrize("task", SENT[:2])
async def test_a_thing_a_step_makes_is_made_then_sent(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    tools = [tool for tool, _ in calls]
    assert not missing and tools[-1] == "http_request" and len(tools) == 3, calls
    assert "${read." not in str(calls[-1][1]), calls


@pytest.mark.parametrize("task", ["Write an outline of notes.txt to out.txt", "Write the gist of notes.txt to out.txt"])
async def test_a_thing_no_step_makes_is_never_written_as_the_file(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task)
    (write,) = [args for tool, args in calls if tool == "write_file"]
    assert "content" in " ".join(missing) and "${read." not in str(write), calls
