"""Meaning alone serves a sub-goal only when it is close: in a small catalogue the median tool is far
from everything, so standing well above it says little. A request no tool of the media catalogue does
is reported missing, not forced onto the nearest tool; paraphrases of what its tools do are served."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task", ["Send an email to bob@example.com.", "Remind me to call mum at six.", "Call a taxi to the station."]
)
def test_work_no_tool_does_is_missing_not_the_nearest_tool(task: str) -> None:
    # before: "send an email" went to the picture generator (cosine 0.22), "remind me" to sleep
    assert tools_chosen(task) == ["-"]


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("Condense 'The meeting moved to Friday because the room was taken'.", "summarize_text"),
        ("Make 'Hello there' audible.", "read_aloud"),
        ("Turn the recording talk.wav into words.", "transcribe_audio"),
        ("Paint me a sunset over the sea.", "text_to_image"),
    ],
)
def test_a_paraphrase_of_what_a_tool_does_is_still_served(task: str, tool: str) -> None:
    assert tools_chosen(task) == [tool]
