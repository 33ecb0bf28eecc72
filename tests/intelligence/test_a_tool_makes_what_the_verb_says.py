"""A step's verb may say what it makes: a conversion its target format ("to pdf"), "aloud" a sound, "OCR" the text
shown in a picture. A tool found by a shared verb that says it makes something else does not do the step; with
none agreeing the step is missing and the plan asks. "Convert notes.txt to pdf" (third_party) went to
convert_currency, "Convert talk.wav to mp3" to an image resizer run on the sound, "OCR scan.png" (media) to an
object detector, "read it aloud" (no tool speaks) to a word counter whose count was written into out.wav, and
"Remove the duplicates" (media) to a denoiser that asked for audio nobody named, and "Convert photo.jpg to png"
(media) to an image editor: given a picture, a tool that does not say it changes formats only changes what it shows. What a tool does make stays
done, and a verb saying none of these (a send, a revert) is left as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
FORMATS = Path(__file__).with_name("format_tools.yaml")  # an image editor beside a converter of formats


async def _tools_and_missing(task: str, catalogue: Path) -> tuple[list[str], list[str], list[str]]:
    """The tool of each call, the missing steps and the inputs asked for, as `client.py plan` makes them."""
    result = await plan_task(task, as_the_cli_plans(catalogue))
    plan = result.execution.plan
    tools = [n.tool for n in plan.nodes] if plan is not None else []
    return tools, result.execution.missing, result.execution.missing_inputs


@pytest.mark.parametrize(
    ("task", "catalogue"),
    [
        ("Convert notes.txt to pdf", THIRD_PARTY),
        ("Convert clip.mp4 to gif", THIRD_PARTY),
        ("Convert talk.wav to mp3", THIRD_PARTY),
        ("Turn report.docx into a pdf file", THIRD_PARTY),
        ("OCR scan.png", MEDIA),
        ("Remove the duplicates", MEDIA),
        ("Read notes.txt aloud", THIRD_PARTY),
        ("Convert photo.jpg to png", MEDIA),
        ("Export scan.png as jpg", MEDIA),
        ("Change the picture photo.jpg into a gif file", MEDIA),
    ],
)
async def test_a_tool_making_something_else_leaves_the_step_missing(task: str, catalogue: Path) -> None:
    tools, missing, asked = await _tools_and_missing(task, catalogue)
    assert not tools, (tools, asked)
    assert missing, tools


async def test_an_ocr_is_not_an_object_detection_and_its_delete_is_asked() -> None:
    tools, missing, asked = await _tools_and_missing("OCR scan.png and then delete that", MEDIA)
    assert "detect_objects" not in tools, tools
    assert any("OCR scan.png" in m for m in missing), missing
    assert "delete_file_path" in asked, asked


async def test_a_sound_no_tool_makes_is_not_stored_as_a_count() -> None:
    task = "Caption photo.jpg, then read it aloud and save it to out.wav"
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    assert "word_count" not in [n.tool for n in plan.nodes], plan.nodes
    assert any("read it aloud" in m for m in result.execution.missing), result.execution.missing
    written = [n.args.get("content") for n in plan.nodes if n.tool == "write_file"]
    assert written == ["${inputs.write_file_content}"], written


@pytest.mark.parametrize(
    ("task", "catalogue", "tool"),
    [
        ("Convert data.csv to json", THIRD_PARTY, "csv_to_json"),
        ("Convert photo.jpg to png", FORMATS, "image_converter"),
        ("OCR scan.png", THIRD_PARTY, "ocr_image"),
        ("Read notes.txt aloud", MEDIA, "read_aloud"),
        ("Convert 100 EUR to USD", THIRD_PARTY, "convert_currency"),
        ("Remove the background noise from talk.wav", MEDIA, "denoise_audio"),
        ("Post notes.txt to https://example.com/x", THIRD_PARTY, "http_request"),
    ],
)
async def test_a_tool_making_what_is_said_still_does_it(task: str, catalogue: Path, tool: str) -> None:
    tools, missing, _ = await _tools_and_missing(task, catalogue)
    assert tool in tools, tools
    assert not missing, missing
