"""A tool that writes its result itself (an input named for where: ``output_path``) is told the place the request
names, and each of its calls a place of its own: "Resize photo.jpg to small.jpg" resized small.jpg too, as a second
image, both calls writing to one place asked for; "Resize photo.jpg and a.jpg" asked one place for both calls, the
second written over the first. Requests and the catalogue written for these tests."""

from __future__ import annotations

from pathlib import Path

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

RESIZER = """version: 1
tools:
  - {name: resize_image, kind: http, description: Resize an image and save the result to a file.,
     input_types: [image], output_types: [path], method: POST, url: "https://m.example.com/rs",
     json: {image: "{{ image }}", output_path: "{{ output_path }}"},
     inputs: {image: {type: string}, output_path: {type: string}}}
"""


async def _resized(tmp_path: Path, task: str) -> tuple[list[dict[str, object]], list[str]]:
    catalogue = tmp_path / "resizer.yaml"
    catalogue.write_text(RESIZER)
    execution = (await plan_task(task, default_registry([catalogue]))).execution
    assert execution.plan is not None, execution.problems
    return [n.args for n in execution.plan.nodes if n.tool == "resize_image"], execution.missing_inputs


async def test_the_place_named_is_where_the_tool_writes(tmp_path: Path) -> None:
    calls, asked = await _resized(tmp_path, "Resize photo.jpg to small.jpg")
    assert calls == [{"image": "photo.jpg", "output_path": "small.jpg"}]
    assert asked == []


async def test_each_call_is_asked_a_place_of_its_own(tmp_path: Path) -> None:
    for task in ("Resize photo.jpg and a.jpg", "Resize photo.jpg and a.jpg to small.jpg"):
        calls, asked = await _resized(tmp_path, task)
        places = [c["output_path"] for c in calls]
        assert [c["image"] for c in calls] == ["photo.jpg", "a.jpg"]
        assert len(set(places)) == 2, places  # never one file written by both
        assert all(str(p).startswith("${inputs.") for p in places)
        assert len(asked) == 2
