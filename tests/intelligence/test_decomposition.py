"""Which sub-goals a request has: steps it implies in other words than a tool's (pass 8 of the offline
planner), each checked against a small media catalogue written for the tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from orchestra.analysis import analyse_heuristic
from orchestra.registry import ToolRegistry, default_registry
from tests.intelligence.reading import MEDIA, clauses_read, tools_chosen
from tests.intelligence.test_look_alike_tools import TALK  # a summariser and a chat tool


def _without(tmp_path: Path, *names: str) -> ToolRegistry:
    document = yaml.safe_load(MEDIA.read_text())
    document["tools"] = [t for t in document["tools"] if t["name"] not in names]
    tools = tmp_path / "fewer.yaml"
    tools.write_text(yaml.safe_dump(document))
    return default_registry([tools])


def test_a_sound_asked_for_in_a_language_translates_the_words_first(tmp_path: Path):
    task = "Transcribe meeting.wav, summarize it and then read the summary aloud in French."
    assert tools_chosen(task) == ["transcribe_audio", "summarize_text", "translate_text", "read_aloud"]
    # the language of the data is not a translation to make
    assert "translate_text" not in tools_chosen(
        "I wrote a story in notes.txt. Turn the story in English into a picture."
    )
    # with no translator the request is served as far as it can be: nothing is reported missing
    assert tools_chosen(task, _without(tmp_path, "translate_text")) == [
        "transcribe_audio",
        "summarize_text",
        "read_aloud",
    ]


def test_wouldnt_it_be_nice_to_and_a_wish_sharing_its_subject_are_requests():
    assert clauses_read("Wouldn't it be nice to crop the photo? It would be great if you could sharpen it too.") == [
        ("crop the photo", True),
        ("sharpen it too", True),
    ]
    assert clauses_read("I'm learning German and would love to translate a short poem.") == [
        ("I'm learning German", False),
        ("translate a short poem", True),
    ]


def test_an_everyday_word_for_a_summary_asks_for_a_summary():
    text = "'The council voted on Monday to close the old bridge for repairs until next spring.'"
    assert tools_chosen(f"Give me a quick rundown of this news: {text}") == ["summarize_text"]
    assert tools_chosen(f"Distill the essence of {text} and read it aloud.") == ["summarize_text", "read_aloud"]


def test_the_original_image_is_the_users_not_what_an_earlier_step_made_of_it():
    registry = default_registry([MEDIA])
    task = "Edit beach.jpg so that the sky is pink, then detect the objects in the original photo."
    edit, detect = analyse_heuristic(task, registry).steps
    assert (edit.candidates[0], detect.candidates[0]) == ("edit_image", "detect_objects")
    assert [d.value for d in detect.data] == ["beach.jpg"]  # "then" still orders it after the edit
    # without "original", the edited picture is what is worked on
    _, detect = analyse_heuristic(task.replace("original ", ""), registry).steps
    assert (detect.depends_on, detect.data) == ([edit.id], [])


def test_the_last_noun_of_a_compound_says_what_kind_is_made():
    # "a story image" is an image (of a story), "an image caption" a text (about an image)
    assert tools_chosen("Transcribe talk.wav, then use the transcript to create a story image.") == [
        "transcribe_audio",
        "text_to_image",
    ]
    assert tools_chosen("Create an image caption for beach.jpg.") == ["caption_image"]
    # a word for any medium ("clip") and an adjective ("spoken") leave it to the word before
    assert tools_chosen("Turn 'Good morning, everyone' into an audio clip.") == ["read_aloud"]


def test_a_request_in_the_passive_asked_as_a_question_is_a_request():
    assert clauses_read("Afterwards, can the recording be cleaned and transcribed?") == [
        ("clean the recording", True),
        ("transcribe it", True),
    ]
    assert clauses_read("Can the talk be short and summarized?") == [("summarize the talk", True)]
    assert clauses_read("Can this text be translated into French?") == [("translate this text into French", True)]


def test_the_object_of_a_verb_a_tool_is_named_after_is_what_it_works_on(tmp_path: Path):
    tools = tmp_path / "talk.yaml"
    tools.write_text(TALK)
    registry = default_registry([tools])
    assert tools_chosen("Summarize the conversation 'A: hi. B: how was the trip? A: long but fine.'", registry) == [
        "summarization"
    ]
    assert tools_chosen("Chat with me about 'the weather in Oslo', then summarize the conversation.", registry) == [
        "conversational",
        "summarization",
    ]
