"""A sentence telling what a file is or what happened to it ("deploy.sh is broken", "Note: a.txt changed") is
context, not work: the placeholder opening it was read as an imperative's verb, and the sentence became a step no
tool does ("step 'broken'"), or one an image editor was picked for ("a.txt changed"). Work said after it keeps its
plan; work said under a note label is still read as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

_SUMMARY = [("read_file", {"path": "notes.txt"}), ("summarize_text", {"text": "${read.output.content}"})]


async def _plan(task: str) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    return [(n.tool, dict(n.args)) for n in result.plan.nodes], list(result.missing)


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Note: deploy.sh is broken. Run it", ["shell"]),
        ("deploy.sh is broken. Run it", ["shell"]),
        ("FYI: notes.txt was updated. Summarize it", ["read_file", "summarize_text"]),
        ("Note: notes.txt is long. Summarize it", ["read_file", "summarize_text"]),
        ("notes.txt has errors. Summarize it", ["read_file", "summarize_text"]),
        ("PS: photo.jpg was taken yesterday. Caption it", ["caption_image"]),
        ("Warning: report.txt is outdated. Translate it into French", ["read_file", "translate_text"]),
        ("Heads-up: notes.txt looks messy. Summarize it", ["read_file", "summarize_text"]),
        ("notes.txt seems long. Summarize it", ["read_file", "summarize_text"]),
        ("Note: a.txt changed. Summarize a.txt", ["read_file", "summarize_text"]),
        ("Background: x.txt was exported by Bob. Summarize x.txt", ["read_file", "summarize_text"]),
    ],
)
async def test_the_sentence_is_no_step(task: str, tools: list[str]) -> None:
    nodes, missing = await _plan(task)
    assert [tool for tool, _ in nodes] == tools, nodes
    assert not missing


@pytest.mark.parametrize(
    ("task", "nodes"),
    [
        ("Summarize notes.txt", _SUMMARY),
        ("Note: summarize notes.txt", _SUMMARY),
        ("Note: notes.txt. Summarize it", _SUMMARY),
        ("Summarize notes.txt. It is long", _SUMMARY),
        ("Read notes.txt and summarize it", _SUMMARY),
        ("Caption photo.jpg", [("caption_image", {"image": "photo.jpg"})]),
        ("FYI: run deploy.sh", [("shell", {"cmd": "${inputs.shell_cmd}"})]),
        ("Note: delete old.txt", [("delete_file", {"path": "${inputs.delete_file_path}"})]),
        (
            "Translate notes.txt into French",
            [("read_file", {"path": "notes.txt"}), ("translate_text", {"text": "${read.output.content}"})],
        ),
        ("Delete old.txt", [("delete_file", {"path": "old.txt"})]),
    ],
)
async def test_work_said_keeps_its_plan(task: str, nodes: list[tuple[str, dict[str, object]]]) -> None:
    assert (await _plan(task))[0] == nodes
