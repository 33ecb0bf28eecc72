"""Work asked in words the lead-ins did not read: "I wonder if I can get a caption of it" (a wish to receive,
asked indirectly, as "Can I get a caption of it?" is asked directly) and "I'd like a summary about it" (the noun of
the work, then what it is about) were told of, not asked: "no action found", or the step lost beside other work."""

from __future__ import annotations

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.models import TaskAnalysisError
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


def _tools(task: str) -> list[str]:
    return [s.candidates[0] if s.candidates else "-" for s in analyse_heuristic(task, default_registry([MEDIA])).steps]


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("I have photo.jpg. I wonder if I can get a caption of it.", ["caption_image"]),
        ("I have photo.jpg. I was wondering if I could get a caption of it.", ["caption_image"]),
        ("I have a recording talk.wav. We were wondering whether we could have a transcript of it.",
         ["transcribe_audio"]),
        ("I wonder if I can get notes.txt translated into French.", ["read_file", "translate_text"]),
        ("I have notes.txt. I wonder if I can get an audio version of this text.", ["read_file", "read_aloud"]),
    ],
)  # fmt: skip
def test_wondering_whether_one_can_get_a_thing_asks_for_it(task: str, tools: list[str]) -> None:
    assert _tools(task) == tools


def test_wondering_whether_one_may_do_work_asks_leave() -> None:
    with pytest.raises(TaskAnalysisError, match="no action found"):
        _tools("I wonder if I can delete notes.txt.")


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("I have notes.txt. I'd like a summary about it.", ["read_file", "summarize_text"]),
        ("I need an overview on notes.txt.", ["read_file", "summarize_text"]),
        (
            "I'd love a short summary about notes.txt, then translate the summary into French.",
            ["read_file", "summarize_text", "translate_text"],
        ),
    ],
)
def test_a_wish_for_work_about_a_thing_asks_for_it(task: str, tools: list[str]) -> None:
    assert _tools(task) == tools
