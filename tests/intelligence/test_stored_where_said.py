"""Storing verbs (plan104): "Save notes.txt to backup.txt" read backup.txt and asked where to write; "store the
summary in s.txt" was put first, given nothing ("store" ranked the summariser by "the summary"); "export the caption
of a.jpg to c.txt" translated it; "Write notes.txt to backup.txt" deleted both files (delete_file's "(the undo of
write_file)" said "write"); "Rename notes.txt to old.txt" asked where to write (write_file's "(temp file + rename)").
A file named as the source is never written over."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _calls(task: str) -> list[tuple[str, dict[str, object]]]:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    execution = result.execution
    assert execution.plan is not None and not execution.missing and not execution.missing_inputs, execution
    return [(n.tool, dict(n.args)) for n in execution.plan.nodes]


@pytest.mark.parametrize("verb", ["Save", "Write", "Store", "Copy"])
async def test_a_file_stored_to_another_is_copied(verb: str) -> None:
    preposition = "in" if verb == "Store" else "to"
    calls = await _calls(f"{verb} notes.txt {preposition} backup.txt")
    assert calls == [
        ("read_file", {"path": "notes.txt"}),
        ("write_file", {"path": "backup.txt", "content": "${read.output.content}"}),
    ]


@pytest.mark.parametrize(
    ("task", "tools", "place"),
    [
        ("Summarize notes.txt and store the summary in s.txt", ["read_file", "summarize_text", "write_file"], "s.txt"),
        ("Summarize notes.txt and store it in s.txt", ["read_file", "summarize_text", "write_file"], "s.txt"),
        ("export the caption of a.jpg to c.txt", ["caption_image", "write_file"], "c.txt"),
        ("export the summary of notes.txt to s.txt", ["read_file", "summarize_text", "write_file"], "s.txt"),
    ],
)
async def test_work_stored_after_it_is_done(task: str, tools: list[str], place: str) -> None:
    calls = await _calls(task)
    assert [tool for tool, _ in calls] == tools
    assert calls[-1][1]["path"] == place
    assert str(calls[-1][1]["content"]).startswith("${")  # what the work made


async def test_no_tool_renames() -> None:
    execution = (await plan_task("Rename notes.txt to old.txt", as_the_cli_plans(MEDIA))).execution
    assert execution.missing
    assert not [n for n in (execution.plan.nodes if execution.plan else []) if n.tool in {"write_file", "delete_file"}]
