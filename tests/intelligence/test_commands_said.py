"""Commands the request quotes after a verb of running are commands, each kept, and kept as written (fix47).
Requests written for these tests, with the built-ins and the media catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


async def _nodes(task: str, media: bool = False) -> list[tuple[str, dict[str, object]]]:
    result = await plan_task(task, default_registry([MEDIA] if media else []))
    assert result.execution.plan is not None, result.execution.problems
    return [(n.tool, dict(n.args)) for n in result.execution.plan.nodes]


@pytest.mark.parametrize(
    "task", ["run 'ls' and translate it", "run `ls` and translate it", 'run "ls" and translate it']
)
async def test_what_a_command_prints_is_what_it_is_asked_of(task: str) -> None:
    nodes = await _nodes(task, media=True)
    assert ("shell", {"cmd": "ls"}) in nodes
    (text,) = [args["text"] for tool, args in nodes if tool == "translate_text"]
    assert text == "${run.output.stdout}"  # before: the text "ls" (quoted) or a plan input (backquoted)


@pytest.mark.parametrize(
    "task",
    ["run 'ls -la' and 'pwd'", 'run "ls -la", "pwd"', "run the commands 'ls -la' then 'pwd'"],
)
async def test_every_command_quoted_is_run(task: str) -> None:
    commands = [args["cmd"] for tool, args in await _nodes(task) if tool == "shell"]
    assert commands == ["ls -la", "pwd"]  # before: "pwd" was dropped silently


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("""run 'echo "hi there"'""", 'echo "hi there"'),
        ("run 'echo `date`'", "echo `date`"),
        ("""run "sh -c 'echo hi'" """, "sh -c 'echo hi'"),
        ("""run 'grep "a b" notes.txt | sort; echo "x"'""", 'grep "a b" notes.txt | sort; echo "x"'),
    ],
)
async def test_a_quoted_command_keeps_what_it_holds(task: str, command: str) -> None:
    (cmd,) = [args["cmd"] for tool, args in await _nodes(task) if tool == "shell"]
    assert cmd == command  # before: `echo hi there`, the inner quotes lost


async def test_what_a_quote_holds_is_no_data_of_its_own() -> None:
    nodes = await _nodes("""translate 'she said "bonjour" to me'""", media=True)
    assert [args["text"] for tool, args in nodes if tool == "translate_text"] == ['she said "bonjour" to me']


async def test_a_text_run_through_a_tool_is_no_command() -> None:
    nodes = await _nodes("Run 'hello world' through the translator", media=True)
    assert [tool for tool, _ in nodes] == ["translate_text"]
