"""A credential the request holds is never written into the plan in clear, and a secret or an input it names
is what its step works on (fix47). Requests written for these tests, with the built-ins."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry


@pytest.mark.parametrize(
    ("task", "secret"),
    [
        ("download http://ann:hunter2@files.example.com/a.txt", "hunter2"),
        ("download https://files.example.com/a.txt?api_key=sk-live-42 and save it to a.txt", "sk-live-42"),
        ("fetch https://x.example/a?user=ann&password=hunter2#top", "hunter2"),
        ("download https://x.example/cb#access_token=ya29-abc&x=1", "ya29-abc"),
    ],
)
async def test_a_credential_in_a_url_is_asked_for_not_echoed(task: str, secret: str) -> None:
    result = await plan_task(task, default_registry([]))
    assert secret not in result.model_dump_json()  # before: in the arguments, the description, the analysis
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    (fetch,) = [n for n in plan.nodes if n.tool == "http_request"]
    assert fetch.args["url"] == "${inputs.http_request_url}"
    assert any("credential" in note for note in result.analysis.notes)


@pytest.mark.parametrize(
    "task",
    [
        'write {"db": "postgres://ann:hunter2@db.example/x"} to out.json',
        "write 'ftp://ann:hunter2@files.example/a.txt' to out.txt",
    ],
)
async def test_a_credential_in_a_value_written_is_asked_for(task: str) -> None:
    result = await plan_task(task, default_registry([]))
    assert "hunter2" not in result.model_dump_json()
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    (write,) = [n for n in plan.nodes if n.tool == "write_file"]
    assert "***" not in str(write.args) and set(plan.inputs)  # not the mask written in place of the password


async def test_each_url_with_a_credential_is_an_input_of_its_own() -> None:
    task = "download http://a:pw1@h1.example/x.json and http://b:pw2@h2.example/y.json and save them to out.json"
    result = await plan_task(task, default_registry([]))
    assert "pw1" not in result.model_dump_json() and "pw2" not in result.model_dump_json()
    plan = result.execution.plan
    assert plan is not None
    urls = [n.args["url"] for n in plan.nodes if n.tool == "http_request"]
    assert len(set(urls)) == 2 and set(plan.inputs) == {u[len("${inputs.") : -1] for u in urls}


@pytest.mark.parametrize(
    "task", ["list the files, then write ${secrets.TOKEN} to out.txt", "list the files, then write ${inputs.note}"]
)
async def test_a_reference_the_user_names_is_what_the_step_writes(task: str) -> None:
    result = await plan_task(task, default_registry([]))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    (write,) = [n for n in plan.nodes if n.tool == "write_file"]
    assert write.args["content"] == "${inputs.write_file_content}"  # before: the file list was written
    assert any("names ${" in note for note in result.analysis.notes)


async def test_a_text_the_write_quotes_is_written_not_the_step_before() -> None:
    result = await plan_task("list the files, then write 'done' to out.txt", default_registry([]))
    assert result.execution.plan is not None
    (write,) = [n for n in result.execution.plan.nodes if n.tool == "write_file"]
    assert write.args["content"] == "done"  # before: ${list.output.entries}


async def test_a_step_output_named_is_still_linked() -> None:
    result = await plan_task("read notes.txt, then write ${read.output.content} to out.txt", default_registry([]))
    assert result.execution.plan is not None
    (write,) = [n for n in result.execution.plan.nodes if n.tool == "write_file"]
    assert write.args["content"] == "${read.output.content}"
