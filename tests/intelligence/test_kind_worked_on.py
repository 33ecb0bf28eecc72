"""The kind of data a sub-goal works on says which tools can take it, not which tool does the work (pass
19 of the offline planner): in "interpret the image photo.jpg" the word "image" is what the data is, and
data types already weigh it (``choice.fit``); counted as a word of the work too, it ranked a tool that
says "image" five times above the tools that interpret. It still counts where nothing else is
said ("process the image photo.jpg")."""

from __future__ import annotations

from pathlib import Path

from orchestra.analysis.clauses import clauses
from orchestra.analysis.data import extract
from orchestra.analysis.goals import Goal, goals_of, names_work
from orchestra.registry import ToolRegistry, default_registry
from tests.intelligence.reading import tools_chosen

# An image transformer that says "image" at every turn, a scene labeller, a summariser and a transcriber.
TOOLS = """\
version: 1
tools:
  - {name: image_to_image, kind: http, description: Turn an image into another image. Any image change or image enhancement is possible., input_types: [image], output_types: [image], method: POST, url: "https://k.example.com/i2i", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: label_scene, kind: http, description: Say what kind of scene a photo shows and interpret its mood., input_types: [image], output_types: [text], method: POST, url: "https://k.example.com/scene", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: summarize_text, kind: http, description: Summarize a text and interpret its main point., input_types: [text], output_types: [text], method: POST, url: "https://k.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: speech_to_text, kind: http, description: Turn speech in a recording into text to interpret it., input_types: [audio], output_types: [text], method: POST, url: "https://k.example.com/asr", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
"""


def registry(tmp_path: Path) -> ToolRegistry:
    tools = tmp_path / "kinds.yaml"
    tools.write_text(TOOLS)
    return default_registry([tools])


def goals(task: str, tools: ToolRegistry) -> list[Goal]:
    index = tools.index()
    extracted = extract(task)
    return goals_of(clauses(extracted.text, lambda word: names_work(word, index)), extracted, index)


def test_the_kind_a_clause_works_on_ranks_no_tool(tmp_path: Path) -> None:
    tools = registry(tmp_path)
    (goal,) = goals("Interpret the image photo.jpg for me.", tools)
    # before: the transformer came second, by "image" alone, ahead of every tool that interprets
    assert "image_to_image" not in [r.tool for r in goal.ranked]
    assert tools_chosen("Interpret the image photo.jpg for me.", tools) == ["label_scene"]


def test_the_kind_still_counts_when_nothing_else_is_said(tmp_path: Path) -> None:
    tools = registry(tmp_path)
    (goal,) = goals("Enhance the image photo.jpg.", tools)
    assert goal.ranked[0].tool == "image_to_image"
    # a verb that only says "do" and the kind are all it says: the kind is searched for
    (processed,) = goals("Process the image photo.jpg.", tools)
    assert "image_to_image" in [r.tool for r in processed.ranked]
