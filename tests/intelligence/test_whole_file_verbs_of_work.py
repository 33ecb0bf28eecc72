"""A verb whose object is a file as a whole (print, upload, download) before a piece of work a tool's name says
("print the summary of X") asks for the work, then the verb on its result: "print the summary of 'X'" and "upload
a caption of photo.jpg" were reported missing whole, "download the transcript of talk.wav" asked the fetcher for a
URL. The work is done and the verb reported missing, never dropped in silence. Requests written for these tests,
with the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


@pytest.mark.parametrize(
    ("task", "work", "verb"),
    [
        ("print the summary of 'The fox jumps over the lazy dog again and again.'", ["summarize_text"], "print"),
        ("please print the summary of notes.txt", ["read_file", "summarize_text"], "print"),
        ("upload a caption of photo.jpg", ["caption_image"], "upload"),
        ("download the transcript of talk.wav", ["transcribe_audio"], "download"),
    ],
)
async def test_the_work_is_done_and_the_verb_reported_missing(task: str, work: list[str], verb: str) -> None:
    result = await plan_task(task, default_registry([MEDIA]))
    execution = result.execution
    assert execution.plan is not None
    assert [n.tool for n in execution.plan.nodes] == work
    assert not execution.missing_inputs
    assert len(execution.missing) == 1 and f"step '{verb}'" in execution.missing[0]


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        # the noun is no tool's work, or the file itself: the fetcher fetches it
        ("download the contents of http://example.com/a", ["http_request"]),
        ("download the image of http://example.com/a", ["http_request"]),
        ("download http://example.com/a.jpg and caption it", ["http_request", "caption_image"]),
    ],
)
async def test_a_file_the_verb_takes_stays_its(task: str, tools: list[str]) -> None:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None
    assert [n.tool for n in result.execution.plan.nodes] == tools
    assert not result.execution.missing


async def test_where_the_verb_puts_the_result_is_said_with_it() -> None:
    # plan141: uploaded to a URL is posted, the caption its body (no upload tool: it was missing)
    result = await plan_task("upload a caption of photo.jpg to http://example.com/up", default_registry([MEDIA]))
    assert result.execution.plan is not None
    nodes = result.execution.plan.nodes
    assert [n.tool for n in nodes] == ["caption_image", "http_request"] and not result.execution.missing
    assert nodes[1].args == {
        "url": "http://example.com/up",
        "method": "POST",
        "body": f"${{{nodes[0].id}.output.text}}",
    }
