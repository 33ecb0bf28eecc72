"""A file a storing verb takes, sent somewhere said in words rather than as a file ("to ../x", "to the server",
"to ~/.ssh/authorized_keys": no path the reading takes), with the built-ins as `client.py plan` has them (attack114).
"Write notes.txt to the server" deleted notes.txt (delete_file, ranked by the file, the storing verb not preferring a
writer with no place read); "Copy notes.txt to ../x" wrote notes.txt itself with a content asked for; "Copy notes.txt
to ~/.ssh/authorized_keys" summarized it ("copy" is "save" in a writer's words, not "copy"). The file is read, and
where it goes is asked for: it is never written over, nor deleted."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Write notes.txt to the server",
        "Write notes.txt to the cloud",
        "Copy notes.txt to ../x",
        "Save notes.txt to ../backup",
        "Copy notes.txt to ~/.ssh/authorized_keys",
    ],
)
async def test_the_file_stored_is_read_and_where_it_goes_asked(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None, execution.problems
    calls = [(n.tool, dict(n.args)) for n in execution.plan.nodes]
    assert [tool for tool, _ in calls] == ["read_file", "write_file"]
    assert calls[0][1]["path"] == "notes.txt"
    assert str(calls[1][1]["path"]).startswith("${inputs."), calls[1][1]
    assert execution.missing_inputs == ["write_file_path"]


async def test_a_place_read_as_a_file_is_still_written() -> None:
    execution = (await plan_task("Copy notes.txt to backup.txt", as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None
    assert [(n.tool, n.args["path"]) for n in execution.plan.nodes] == [
        ("read_file", "notes.txt"),
        ("write_file", "backup.txt"),
    ]
