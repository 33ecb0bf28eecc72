"""Making more of a text ("elaborate on it", "draw out more content", "generate more text about it") is making new
text: a generator whose description shares none of those words was not found, and the request had no plan; "more
text" went to the summariser, whose work is the opposite. Where no tool makes more text the step is missing, never
a summary. Requests and catalogue written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import tools_chosen

WRITING = Path(__file__).with_name("writing_tools.yaml")


@pytest.mark.parametrize(
    "task",
    [
        "Elaborate on notes.txt.",
        "Draw out more content from notes.txt.",
        "Generate more text about notes.txt.",
        "Expand notes.txt into a longer article.",
        "Shorten notes.txt, then write more details about the result.",
    ],
)
def test_more_of_a_text_goes_to_a_generator(task: str) -> None:
    assert tools_chosen(task, WRITING)[-1] == "write_text"


@pytest.mark.parametrize("task", ["Generate more text about notes.txt.", "Elaborate on notes.txt."])
def test_no_generator_leaves_the_step_missing(task: str) -> None:
    assert "summarize_text" not in tools_chosen(task)  # the media catalogue: a summariser, no generator
