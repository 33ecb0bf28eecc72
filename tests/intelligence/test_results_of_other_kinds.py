"""A step is given the results of every kind its tool takes (plan142): a question asked about a picture made
before keeps the picture when a quote is its question, in each call when it is asked twice; a step whose words
the analysis found no tool for, but the selector did, takes what the step before it made when it points back
("then process it": a verb that says no work to the analysis, which the selector searched the catalogue by). Requests
and catalogue (`studio_tools.yaml`, with the built-ins as `client.py plan` has them) written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

STUDIO = Path(__file__).with_name("studio_tools.yaml")


async def _calls(task: str) -> list[tuple[str, dict[str, object]]]:
    """Each call's tool and arguments, its first call's id standing for "first" in what the calls take."""
    result = await plan_task(task, as_the_cli_plans(STUDIO))
    assert result.execution.plan is not None, result.execution.problems
    assert not result.execution.missing, result.execution.missing
    nodes = result.execution.plan.nodes
    first = "${" + nodes[0].id + ".output"
    return [(n.tool, {k: str(v).replace(first, "${first.output") for k, v in n.args.items()}) for n in nodes]


def _made_by(arg: object, node: str) -> bool:
    return isinstance(arg, str) and arg.startswith(f"${{{node}.output")


@pytest.mark.parametrize(
    "task",
    [
        "Turn 'hello' into speech, then process it.",
        "Speak 'hi there' for me, then process it.",
        "Turn 'hello' into speech, and after that process it please.",
    ],
)
async def test_a_step_found_by_the_selector_takes_what_it_points_at(task: str) -> None:
    calls = await _calls(task)
    assert [tool for tool, _ in calls] == ["speak_text", "restore_sound"]
    assert _made_by(calls[1][1]["audio"], "first"), calls  # the speech was asked for


@pytest.mark.parametrize(
    "task",
    [
        "Translate 'hello' into French and paint a picture of the translation. Then answer this question about the "
        "picture: 'What is the main element?'",
        "Translate 'hola' and paint a picture of it. Could you then answer 'How many boats are there?' about the "
        "picture?",
    ],
)
async def test_a_quoted_question_about_a_picture_made_is_asked_of_it_alone(task: str) -> None:
    calls = await _calls(task)
    asked = [args for tool, args in calls if tool == "ask_picture"]
    assert len(asked) == 1, calls  # the translation was a second question
    assert _made_by(asked[0]["image"], "paint"), asked  # the picture was asked for
    assert not str(asked[0]["question"]).startswith("$"), asked


async def test_a_picture_asked_two_questions_is_given_to_both_calls() -> None:
    calls = await _calls(
        "Paint a picture of a harbour and transcribe talk.wav. Then answer 'What colour is the sea?' and the "
        "transcript about the picture."
    )
    asked = [args for tool, args in calls if tool == "ask_picture"]
    assert len(asked) == 2, calls
    assert all(_made_by(args["image"], "first") for args in asked), asked  # each call asked for the picture
    assert {str(args["question"])[:14] for args in asked} == {"What colour is", "${transcribe.o"}
