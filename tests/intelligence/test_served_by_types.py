"""A plain paraphrase is served when data types and meaning agree: "read the list aloud" shares no
specific word with a tool that synthesizes speech, and its meaning stands only a little above the
other tools', but the step asks for audio ("aloud"), the step before makes text, and of the tools
that take text and make audio one stands clearly above the rest. Where two tools fit the types
alike and meaning cannot tell them apart, or no tool fits, the step is still reported missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import ToolRegistry, default_registry

# The rule needs meaning beside the types: without the encoder a paraphrase stays missing.
pytestmark = pytest.mark.usefixtures("encoder_installed")

# A studio catalogue written for this test: with the built-ins, big enough (20 tools or more) for
# meaning to rank every sub-goal. No tool's words hold "read", "list" or "aloud".
STUDIO = """
version: 1
tools:
  - {name: speech_synthesis, kind: http, description: Synthesize natural sounding speech from written words., input_types: [text], output_types: [audio], method: POST, url: "https://s.example.com/tts", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: speech_recognition, kind: http, description: Turn the speech in a recording into written words., input_types: [audio], output_types: [text], method: POST, url: "https://s.example.com/asr", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
  - {name: shorten_document, kind: http, description: Produce a shorter version of a document that keeps its key points., input_types: [text], output_types: [text], method: POST, url: "https://s.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: translate_text, kind: http, description: Translate text from one language to another., input_types: [text], output_types: [text], method: POST, url: "https://s.example.com/tr", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: caption_picture, kind: http, description: Write one sentence saying what a picture shows., input_types: [image], output_types: [text], method: POST, url: "https://s.example.com/cap", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: find_objects, kind: http, description: Find and label the objects in a picture with boxes., input_types: [image], output_types: [text], method: POST, url: "https://s.example.com/od", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: paint_from_prompt, kind: http, description: Paint a picture from a text prompt., input_types: [text], output_types: [image], method: POST, url: "https://s.example.com/t2i", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: restyle_picture, kind: http, description: Change a picture as an instruction says., input_types: [image, text], output_types: [image], method: POST, url: "https://s.example.com/edit", json: {image: "{{ image }}", instruction: "{{ instruction }}"}, inputs: {image: {type: string}, instruction: {type: string}}}
  - {name: remove_noise, kind: http, description: Remove background noise from a recording., input_types: [audio], output_types: [audio], method: POST, url: "https://s.example.com/dn", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
  - {name: mood_of_text, kind: http, description: Tell whether a text is positive or negative., input_types: [text], output_types: [text], method: POST, url: "https://s.example.com/sent", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: answer_from_context, kind: http, description: Answer a question from a given context text., input_types: [text, text], output_types: [text], method: POST, url: "https://s.example.com/qa", json: {q: "{{ q }}", context: "{{ context }}"}, inputs: {q: {type: string}, context: {type: string}}}
  - {name: compare_sentences, kind: http, description: Score how similar two sentences are in meaning., input_types: [text, text], output_types: [text], method: POST, url: "https://s.example.com/sim", json: {a: "{{ a }}", b: "{{ b }}"}, inputs: {a: {type: string}, b: {type: string}}}
  - {name: clip_from_prompt, kind: http, description: Make a short film clip from a text prompt., input_types: [text], output_types: [video], method: POST, url: "https://s.example.com/t2v", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""
# A second tool that takes text and makes audio: by types it fits "read it aloud" as well.
MELODY = """  - {name: music_from_prompt, kind: http, description: Compose a melody from a text prompt., input_types: [text], output_types: [audio], method: POST, url: "https://s.example.com/mus", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}"""


def _registry(tmp_path: Path, text: str) -> ToolRegistry:
    tools = tmp_path / "studio.yaml"
    tools.write_text(text)
    return default_registry([tools])


async def test_a_paraphrase_is_served_by_the_one_tool_types_and_meaning_agree_on(tmp_path: Path):
    registry = _registry(tmp_path, STUDIO)
    result = await plan_task("Find the objects in beach.jpg and read the list aloud", registry)
    plan = result.execution.plan
    assert result.execution.missing == []
    assert plan is not None and [n.tool for n in plan.nodes] == ["find_objects", "speech_synthesis"]
    found, spoken = plan.nodes
    assert found.args == {"image": "beach.jpg"} and spoken.args["text"].startswith(f"${{{found.id}.output")


async def test_a_clause_no_tool_fits_is_still_missing_beside_a_served_paraphrase(tmp_path: Path):
    registry = _registry(tmp_path, STUDIO)
    task = "Find the objects in beach.jpg, read the list aloud and then book a flight to Paris"
    result = await plan_task(task, registry)
    plan = result.execution.plan
    assert plan is not None and [n.tool for n in plan.nodes] == ["find_objects", "speech_synthesis"]
    (missing,) = result.execution.missing
    assert "book a flight to Paris" in missing and "creation required" in missing


async def test_two_tools_that_fit_the_types_alike_leave_a_paraphrase_missing(tmp_path: Path):
    registry = _registry(tmp_path, STUDIO + MELODY + "\n")
    result = await plan_task("Find the objects in beach.jpg and read the list aloud", registry)
    plan = result.execution.plan
    assert plan is not None and [n.tool for n in plan.nodes] == ["find_objects"]
    (missing,) = result.execution.missing
    assert "read the list aloud" in missing and "creation required" in missing
