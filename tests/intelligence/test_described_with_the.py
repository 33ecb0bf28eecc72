"""What a making verb is to make, described with "the" (pass 53): "a picture of the sea" describes
something new, "a picture of the summary" names an earlier result. The prompt, the kind asked for and
the sound asked for are told by one rule (``own_words.named_anew``). Requests and the studio catalogue
are written for these tests; the media catalogue is the shared one."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA

STUDIO = """
version: 1
tools:
  - {name: shorten_document, kind: http, description: Produce a shorter version of a document that keeps its key points., input_types: [text], output_types: [text], method: POST, url: "https://s.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: paint_from_prompt, kind: http, description: Paint a picture from a text prompt., input_types: [text], output_types: [image], method: POST, url: "https://s.example.com/t2i", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: speech_synthesis, kind: http, description: Synthesize natural sounding speech from written words., input_types: [text], output_types: [audio], method: POST, url: "https://s.example.com/tts", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: compose_music, kind: http, description: Compose a piece of music from a description of its mood and subject., input_types: [text], output_types: [audio], method: POST, url: "https://s.example.com/music", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


async def _args(task: str, tools: Path) -> list[tuple[str, dict[str, object]]]:
    result = await plan_task(task, default_registry([tools]))
    plan = result.execution.plan
    assert plan is not None and not result.execution.missing, task
    assert plan.inputs == {}, f"{task}: the user is asked again for what they described"
    return [(n.tool, n.args) for n in plan.nodes]


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    tools = tmp_path / "studio.yaml"
    tools.write_text(STUDIO)
    return tools


@pytest.mark.parametrize("described", ["the sea", "the meeting of two cats"])
async def test_a_picture_described_with_the_is_drawn_from_its_words(described: str) -> None:
    # before: the prompt was a plan input (a description opening with "the" was read as something known)
    assert await _args(f"Generate a picture of {described}", MEDIA) == [("text_to_image", {"text": described})]


async def test_a_picture_of_the_sea_after_other_work_is_not_made_of_that_work(studio: Path) -> None:
    # before: the shortened notes were painted
    *_, painted = await _args("Shorten notes.txt, then paint a picture of the sea", studio)
    assert painted == ("paint_from_prompt", {"text": "the sea"})


@pytest.mark.parametrize("what", ["of the summary", "about the summary"])
async def test_a_noun_of_work_after_the_names_the_earlier_result(studio: Path, what: str) -> None:
    # "summary" is no word of shorten_document's name: the noun of work says it is a result all the same
    *_, painted = await _args(f"Shorten notes.txt, then paint a picture {what}", studio)
    assert painted == ("paint_from_prompt", {"text": "${shorten.output.text}"})


async def test_a_song_described_with_the_is_composed_not_spoken(studio: Path) -> None:
    # before: the composer's text was a plan input, and after other work the shortened notes
    assert await _args("Compose a song about the sea", studio) == [("compose_music", {"text": "the sea"})]
    *_, composed = await _args("Shorten notes.txt, then compose a song about the meeting of two cats", studio)
    assert composed == ("compose_music", {"text": "the meeting of two cats"})
    *_, composed = await _args("Shorten notes.txt, then compose a song about the summary", studio)
    assert composed == ("compose_music", {"text": "${shorten.output.text}"})


async def test_a_film_of_the_sea_is_not_drawn_as_a_picture() -> None:
    # before: "a video of the sea" was read as something known, so the picture generator was asked for it
    result = await plan_task("Generate a video of the sea", default_registry([MEDIA]))
    assert result.execution.missing and "text_to_image" not in {
        n.tool for n in (result.execution.plan.nodes if result.execution.plan else [])
    }
