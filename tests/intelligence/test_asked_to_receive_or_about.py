"""Questions that ask to receive a thing, and questions about work (plan104). "Can I see the summary of notes.txt?",
"Can I get notes.txt translated?", "Could I have a caption for a.jpg?" found no action: asking to receive a thing is
a request for it, as "show me ..." / "give me ..." is; "Can I delete notes.txt?" asks leave, and does nothing. A
question about work asks a tool that tells with its words, not the work's quote ("Is it safe to translate 'x'?" gave
q = "x"), and a question's step with no tool says the true reason (delete_file, added after analysis, was "no
registered tool matches"). A question goes on as the user wrote it ("... France and what is its population?" lost
its "and")."""

from __future__ import annotations

import pytest

from orchestra.analysis.models import TaskAnalysisError
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _calls(task: str) -> list[tuple[str, dict[str, object]]]:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None and not result.execution.missing, result.execution.missing
    return [(n.tool, dict(n.args)) for n in result.execution.plan.nodes]


@pytest.mark.parametrize(
    ("task", "tools", "given"),
    [
        ("Can I see the summary of notes.txt?", ["read_file", "summarize_text"], "notes.txt"),
        ("Can I get notes.txt translated?", ["read_file", "translate_text"], "notes.txt"),
        ("Could I have a caption for a.jpg?", ["caption_image"], "a.jpg"),
        ("May I get the photo a.jpg captioned?", ["caption_image"], "a.jpg"),
        ("Can we please get a transcript of a.wav?", ["transcribe_audio"], "a.wav"),
    ],
)
async def test_asking_to_receive_a_thing_asks_for_it(task: str, tools: list[str], given: str) -> None:
    calls = await _calls(task)
    assert [tool for tool, _ in calls] == tools
    assert given in calls[0][1].values()


@pytest.mark.parametrize("task", ["Can I delete notes.txt?", "May I run 'rm -rf x'?"])
async def test_asking_leave_does_nothing_and_says_why(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is None or not execution.plan.nodes
    assert execution.missing
    assert "a question does not ask for" in execution.missing[0]


@pytest.mark.parametrize(
    "task",
    [
        "Can I see what happens if I delete notes.txt?",
        "Can I see whether notes.txt is deleted when you run 'rm notes.txt'?",
        "Could I see it?",
    ],
)
async def test_asking_to_see_what_work_would_do_does_none(task: str) -> None:
    try:
        execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    except TaskAnalysisError:
        return  # "no action found": nothing done
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert not [n for n in nodes if n.tool in {"delete_file", "shell", "write_file"}]


@pytest.mark.parametrize("task", ["Is it safe to translate 'x'?", "Is it wise to summarize 'some long text'?"])
async def test_a_question_about_work_asks_its_words_not_the_quote(task: str) -> None:
    # the context is asked for (an input), so not through _calls
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    calls = [(n.tool, dict(n.args)) for n in result.execution.plan.nodes]
    assert [tool for tool, _ in calls] == ["answer_question"]
    assert str(calls[0][1]["q"]).split()[:3] == task.split()[:3]


@pytest.mark.parametrize(
    ("task", "question"),
    [
        (
            "What is the capital of France and what is its population?",
            "What is the capital of France and what is its population",
        ),
        ("Who wrote Hamlet; when was it written?", "Who wrote Hamlet; when was it written"),
    ],
)
async def test_a_question_is_asked_as_written(task: str, question: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    assert [str(n.args["q"]) for n in result.execution.plan.nodes] == [question]
