"""Any verb of starting a program runs the command it quotes, as "run" does: "launch 'ls'", "invoke 'ls -la'",
"fire up 'make test'" found no tool (the quote stayed text, which no tool took alone). With no quote after it
the verb says what it says: "launch the rocket" is no command. Requests written for these tests, with the
built-ins and the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("launch 'ls'", "ls"),
        ("invoke 'ls -la'", "ls -la"),
        ("Fire up 'make test'", "make test"),
        ("kick off the script './build.sh'", "./build.sh"),
        ("start 'pwd'", "pwd"),
    ],
)
async def test_a_verb_of_starting_a_program_runs_its_quote(task: str, command: str) -> None:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    (run,) = result.execution.plan.nodes
    assert run.tool == "shell" and run.args["cmd"] == command


def test_what_a_started_command_makes_is_worked_on() -> None:
    assert tools_chosen("Launch 'cat notes.txt' and translate its output") == ["shell", "translate_text"]


def test_a_launch_of_no_quote_is_no_command() -> None:
    assert "shell" not in tools_chosen("launch the rocket")
