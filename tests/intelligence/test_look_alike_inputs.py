"""Look-alike tools told apart by what a step can be fed: the data it names and what the step before made.

Pass 11 (docs/planning-passes.md): a clause that refers back and names its own data ("adjust the photo
according to it") has both to work on, so a tool that takes the two fits better than one
that takes the photo alone; and a tool that takes a question or an instruction beside a picture gets
that text, in part, from the request's own words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from tests.intelligence.test_served_by_types import STUDIO

# Two tools that change a picture: one by a text instruction (takes text and an image), one that takes
# the picture alone; and a transcriber whose text the first can take.
EDITORS = """\
version: 1
tools:
  - {name: transcribe_recording, kind: http, description: Transcribe speech in a recording to text., input_types: [audio], output_types: [text], method: POST, url: "https://l.example.com/asr", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
  - {name: restyle_picture, kind: http, description: "Transform a picture into another picture: any adjustment, manipulation or enhancement.", input_types: [image], output_types: [image], method: POST, url: "https://l.example.com/i2i", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: edit_picture, kind: http, description: "Adjust a picture so that it matches a written instruction, such as a new colour for a wall.", input_types: [text, image], output_types: [image], method: POST, url: "https://l.example.com/edit", json: {image: "{{ image }}", instruction: "{{ instruction }}"}, inputs: {image: {type: string}, instruction: {type: string}}}
  - {name: summarize_text, kind: http, description: Produce a shorter version of a text., input_types: [text], output_types: [text], method: POST, url: "https://l.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


def test_a_clause_that_refers_back_and_names_its_data_has_both_to_work_on(tmp_path: Path):
    tools = tmp_path / "editors.yaml"
    tools.write_text(EDITORS)
    registry = default_registry([tools])
    task = "Transcribe my voice memo 'memo.wav', then adjust the picture 'room.jpg' according to it."
    steps = analyse_heuristic(task, registry).steps
    assert [s.candidates[0] for s in steps] == ["transcribe_recording", "edit_picture"]
    assert steps[1].depends_on == [steps[0].id]
    # with nothing before it to take a text from, the picture alone is what the step works on
    alone = analyse_heuristic("Adjust the picture 'room.jpg' to look brighter.", registry).steps
    assert [s.candidates[0] for s in alone] == ["restyle_picture"]


# A studio catalogue (big enough with the built-ins for meaning to rank every sub-goal) whose captioner's
# name names no kind of data, and a tool that answers a question about a scanned page.
ASK_A_PAGE = """  - {name: ask_a_document, kind: http, description: Answer a question about a scanned document page., input_types: [image, text], output_types: [text], method: POST, url: "https://s.example.com/dqa", json: {image: "{{ image }}", question: "{{ question }}"}, inputs: {image: {type: string}, question: {type: string}}}
"""


@pytest.mark.usefixtures("encoder_installed")
def test_a_tool_that_takes_a_question_beside_the_picture_is_fed_by_the_request(tmp_path: Path):
    tools = tmp_path / "studio.yaml"
    tools.write_text(STUDIO.replace("caption_picture", "write_caption") + ASK_A_PAGE)
    steps = analyse_heuristic("What does the scanned page 'memo.jpg' show?", default_registry([tools])).steps
    # the question is the request's own words: the page and the question both go to the answerer
    assert [s.candidates[0] for s in steps] == ["ask_a_document"]
