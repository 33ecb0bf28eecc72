"""A clause that refers back and names the work of the step before says which tool that step is.

Pass 13 (docs/planning-passes.md): "analyse the picture, then translate its classification" — the first
clause alone is any tool that looks at a picture; "its classification" names the classifier.
"""

from __future__ import annotations

from pathlib import Path

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry

# Two tools that look at a picture and make text, one named for the work the later clause names, and a
# translator.
LOOKERS = """\
version: 1
tools:
  - {name: analyze_picture, kind: http, description: Analyze a picture and describe it in words., input_types: [image], output_types: [text], method: POST, url: "https://l.example.com/cap", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: picture_classification, kind: http, description: Analyze a picture and assign it to one of a set of categories., input_types: [image], output_types: [text], method: POST, url: "https://l.example.com/cls", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: translate_text, kind: http, description: Translate a text into another language., input_types: [text], output_types: [text], method: POST, url: "https://l.example.com/tr", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


def test_a_clause_naming_the_work_before_it_picks_that_steps_tool(tmp_path: Path) -> None:
    tools = tmp_path / "lookers.yaml"
    tools.write_text(LOOKERS)
    registry = default_registry([tools])
    task = "Analyze the picture 'pet.jpg', then translate its classification into Spanish."
    steps = analyse_heuristic(task, registry).steps
    assert [s.candidates[0] for s in steps] == ["picture_classification", "translate_text"]
    assert steps[1].depends_on == [steps[0].id]
    # naming no work of the step before, the clause leaves it to its own words
    plain = analyse_heuristic("Analyze the picture 'pet.jpg', then translate it into Spanish.", registry).steps
    assert [s.candidates[0] for s in plain] == ["analyze_picture", "translate_text"]


# Six tools that analyze an image rank above the classifier for "analyze this image" (BM25 favours their
# short descriptions); the later clause names the classifier's work (pass 22).
def _tool(name: str, description: str, made: str) -> str:
    return (
        f'  - {{name: {name}, kind: http, description: "{description}", input_types: [image], output_types: [{made}], '
        f'method: POST, url: "https://l.example.com/{name}", json: {{image: "{{{{ image }}}}"}}, '
        "inputs: {image: {type: string}}}\n"
    )


CROWDED = (
    "version: 1\ntools:\n"
    + "".join(
        _tool(f"image_{what}", f"Analyze an image for {what}.", made)
        for what, made in [
            ("faces", "json"),
            ("colours", "json"),
            ("blur", "json"),
            ("depth", "image"),
            ("layout", "json"),
        ]
    )
    + _tool("image_text", "Analyze an image and describe it in a sentence.", "text")
    + _tool(
        "image_classification",
        "Analyze an image and assign it one label from a fixed set of classes, with a score for each class it knows.",
        "text",
    )
    + LOOKERS.splitlines(keepends=True)[-1]
)


def test_the_tool_the_next_clause_names_is_an_option_however_many_rank_above_it(tmp_path: Path) -> None:
    tools = tmp_path / "crowded.yaml"
    tools.write_text(CROWDED)
    registry = default_registry([tools])
    task = "Analyze this image 'pet.jpg' and translate its classification into Spanish."
    steps = analyse_heuristic(task, registry).steps
    # before: the joint choice looked at the six best tools for the first clause only, so the
    # classifier, seventh, could not be chosen however clearly the next clause named it
    assert [s.candidates[0] for s in steps] == ["image_classification", "translate_text"]
