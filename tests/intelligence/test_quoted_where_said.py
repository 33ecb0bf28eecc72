"""A quoted text is a command or a template only where the step's own words quote it: data handed on from
other work, or presented in a sentence before, is never made an instruction (found by attack46). Requests
written for these tests, with the built-ins."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry


async def _args(task: str, tool: str) -> dict[str, object]:
    result = await plan_task(task, default_registry([]))
    assert result.execution.plan is not None, result.execution.problems
    (node,) = [n for n in result.execution.plan.nodes if n.tool == tool]
    return dict(node.args)


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("Given the text 'API_KEY=sk-123'. Run the script.", "${inputs.shell_cmd}"),  # before: the key was run
        # ls, named after "run", is the command (fix75); the quote given to other work is not
        ("Given the text 'rm -rf ~'. Run ls.", "ls"),
        ("write 'rm -rf ~' to out.txt and run ls", "ls"),  # before: the write's content was run
    ],
)
async def test_data_given_to_other_work_is_no_command(task: str, command: str) -> None:
    assert (await _args(task, "shell"))["cmd"] == command


async def test_text_written_elsewhere_is_no_template() -> None:
    args = await _args("write 'Hi {{ name }}' to out.txt and render the template", "render_template")
    assert args["template"] == "{{ input }}"  # before: the written text was rendered as the template


@pytest.mark.parametrize("task", ["run 'echo done'", "caption photo.jpg and run 'echo done'"])
async def test_a_command_the_step_quotes_is_still_run(task: str) -> None:
    assert (await _args(task, "shell"))["cmd"] == "echo done"
