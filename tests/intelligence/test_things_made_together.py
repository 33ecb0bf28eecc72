"""Several things named for one making verb: one thing of two parts ("a picture of a cat and a dog") is
one step whose prompt keeps its "and"; another thing named by its own kind ("... and a sound of rain") is
made too, by a tool that makes that kind from a description. A sound described by what it is to be is
no text to read aloud: a tool that only speaks does not make it. Requests written for these tests, with
the media catalogue (a sound tool added where one should make the sound)."""

from __future__ import annotations

from pathlib import Path

from orchestra.planning.models import PlanningResult
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen

SOUND = (
    "  - {name: make_sound, kind: http, description: Generate sound effects and ambient audio from a text"
    ' description., input_types: [text], output_types: [audio], method: POST, url: "https://m.example.com/sfx",'
    ' json: {prompt: "{{ prompt }}"}, inputs: {prompt: {type: string}}}\n'
)


async def _planned(task: str, tools: Path = MEDIA) -> PlanningResult:
    return await plan_task(task, default_registry([tools]))


async def _prompts(task: str, tools: Path = MEDIA) -> list[tuple[str, object]]:
    plan = (await _planned(task, tools)).execution.plan
    assert plan is not None
    return [(n.tool, n.args.get("text", n.args.get("prompt"))) for n in plan.nodes]


def _with_sound(tmp_path: Path) -> Path:
    tools = tmp_path / "media_and_sound.yaml"
    tools.write_text(MEDIA.read_text() + SOUND)
    return tools


async def test_one_thing_of_two_parts_keeps_its_and() -> None:
    # before: one picture prompted "a cat a dog"
    assert await _prompts("Generate a picture of a cat and a dog.") == [("text_to_image", "a cat and a dog")]


async def test_a_list_of_parts_keeps_its_commas() -> None:
    assert await _prompts("Draw me a picture of an owl, a fox and a hare.") == [
        ("text_to_image", "an owl, a fox and a hare")
    ]


async def test_a_second_thing_of_another_kind_is_made_by_its_own_tool(tmp_path: Path) -> None:
    # before: one picture prompted "a cat a sound of rain"; the sound was never made
    assert await _prompts("Generate a picture of a cat and a sound of rain.", _with_sound(tmp_path)) == [
        ("text_to_image", "a cat"),
        ("make_sound", "rain"),
    ]


async def test_things_named_one_after_another_are_each_made() -> None:
    assert await _prompts("Paint a picture of a cat, a picture of a dog and a picture of a bird.") == [
        ("text_to_image", "a cat"),
        ("text_to_image", "a dog"),
        ("text_to_image", "a bird"),
    ]


async def test_a_sound_no_tool_makes_is_missing_not_read_aloud() -> None:
    # the media catalogue's only sound tool speaks: it would have said the word "rain"
    result = await _planned("Generate a picture of a cat and a sound of rain.")
    plan = result.execution.plan
    assert plan is not None and [(n.tool, n.args["text"]) for n in plan.nodes] == [("text_to_image", "a cat")]
    (missing,) = result.execution.missing
    assert "sound of rain" in missing


def test_a_described_sound_alone_is_missing_and_words_to_say_are_still_spoken() -> None:
    assert tools_chosen("Compose a song about rain.") == ["-"]
    assert tools_chosen("Read 'hello there' aloud.") == ["read_aloud"]
    assert tools_chosen("Summarize notes.txt and generate an audio of the summary.")[-1] == "read_aloud"


def test_a_thing_no_tool_makes_is_listed_missing_and_the_rest_planned() -> None:
    assert tools_chosen("Could you create a picture of a castle and a video of a dragon?") == ["text_to_image", "-"]


async def test_other_work_named_by_its_noun_is_done_on_its_own_data() -> None:
    # before: one picture prompted "hello"; nothing was translated (and the caption of photo.jpg was lost)
    assert await _prompts("Generate a picture of a cat and a translation of 'hello'.") == [
        ("text_to_image", "a cat"),
        ("translate_text", "hello"),
    ]
    assert tools_chosen("Give me a caption of photo.jpg and a transcription of talk.wav") == [
        "caption_image",
        "transcribe_audio",
    ]
    # a thing that is no work's, or not done on data, is part of the picture
    assert await _prompts("Draw a picture of a cat and a collection of toys.") == [
        ("text_to_image", "a cat and a collection of toys")
    ]
