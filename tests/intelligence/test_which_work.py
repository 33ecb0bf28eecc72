"""Which tool serves a sub-goal, and what it works on (pass 31 of the offline planner): the noun a
verb asks for names the work, a making verb whose object the clause describes makes something new,
and data named for a later clause is not an earlier clause's. Checked against the media catalogue
written for the tests, with a chat tool and a table classifier added (23 tools, so the sentence
encoder ranks beside the words)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import ToolRegistry, default_registry
from tests.intelligence.reading import MEDIA, tools_chosen

MORE = """\
  - {name: conversational, kind: http, description: "Generate a reply in a chat, as a conversation goes on.", input_types: [text], output_types: [text], method: POST, url: "https://m.example.com/chat", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: tabular_classification, kind: http, description: Classify a table given as an image., input_types: [image], output_types: [text], method: POST, url: "https://m.example.com/tc", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
"""


@pytest.fixture
def registry(tmp_path: Path) -> ToolRegistry:
    tools = tmp_path / "more_media.yaml"
    tools.write_text(MEDIA.read_text() + MORE)
    return default_registry([tools])


def test_the_noun_a_verb_asks_for_names_the_work(registry: ToolRegistry) -> None:
    # before: "conversation" drew the chat tool by meaning ("provide" says only "give")
    assert tools_chosen("Could you provide a summary of the conversation?", registry) == ["summarize_text"]
    assert tools_chosen("Give me a summary of the conversation: 'A: hi. B: hello, how are you?'", registry) == [
        "summarize_text"
    ]
    # what is done to the conversation itself is still the chat tool's
    assert tools_chosen("Please continue the conversation: 'A: hi. B: hello, how are you?'", registry) == [
        "conversational"
    ]


async def _nodes(task: str, registry: ToolRegistry) -> list[dict[str, object]]:
    result = json.loads((await plan_task(task, registry)).model_dump_json())
    nodes: list[dict[str, object]] = result["execution"]["plan"]["nodes"]
    return nodes


async def test_a_making_verb_whose_object_is_described_makes_something_new(registry: ToolRegistry) -> None:
    # before: after "save it as cat.png" the dog was an edit of the cat picture
    nodes = await _nodes(
        "Generate a picture of a cat and save it as cat.png. Then generate a picture of a dog.", registry
    )
    assert [(n["tool"], n["args"]) for n in nodes] == [
        ("text_to_image", {"text": "a cat"}),
        ("text_to_image", {"text": "a dog"}),
    ]
    # an edit asked for in so many words is still an edit of what was made
    edit = await _nodes("Generate a picture of a cat, then edit it into a picture of a dog.", registry)
    assert [n["tool"] for n in edit] == ["text_to_image", "edit_image"]


async def test_data_named_for_a_later_clause_is_not_an_earlier_clauses(registry: ToolRegistry) -> None:
    # before: the photo named for the detection was offered to the picture step, which became an edit
    nodes = await _nodes("Generate a picture of a fox. Then detect the objects in photo.jpg.", registry)
    assert [(n["tool"], n["args"]) for n in nodes] == [
        ("text_to_image", {"text": "a fox"}),
        ("detect_objects", {"image": "photo.jpg"}),
    ]
    # data given in a sentence of its own is still there for the clause before it
    assert tools_chosen("Label the objects in the following picture. cat.jpg", registry) == ["detect_objects"]
