"""`validate` approves only what the run would take, reads nothing but a regular file, and never prints a
file that is not a plan.

A step's output referenced by a field its tool does not have, or whole into an argument that takes no
value of that type, passed `validate` and failed every such step at run time; `start` refuses it the
same way, before anything runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.cli.cli import Cli, Result, write_plan


def sleep_then(*steps: dict[str, Any]) -> dict[str, Any]:
    root = {"id": "root", "tool": "sleep", "args": {"seconds": 0}}
    nodes = [root, *({"depends_on": ["root"], **step} for step in steps)]
    return {"name": "refs", "inputs": {"x": None}, "nodes": nodes}


def write_note(node_id: str, **args: Any) -> dict[str, Any]:
    return {"id": node_id, "tool": "write_file", "args": {"path": f"{node_id}.txt", **args}}


def refused(result: Result, *fragments: str) -> None:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


REFUSED_REFERENCES = [
    # a number, whole, into a text argument: the run passes the number itself
    (write_note("a", content="${root.output.slept_s}"), "${root.output.slept_s} gives a number"),
    # a field sleep's output does not have, whole or inside text
    (write_note("b", content="${root.output.nosuchfield}"), "(${root.output.nosuchfield})"),
    (write_note("c", content="took ${root.output.nosuchfield} s"), "(${root.output.nosuchfield})"),
    # the last alternative: what the run fails on when those before are not there
    (write_note("f", content="${inputs.x || root.output.nosuch}"), "(${root.output.nosuch})"),
    # the first alternative, always there and never null, is the one the run takes: a number into text
    (
        write_note("g", content="${root.output.slept_s || inputs.x}"),
        "${root.output.slept_s || inputs.x} gives a number",
    ),
    # past a number: nothing is there
    (write_note("d", content="${root.output.slept_s.x}"), "(${root.output.slept_s.x})"),
    # in a compensation and an alternative too
    (
        {
            **write_note("e", content="x"),
            "compensation": {"tool": "delete_file", "args": {"path": "${root.output.no}"}},
        },
        "(${root.output.no})",
    ),
]


@pytest.mark.parametrize("step,says", REFUSED_REFERENCES, ids=["number-into-text", "no-field", "no-field-in-text", "last-alternative",
                                                               "alternative-taken", "past-a-number", "compensation"])  # fmt: skip
async def test_validate_and_start_refuse_what_the_run_would_fail(
    cli: Cli, tmp_path: Path, step: dict[str, Any], says: str
) -> None:
    path = write_plan(tmp_path, sleep_then(step))
    refused(await cli.here("validate", "--plan", path), says, "nothing was started")
    refused(await cli.here("start", "--plan", path, "--id", f"refused-{step['id']}"), says)
    workflows = [w async for w in cli.client.list_workflows(f"WorkflowId = 'refused-{step['id']}'")]
    assert workflows == []


ACCEPTED_REFERENCES = [
    write_note("a", content="took ${root.output.slept_s} s"),  # inside text: written as text
    {"id": "b", "tool": "sleep", "args": {"seconds": "${root.output.slept_s}"}},  # a number into a number
    write_note("c", content="${root.state}"),  # not the output: not read off its schema
    write_note("e", content="${root.output.nosuchfield || inputs.x}"),  # passed over by the run
]


async def test_validate_accepts_what_the_run_takes(cli: Cli, tmp_path: Path) -> None:
    plan = sleep_then(*ACCEPTED_REFERENCES)
    result = await cli.here("validate", "--plan", write_plan(tmp_path, plan))
    assert result.code == 0, result.err


async def test_a_node_with_alternatives_is_not_read_off_one_tool(cli: Cli, tmp_path: Path) -> None:
    plan = sleep_then(write_note("a", content="${root.output.anything}"))
    plan["nodes"][0]["alternatives"] = [{"tool": "list_files", "args": {}}]
    assert (await cli.here("validate", "--plan", write_plan(tmp_path, plan))).code == 0


async def test_a_named_pipe_is_refused_without_waiting_for_a_writer(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    refused(await cli.here("validate", "--plan", str(fifo)), "not a regular file (a named pipe)")
    refused(await cli.here("validate", "--plan", str(tmp_path)), "not a regular file (a directory)")


SECRET = "hunter2-s3cr3t"
NOT_PLANS = {
    "shadow": (f"root:$6${SECRET}:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n", "a mapping of 2 keys"),
    "text": (f"password is {SECRET}\n", "the document is plain text"),
    "list": (f"- {SECRET}\n", "the document is a list"),
    "json": (f'["{SECRET}"]', "the document is a list"),
}


@pytest.mark.parametrize("name", sorted(NOT_PLANS))
async def test_a_file_that_is_not_a_plan_is_described_never_shown(cli: Cli, tmp_path: Path, name: str) -> None:
    text, shape = NOT_PLANS[name]
    path = tmp_path / (f"{name}.json" if name == "json" else name)
    path.write_text(text)
    result = await cli.here("validate", "--plan", str(path))
    refused(result, "not a plan", shape)
    assert SECRET not in result.out + result.err


async def test_an_unknown_key_is_named_cut_and_escaped(cli: Cli, tmp_path: Path) -> None:
    key = "k\x1b[2J" + "x" * 500
    plan = {**sleep_then(), key: 1}
    result = await cli.here("validate", "--plan", write_plan(tmp_path, plan))
    refused(result, "Extra inputs are not permitted", "u001b[2J")
    assert "x" * 100 not in result.err and "\x1b" not in result.err


async def test_a_large_plan_is_summarised(cli: Cli, tmp_path: Path) -> None:
    plan = sleep_then(*({"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(300)))
    plan["nodes"] += [{"id": f"c{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"c{i - 1}"] if i else []}
                      for i in range(30)]  # fmt: skip
    result = await cli.here("validate", "--plan", write_plan(tmp_path, plan))
    assert result.code == 0, result.err
    assert "and 291 more steps" in result.out and "more phases (--json lists them all)" in result.out
    assert "n299" not in result.out and max(len(line) for line in result.out.splitlines()) < 400


@pytest.mark.parametrize("field", ["timeout_s", "heartbeat_timeout_s"])
async def test_a_quoted_number_is_refused_as_yes_is(cli: Cli, tmp_path: Path, field: str) -> None:
    for value, says in (("5", "text, not a number"), (True, "is yes or no, not a number")):
        plan = sleep_then()
        plan["nodes"][0][field] = value
        refused(await cli.here("validate", "--plan", write_plan(tmp_path, plan)), says)
    plan = sleep_then()
    plan["nodes"][0]["retry"] = {"max_attempts": "2"}
    plan["max_parallel"] = "4"
    refused(await cli.here("validate", "--plan", write_plan(tmp_path, plan)), "'retry.max_attempts'", "'max_parallel'")


async def test_validate_refuses_a_kind_no_value_of_passes_and_reads_inputs_as_the_run_does(
    cli: Cli, tmp_path: Path
) -> None:
    read = {"id": "r", "tool": "read_file", "args": {"path": "notes.txt"}}
    wait = {"id": "s", "tool": "sleep", "args": {"seconds": "${r.output.content}"}}  # text, never a number here
    path = write_plan(tmp_path, sleep_then(read, wait))
    refused(await cli.here("validate", "--plan", path), "${r.output.content} gives a string", "text, not a number")
    # an input's value is passed as it is: the reference in it is text, as content takes
    plan = {**sleep_then(write_note("w", content="${inputs.note}")), "inputs": {"note": "${root.output.slept_s}"}}
    assert (await cli.here("validate", "--plan", write_plan(tmp_path, plan))).code == 0
