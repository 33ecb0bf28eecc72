"""A plan writes only a file the user named as where a result goes: "How similar is 'a quiet evening' to
report.txt?" planned write_file to report.txt, the user's file written over with the score ("to report.txt" read
as a destination), and "Summarize output.txt and save it" wrote the summary over output.txt (write_file's
default place, the file just read). Requests written for these tests, with the media catalogue and the
built-ins."""

from __future__ import annotations

import asyncio

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


def _written_and_read(task: str) -> tuple[list[str], list[str], list[str]]:
    """The paths the plan writes, those it reads, and the inputs it asks for."""
    execution = asyncio.run(plan_task(task, default_registry([MEDIA]))).execution
    assert execution.plan is not None, execution.problems
    nodes = execution.plan.nodes
    written = [str(n.args.get("path")) for n in nodes if n.tool == "write_file"]
    read = [str(n.args.get("path")) for n in nodes if n.tool == "read_file"]
    return written, read, execution.missing_inputs


@pytest.mark.parametrize(
    "task",
    [
        "How similar is 'a quiet evening' to report.txt?",
        "How close is 'a quiet evening' to report.txt?",
        "How similar in tone is 'a quiet evening' to report.txt?",
        "Compare 'a quiet evening' to report.txt",
        "How does 'a quiet evening' compare to report.txt?",
        "Summarize notes.txt and compare the summary to report.txt",
        "Answer 'who wrote it?' according to report.txt",
        "Summarize notes.txt in addition to report.txt",
        "Summarize notes.txt as well as report.txt",
        "Summarize a document such as report.txt",
        "Translate notes.txt into French relative to report.txt",
        "Summarize notes.txt with respect to report.txt",
        "Summarize the text in report.txt",  # "in" with no storing verb: what is worked on
    ],
)
def test_a_file_a_request_relates_to_is_read_not_written(task: str) -> None:
    written, read, _ = _written_and_read(task)
    assert written == []
    assert "report.txt" in read


@pytest.mark.parametrize(
    ("task", "place"),
    [
        ("How similar is 'a' to 'b'? Save the score to out.txt", "out.txt"),
        ("Compare 'a' with 'b' and write the score to out.txt", "out.txt"),
        ("Compare notes.txt to report.txt and save the result as same.txt", "same.txt"),
        ("Summarize notes.txt into summary.txt", "summary.txt"),
        # over the file it is made from, said so (plan141: "save it to notes.txt" asks where, with why)
        ("Translate notes.txt into French and overwrite notes.txt with it", "notes.txt"),
        # "in" after a storing verb says where: before, the caption step was asked for an image to caption
        ("Caption photo.jpg and write the caption in c.txt", "c.txt"),
        ("Summarize notes.txt and save it in a file named s.txt", "s.txt"),
        ("Summarize the contents of notes.txt and write it over notes.txt", "notes.txt"),  # said so
    ],
)
def test_a_place_named_to_store_in_is_still_written(task: str, place: str) -> None:
    written, _, _ = _written_and_read(task)
    assert written == [place]


@pytest.mark.parametrize("task", ["Summarize output.txt and save it", "Read output.txt and save it", "Write 'hi'"])
def test_a_store_with_no_place_named_asks_where(task: str) -> None:
    written, _, asked = _written_and_read(task)
    assert written == ["${inputs.write_file_path}"]
    assert "write_file_path" in asked


@pytest.mark.parametrize(
    "task",
    [
        # a file the storing clause takes from or relates to: it was the write's path, written over
        "Caption photo.jpg and write it next to notes.txt",
        "Write the contents of notes.txt",
    ],
)
def test_a_store_never_writes_the_file_it_names_as_a_source(task: str) -> None:
    written, _, asked = _written_and_read(task)
    assert written == ["${inputs.write_file_path}"]
    assert "write_file_path" in asked


@pytest.mark.parametrize(
    "task",
    [
        # a verb whose "to" names what it works on: the transcript was written over talk.wav, the answer over
        # email.txt and notes.txt
        "Listen to talk.wav and summarize it",
        "Reply to email.txt",
        "Pay attention to notes.txt and summarize it",
        "Refer to notes.txt and summarize report.txt",
    ],
)
def test_a_file_a_verb_works_on_after_to_is_never_written(task: str) -> None:
    written, _, _ = _written_and_read(task)
    assert written == []


def test_a_writer_ranked_for_a_verb_that_stores_nothing_asks_where() -> None:
    """ "Rename notes.txt to old.txt" (no tool renames) ranked write_file and gave it notes.txt to write over; then
    asked where to write. Now no tool is chosen (plan104: "rename" was in write_file's "(temp file + rename)")."""
    execution = asyncio.run(plan_task("Rename notes.txt to old.txt", default_registry([MEDIA]))).execution
    assert execution.missing
    assert not [n for n in (execution.plan.nodes if execution.plan else []) if n.tool == "write_file"]
