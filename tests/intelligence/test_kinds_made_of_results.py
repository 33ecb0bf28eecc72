"""The kind of media a making verb names is made even of an earlier result: "make a video of the translation"
was drawn by the picture generator (a tool that makes no video), and "... then make a video of the summary"
was dropped as the summariser's work again, with no word of what was missing. A tool that makes the kind
makes it; with none, the step is missing. Requests written for these tests, the media catalogue with and
without a video maker."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen

VIDEO_MAKER = """tools:
  - {name: text_to_video, kind: http, description: Generate a short video clip from a text prompt., input_types: [text], output_types: [video], method: POST, url: "https://m.example.com/t2v", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Translate 'hello' into French and make a video of the translation", ["translate_text", "-"]),
        ("Summarize 'a long story about a cat', then make a video of the summary", ["summarize_text", "-"]),
        (
            "Summarize 'a long story about a cat', then make a picture of the summary",
            ["summarize_text", "text_to_image"],
        ),
    ],
)
def test_a_kind_named_is_made_or_missing(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


def test_a_tool_that_makes_the_kind_makes_it(tmp_path: Path) -> None:
    extra = tmp_path / "video.yaml"
    extra.write_text(VIDEO_MAKER)
    registry = default_registry([MEDIA, extra])
    chosen = tools_chosen("Translate 'hello' into French and make a video of the translation", registry)
    assert chosen == ["translate_text", "text_to_video"]


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        # "clip" is a video, but "an audio clip" is audio: the kind rule gave the summary's clip to a video maker
        (
            "Summarize 'a long story about a cat', then make an audio clip of the summary",
            ["summarize_text", "read_aloud"],
        ),
        # a sound described by what it is to be is no speech, with "clip" after the kind as without it
        ("generate an audio clip of a dog barking", ["-"]),
    ],
)
def test_an_audio_clip_is_audio(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools
