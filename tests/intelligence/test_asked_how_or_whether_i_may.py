"""A question how to do something, or whether the user may, is no request for it (plan101): "Do you know how to
delete notes.txt?" and "How do I delete notes.txt?" planned delete_file; "Can I delete notes.txt?" failed with "no
action found", as if nothing had been said. The work is reported missing with its words, at most told."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Do you know how to delete notes.txt?",
        "How do I delete notes.txt?",
        "How should I run 'rm -rf x'?",
        "Can I delete notes.txt?",
        "May I run 'rm -rf x'?",
    ],
)
@pytest.mark.parametrize("media", [False, True])
async def test_asked_how_or_whether_one_may_nothing_is_done(task: str, media: bool) -> None:
    result = await plan_task(task, as_the_cli_plans(*([MEDIA] if media else [])))
    execution = result.execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert not [(n.tool, n.args) for n in nodes if n.tool in {"delete_file", "shell", "write_file", "http_request"}]
    assert {n.tool for n in nodes} <= {"answer_question"}
    if not nodes:
        assert execution.missing


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("Can you delete notes.txt?", "delete_file"),
        ("Could you run 'ls'?", "shell"),
        ("Can we translate 'x'?", "translate_text"),
        ("How could we translate 'x'?", "translate_text"),
        ("Can I then use 'x' and translate it?", "translate_text"),
    ],
)
async def test_a_request_asked_of_the_assistant_is_still_done(task: str, tool: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None and not result.execution.missing
    assert [n.tool for n in result.execution.plan.nodes] == [tool]
