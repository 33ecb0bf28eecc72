"""What a plan lists matches its steps, and names the read step took as files are files (plan189):
- 'Read "my notes.txt" and "b c.txt", then delete both' asked which files: each quoted name read as a file is one;
- "Delete a.txt and b.txt. Actually, keep the other one." asked both paths yet listed both files as deleted;
- "Read notes.txt, then delete the notes in it" listed notes.txt as read twice;
- "Read a.txt, read b.txt, then post it to a URL" posted b.txt, the nearest: two like reads are a list, as
  "Read a.txt and b.txt" is, and "it" says one of them: what is sent is asked."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize("word", ["both", "each", "them"])
async def test_quoted_names_read_as_files_are_deleted(word: str) -> None:
    result = await plan_task(f'Read "my notes.txt" and "b c.txt", then delete {word}', as_the_cli_plans())
    execution = result.execution
    assert execution.plan is not None and not execution.missing_inputs
    deleted = [n.args["path"] for n in execution.plan.nodes if n.tool == "delete_file"]
    assert deleted == ["my notes.txt", "b c.txt"]
    assert result.analysis.resource_requirements.files_deleted == deleted


@pytest.mark.parametrize(
    "task", ["Delete a.txt and b.txt. Actually, keep the other one.", "Delete a.txt if it is empty"]
)
async def test_a_delete_whose_path_is_asked_lists_no_file_deleted(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None
    paths = {n.args["path"] for n in result.execution.plan.nodes if n.tool == "delete_file"}
    assert paths == {"${inputs.delete_file_path}"}
    assert result.analysis.resource_requirements.files_deleted == []


async def test_a_file_is_listed_read_once() -> None:
    result = await plan_task("Read notes.txt, then delete the notes in it", as_the_cli_plans())
    assert result.analysis.resource_requirements.files_read == ["notes.txt"]


@pytest.mark.parametrize(
    "task",
    [
        "Read a.txt, read b.txt, then post it to https://x.example/p",
        "Read a.txt. Read b.txt. Send it to https://x.example/p",
    ],
)
async def test_it_after_two_like_reads_is_asked_when_sent(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans())).execution
    assert execution.plan is not None
    posts = [n for n in execution.plan.nodes if n.tool == "http_request"]
    assert [n.args["body"] for n in posts] == ["${inputs.http_request_body}"]
    assert "http_request_body" in execution.missing_inputs


async def test_it_after_other_work_is_still_its_result() -> None:
    execution = (await plan_task("Read a.txt, then post it to https://x.example/p", as_the_cli_plans())).execution
    assert execution.plan is not None and not execution.missing_inputs
    assert [n.args["body"] for n in execution.plan.nodes if n.tool == "http_request"] == ["${read.output.content}"]
