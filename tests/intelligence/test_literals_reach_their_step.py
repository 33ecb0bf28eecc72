"""Each literal the request writes reaches the step it was given to, and only it (fix55). Requests written for these tests, with the built-ins and the media catalogue."""

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


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("run 'echo \\'hi\\''", "echo 'hi'"),
        ('run "echo \\"hi there\\""', 'echo "hi there"'),
        ("run 'grep \\'a b\\' notes.txt' and 'pwd'", "grep 'a b' notes.txt"),
    ],
)
async def test_quotes_escaped_inside_a_quote_are_the_quote_s(task: str, command: str) -> None:
    nodes, _, missing = await _plan(task)
    # before: the quote ended at the first escaped quote, and the command was asked for
    assert next(n.args["cmd"] for n in nodes if n.tool == "shell") == command
    assert missing == []


@pytest.mark.parametrize(
    "literal",
    [
        """'say "hi" now'""",
        '''"it's 'fine'"''',
        "'it\\'s fine'",
        '"say \\"hi\\""',
        """'see https://x.example/a?q="b"'""",
        "'5 kg and 3.5 km'",
        "'meet on 2024-05-01 at 10:30'",
        "'write to ann@example.com'",
        "'C:\\Users\\ann\\notes.txt is mine'",
        """'the file "my notes.txt" here'""",
        "'wait 5 seconds'",
        "'$5.00, please'",
    ],
)
@pytest.mark.parametrize("order", ["Translate {}, then summarize notes.txt", "Summarize notes.txt, then translate {}"])
async def test_a_quoted_text_reaches_its_step_and_only_it(literal: str, order: str) -> None:
    nodes, warnings, missing = await _plan(order.format(literal))
    said = literal[1:-1].replace("\\'", "'").replace('\\"', '"')
    (translate,) = [n for n in nodes if n.tool == "translate_text"]
    assert translate.args == {"text": said}
    assert not any(said in json.dumps(n.args) for n in nodes if n is not translate)
    assert (warnings, missing) == ([], [])
