"""A command the user quotes reaches the shell as written, and after the work it points at (attack57). Requests
written for these tests, with the built-ins and the media catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestra.plan import PlanNode
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


async def _plan(task: str) -> tuple[list[PlanNode], list[str], list[str]]:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    return result.execution.plan.nodes, result.execution.warnings, result.execution.missing_inputs


def _run(nodes: list[PlanNode]) -> PlanNode:
    (run,) = [n for n in nodes if n.tool == "shell"]
    return run


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("run 'cat notes.txt'", "cat notes.txt"),
        ("run \"wc -l notes.txt\" and translate 'hi'", "wc -l notes.txt"),
        ("execute the command './build.sh'", "./build.sh"),
        ("run 'python3 my tool.py'", "python3 my tool.py"),
    ],
)
async def test_a_quoted_command_that_names_a_file_is_the_command(task: str, command: str) -> None:
    nodes, warnings, missing = await _plan(task)
    # before: read as a quoted file's name, the command was asked for and the quote given to no call
    assert _run(nodes).args["cmd"] == command
    assert (warnings, missing) == ([], [])


@pytest.mark.parametrize(
    ("task", "tool", "value"),
    [
        ("translate 'it\\'s a \\'test\\' ok'", "translate_text", "it's a 'test' ok"),
        ('translate "it\\"s a \\"test\\" ok"', "translate_text", 'it"s a "test" ok'),
        ('run "echo \'it\\"s\'"', "shell", "echo 'it\"s'"),
        ('run "echo \\"hi"', "shell", 'echo "hi'),
        ("run 'echo \\'hi'", "shell", "echo 'hi"),
    ],
)
async def test_an_escaped_quote_stays_inside_its_quote(task: str, tool: str, value: str) -> None:
    nodes, _, missing = await _plan(task)
    # before: escaped quotes were read in pairs, and one without its pair ended the quote (or none was read)
    (node,) = [n for n in nodes if n.tool == tool]
    assert value in node.args.values()
    assert missing == []


@pytest.mark.parametrize("task", ['translate "C:\\temp\\" and "x"', "translate 'C:\\temp\\' and 'x'"])
async def test_a_backslash_before_the_closing_quote_still_ends_a_folder(task: str) -> None:
    nodes, _, _ = await _plan(task)
    assert any(n.args.get("text") == "C:\\temp\\" for n in nodes)


@pytest.mark.parametrize(
    ("task", "source", "command"),
    [
        ("read notes.txt and run 'wc -l' on it", "${read.output.content}", "wc -l"),
        ("read notes.txt, then run `wc -l` on it", "${read.output.content}", "wc -l"),
        ("caption photo.jpg, then run 'grep cat' on the caption", "${caption.output.text}", "grep cat"),
        ("summarize notes.txt, then run 'wc -w' on the summary", "${summarize.output.text}", "wc -w"),
    ],
)
async def test_a_quoted_command_pointed_at_a_result_reads_it(task: str, source: str, command: str) -> None:
    nodes, warnings, _ = await _plan(task)
    # before: the command ran beside that work, given nothing (or the summary was summarized again)
    assert _run(nodes).args == {"cmd": command, "stdin": source}
    assert warnings == []


async def test_a_quoted_command_after_a_write_waits_for_it() -> None:
    nodes, _, _ = await _plan("write 'x' to out.txt and run 'cat out.txt'")
    run = _run(nodes)
    assert run.args == {"cmd": "cat out.txt"}
    assert run.depends_on == ["write"]


async def test_a_quoted_command_beside_other_work_is_not_fed_it() -> None:
    nodes, _, _ = await _plan("translate 'hello' and run 'echo ok'")
    run = _run(nodes)
    assert (run.args, run.depends_on) == ({"cmd": "echo ok"}, [])
    assert not any("echo ok" in json.dumps(n.args) for n in nodes if n is not run)


async def test_a_command_pointed_at_a_result_is_handed_no_other_data() -> None:
    nodes, warnings, _ = await _plan("summarize notes.txt and run ls on it")
    # before: notes.txt, the summary's file, was handed to the command too (a warning: given to no call)
    assert _run(nodes).args["stdin"] == "${summarize.output.text}"
    assert warnings == []
