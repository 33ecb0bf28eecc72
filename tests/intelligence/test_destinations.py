"""The role a request gives a value: a file, URL or address after "to", "into" or "as" in a clause
that asks for work is where a result goes. Its clause's sink writes it; no other step takes it as
input; a step whose tool does not store gets a step after it that does. In a sentence that tells
("I saved my notes as notes.txt") the same words name the user's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _nodes(task: str, *files: Path) -> list[tuple[str, dict[str, object]]]:
    result = await plan_task(task, default_registry(list(files)))
    plan = result.execution.plan
    assert plan is not None and not result.execution.missing, result.execution.problems
    return [(n.tool, n.args) for n in plan.nodes]


LISTED = "${list.output.entries}"


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("list the files and write them to files.json",
         [("list_files", {"path": "."}), ("write_file", {"path": "files.json", "json": LISTED})]),
        ("list the files, then save them as listing.json",
         [("list_files", {"path": "."}), ("write_file", {"path": "listing.json", "json": LISTED})]),
        ("list the files and store the result into a file named listing.json",
         [("list_files", {"path": "."}), ("write_file", {"path": "listing.json", "json": LISTED})]),
        # One clause whose tool does not store: a step is added that writes where the request says.
        ("list the files into a new file named listing.json",
         [("list_files", {"path": "."}), ("write_file", {"path": "listing.json", "json": LISTED})]),
        ("download http://127.0.0.1:8000/a to a.html",
         [("http_request", {"url": "http://127.0.0.1:8000/a"}),
          ("write_file", {"path": "a.html", "content": "${download.output.text}"})]),
        # A JSON list the request gives, written to a text file: a line each (numbers crashed the planner).
        ("write [1, 2.5, \"three\", {\"four\": 4}] to items.txt",
         [("write_file", {"path": "items.txt", "content": '1\n2.5\nthree\n{"four": 4}\n'})]),
    ],
)  # fmt: skip
async def test_a_destination_is_written_not_read(task: str, expected: list[tuple[str, dict[str, object]]]):
    assert await _nodes(task) == expected


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("Summarize the article in article.txt and write the summary to summary.txt",
         [("read_file", {"path": "article.txt"}), ("summarize_text", {"text": "${read.output.content}"}),
          ("write_file", {"path": "summary.txt", "content": "${summarize.output.text}"})]),
        ("Describe photo.jpg and save the caption as caption.txt",
         [("caption_image", {"image": "photo.jpg"}),
          ("write_file", {"path": "caption.txt", "content": "${describe.output.text}"})]),
        ("Transcribe talk.wav into transcript.txt",
         [("transcribe_audio", {"audio": "talk.wav"}),
          ("write_file", {"path": "transcript.txt", "content": "${transcribe.output.text}"})]),
    ],
)  # fmt: skip
async def test_what_a_sink_stores_is_an_earlier_result_and_its_file_no_input(
    task: str, expected: list[tuple[str, dict[str, object]]]
):
    """ "the summary" names what summarize made: the clause writes it, rather than summarising summary.txt."""
    assert await _nodes(task, MEDIA) == expected


async def test_a_file_named_in_a_sentence_that_tells_is_the_users_data():
    assert await _nodes("I saved my notes as notes.txt. Summarize them.", MEDIA) == [
        ("read_file", {"path": "notes.txt"}),
        ("summarize_text", {"text": "${read.output.content}"}),
    ]
