"""A conversion says it makes a file of another format, so "it" after it may be that file: "Convert clip.mp4 to gif,
then remove it" (third_party) ran pdf_to_text on the film (it takes a path) and then deleted clip.mp4. A tool naming
the format of files it reads (pdf_to_text: pdf) does not read a film, a picture or a text file of another format; the
delete asks which file it deletes, whatever tool the conversion found. What is clear stays done: "Extract the text
from report.pdf, then delete it".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    ("task", "named"),
    [
        ("Convert clip.mp4 to gif, then remove it", "clip.mp4"),
        ("Convert clip.mp4 to gif and then delete the file", "clip.mp4"),
        ("Convert talk.wav to mp3, then delete it", "talk.wav"),
        ("Convert scan.png to pdf and delete it", "scan.png"),
        ("Convert report.docx to pdf, then remove it", "report.docx"),
        ("Convert data.csv to json, then delete it", "data.csv"),
    ],
)
@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
async def test_a_delete_of_it_after_a_conversion_is_asked(task: str, named: str, catalogue: Path) -> None:
    calls, asked, notes = await calls_asked_and_said(task, catalogue)
    assert ("delete_file", {"path": named}) not in calls, calls
    assert "delete_file_path" in asked, asked
    assert any("does not say which file it deletes" in note and named in note for note in notes), notes


@pytest.mark.parametrize(
    "task",
    ["Convert clip.mp4 to gif", "Convert scan.png to pdf", "Convert notes.txt to pdf", "Convert data.json to csv"],
)
async def test_a_tool_reading_another_format_does_not_read_it(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    plan = result.execution.plan
    tools = [n.tool for n in plan.nodes] if plan is not None else []
    assert not {"pdf_to_text", "csv_to_json"} & set(tools), tools


async def test_a_pdf_is_still_read_and_a_summary_still_deleted() -> None:
    calls, asked, _ = await calls_asked_and_said("Extract the text from report.pdf, then delete it", THIRD_PARTY)
    assert calls == [("pdf_to_text", {"path": "report.pdf"}), ("delete_file", {"path": "report.pdf"})], calls
    assert not asked, asked
    calls, asked, _ = await calls_asked_and_said("Summarize notes.txt and then delete it", MEDIA)
    assert calls[-1] == ("delete_file", {"path": "notes.txt"}), calls
