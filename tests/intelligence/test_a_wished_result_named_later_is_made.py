"""A wish for a result that a later clause names ("I'd love to have a short summary of it. Then translate this
summary") is a step, and the later clause works on it. The wish's tool took text the user had not given but the
translation made, so it was read as what the translation is for ("I'd like to hear how it sounds. Convert this text
into speech") and the summary was dropped unsaid: the caption was translated."""

from __future__ import annotations

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


def _steps(task: str) -> list[tuple[str, list[str]]]:
    steps = analyse_heuristic(task, default_registry([MEDIA])).steps
    return [(s.candidates[0] if s.candidates else "-", s.depends_on) for s in steps]


@pytest.mark.parametrize(
    "task",
    [
        "I have a picture photo.jpg of my desk. I'd love to have a short summary of it. "
        "Then translate this summary into French.",
        "I have a recording talk.wav. I'd love to have a brief summary of it. Then translate the summary into Spanish.",
    ],
)
def test_the_wished_summary_is_made_and_translated(task: str) -> None:
    steps = _steps(task)
    tools = [tool for tool, _ in steps]
    assert tools.count("summarize_text") == 1 and tools[-1] == "translate_text", steps
    summary = tools.index("summarize_text")
    assert summary < len(tools) - 1 and steps[-1][1], steps


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        # the wish is what the speech is for: "this text" is the user's, no result of the hearing
        ("I have a text 'hello world'. I'd like to hear how it sounds. Convert this text into speech.", ["read_aloud"]),
        # a later clause with a file of its own names what it works on, not the wish's result
        (
            "I have a picture photo.jpg. I'd like to hear how it sounds. Caption photo.jpg, then read the caption aloud.",
            ["caption_image", "read_aloud"],
        ),
    ],
)
def test_a_wish_only_for_what_comes_after_stays_no_step(task: str, tools: list[str]) -> None:
    assert [tool for tool, _ in _steps(task)] == tools
