"""Work asked for with a participle not ending in "-ed" ("written", "sent", "drawn", "spoken", "rewritten"), asked to
be received or wished for, as "Can I get notes.txt translated?" is (attack114): "Can I get 'hello' written to
out.txt?" translated 'hello' ("written" read as no work: the quote to be given, a translator ranked for it) and
"Translate 'bonjour'. I'd like it written to out.txt." dropped the write unsaid."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "calls"),
    [
        ("Can I get 'hello' written to out.txt?", [("write_file", {"path": "out.txt", "content": "hello"})]),
        (
            "Translate 'bonjour'. I'd like it written to out.txt.",
            [
                ("translate_text", {"text": "bonjour"}),
                ("write_file", {"path": "out.txt", "content": "${translate.output.text}"}),
            ],
        ),
    ],
)
async def test_work_said_by_an_irregular_participle_is_done(task: str, calls: list[tuple[str, dict[str, str]]]) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None and not execution.missing, execution.missing
    assert [
        (n.tool, {k: n.args[k] for k in args}) for n, (_, args) in zip(execution.plan.nodes, calls, strict=True)
    ] == [(tool, args) for tool, args in calls]


async def test_work_wished_done_with_no_tool_is_said_missing() -> None:
    # "rewritten" was no work: the wish was dropped with nothing said
    execution = (
        await plan_task("Summarize notes.txt. We need the summary rewritten in plain words.", as_the_cli_plans(MEDIA))
    ).execution
    assert execution.missing and "rewrite the summary" in execution.missing[0]
