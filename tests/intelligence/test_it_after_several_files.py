"""A singular "it" after a clause naming several files, for a delete, is missing saying which file is unclear ("Read
a.txt and b.txt, then delete it" was reported as "delete_file takes ['path'], the step has ['text', ...]"); for a
send, what it sends is asked ("post it" posted both files joined);
"it" beside a file named after it ("delete b.txt and it") is deleted too (the splitter dropped "and it", and only
b.txt went)."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize("verb", ["delete", "remove", "trash", "erase"])
async def test_it_after_two_files_is_missing_saying_which_file_is_unclear(verb: str) -> None:
    result = await plan_task(f"Read a.txt and b.txt, then {verb} it", as_the_cli_plans())
    execution = result.execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    deletes = [n.args for n in nodes if n.tool == "delete_file"]
    # no file named is deleted: the delete is missing saying why, or (a deleter chosen by the verb) its path asked
    assert deletes in ([], [{"path": "${inputs.delete_file_path}"}])
    unclear = "which file it deletes is not said: it may be 'a.txt' or 'b.txt'"
    if not deletes:
        (missing,) = execution.missing
        assert unclear in missing and "the step has" not in missing, missing
    assert any(unclear in w for w in execution.warnings) if deletes else True
    assert result.analysis.resource_requirements.files_deleted == []


@pytest.mark.parametrize(
    "task",
    [
        "Read a.txt, then delete b.txt and it",
        "Read a.txt, then delete b.txt as well as it",
        "Read a.txt, then delete b.txt, and it too",
        "Read a.txt, then delete it and b.txt",
    ],
)
async def test_it_beside_a_file_named_is_deleted_too(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    plan = result.execution.plan
    assert plan is not None and not result.execution.missing_inputs
    assert sorted(n.args["path"] for n in plan.nodes if n.tool == "delete_file") == ["a.txt", "b.txt"]
    # each delete waits for the read: a.txt is read before it goes
    assert all("read" in n.depends_on for n in plan.nodes if n.tool == "delete_file")
    assert sorted(result.analysis.resource_requirements.files_deleted) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("verb", ["post", "upload", "send"])
async def test_it_of_several_results_sent_asks_what_is_sent(verb: str) -> None:
    result = await plan_task(f"Read a.txt and b.txt, then {verb} it to http://127.0.0.1:8000/x", as_the_cli_plans())
    execution = result.execution
    assert execution.plan is not None
    sends = [n for n in execution.plan.nodes if n.tool == "http_request"]
    assert len(sends) == 1 and "read_1" not in str(sends[0].args) and "read_2" not in str(sends[0].args)
    assert any(name.endswith("_body") for name in execution.missing_inputs), execution.missing_inputs
    assert any("sends 'it', one thing, of several results" in n for n in result.analysis.notes)


@pytest.mark.parametrize(
    ("task", "body"),
    [
        ("Read a.txt and b.txt, then post them to http://127.0.0.1:8000/x", "${read_1.output.content}"),
        ("Read a.txt, then post it to http://127.0.0.1:8000/x", "${read.output.content}"),
    ],
)
async def test_them_or_one_result_is_sent_as_said(task: str, body: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans())).execution
    assert execution.plan is not None and not execution.missing_inputs
    assert [body in str(n.args.get("body")) for n in execution.plan.nodes if n.tool == "http_request"] == [True]
