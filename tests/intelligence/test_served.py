"""When the words say a tool serves a sub-goal: by what the tool says it does (its name, capabilities
and description), and for the sub-goal's verb. A parameter that mentions the verb (extract_text
returns a ``count`` of matches) or a match on the kind of data alone ("the words" are text) is no
reason to force a sub-goal onto a tool: it is reported as creation required with the nearest
tools, and the rest of the request is planned."""

from __future__ import annotations

from pathlib import Path

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

# A catalogue too small for the sentence encoder (words alone decide): a tool that archives photos
# and, on the way, can rotate them; nothing here rotates a photo on its own.
PHOTOS = """
version: 1
tools:
  - name: archive_photos
    kind: http
    description: Archive photos to cold storage.
    input_types: [image]
    output_types: [url]
    method: POST
    url: https://photos.example.com/archive
    json: {photo: "{{ photo }}", rotate: "{{ rotate }}"}
    inputs:
      photo: {type: string, description: the photo to archive}
      rotate: {type: number, description: degrees to rotate the photo by before it is archived}
  - name: caption_image
    kind: http
    description: Describe what an image shows in one sentence.
    input_types: [image]
    output_types: [text]
    method: POST
    url: https://photos.example.com/caption
    json: {image: "{{ image }}"}
    inputs:
      image: {type: string}
"""


async def test_a_verb_no_tool_does_is_missing_not_forced_onto_a_tool_for_its_object():
    result = await plan_task("download http://127.0.0.1:8000/a and count the words", default_registry())
    plan = result.execution.plan
    assert plan is not None and [(n.tool, n.args) for n in plan.nodes] == [
        ("http_request", {"url": "http://127.0.0.1:8000/a"})
    ]
    (missing,) = result.execution.missing
    assert "count the words" in missing and "creation required" in missing and "extract_text" in missing


async def test_a_verb_only_a_parameter_mentions_is_missing(tmp_path: Path):
    tools = tmp_path / "photos.yaml"
    tools.write_text(PHOTOS)
    registry = default_registry([tools])
    result = await plan_task("Caption photo.jpg, then rotate it by 90 degrees", registry)
    plan = result.execution.plan
    assert plan is not None and [n.tool for n in plan.nodes] == ["caption_image"]
    (missing,) = result.execution.missing
    assert "rotate it by 90 degrees" in missing and "nearest: archive_photos" in missing
    archived = await plan_task("Archive photo.jpg", registry)  # what the tool does is still found
    assert archived.execution.plan is not None and [n.tool for n in archived.execution.plan.nodes] == ["archive_photos"]


PICTURES = """
version: 1
tools:
  - {name: picture_maker, kind: http, description: Generate a picture based on a text prompt., input_types: [text],
     output_types: [image], method: POST, url: "https://p.example.com/t2i", json: {text: "{{ text }}"},
     inputs: {text: {type: string}}}
  - {name: caption_image, kind: http, description: Describe what an image shows in one sentence., input_types: [image],
     output_types: [text], method: POST, url: "https://p.example.com/cap", json: {image: "{{ image }}"},
     inputs: {image: {type: string}}}
"""


async def test_based_on_says_where_the_work_starts_not_which_tool(tmp_path: Path):
    tools = tmp_path / "pictures.yaml"
    tools.write_text(PICTURES)
    result = await plan_task(
        "Caption photo.jpg and draft a brief abstract based on the caption", default_registry([tools])
    )
    plan = result.execution.plan
    assert plan is not None and [n.tool for n in plan.nodes] == ["caption_image"]
    (missing,) = result.execution.missing
    assert "draft a brief abstract" in missing and "creation required" in missing
