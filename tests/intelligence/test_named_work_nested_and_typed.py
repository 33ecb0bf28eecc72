"""Work named one on another ("the translation of the summary of notes.txt") is each a step, innermost first; a
command run on the results of fanned-out steps is each call's; a quote a typed input's type does not read is
said to be no such value. Requests written for these tests, with the media catalogue and a catalogue of typed
inputs (plan84)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, output_of, whole_plan

TYPED = Path(__file__).with_name("typed_tools.yaml")


def _chain(plan: Plan) -> list[str]:
    """The tools of a plan whose every node takes the one before it, in that order, checked as they go."""
    for before, node in zip(plan.nodes, plan.nodes[1:], strict=False):
        assert any(output_of(before.id, "").rstrip("}") in str(v) for v in node.args.values()), (before, node)
    return [n.tool for n in plan.nodes]


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        # before: the translation was dropped in silence (the noun nearest the file only was read)
        (
            "Paint a picture of the translation of the summary of notes.txt",
            ["read_file", "summarize_text", "translate_text", "text_to_image"],
        ),
        (
            "Paint a picture of the translation of the summary of 'the meeting ran late'",
            ["summarize_text", "translate_text", "text_to_image"],
        ),
        # before: the summary was dropped (the recording's converter is put in front by the analysis)
        (
            "Paint a picture of the summary of the transcript of talk.mp3",
            ["transcribe_audio", "summarize_text", "text_to_image"],
        ),
        (
            "Paint a picture of the translation of the summary of the transcript of talk.mp3",
            ["transcribe_audio", "summarize_text", "translate_text", "text_to_image"],
        ),
        ("Paint a picture of the translation of talk.mp3", ["transcribe_audio", "translate_text", "text_to_image"]),
        # one noun, or a noun that is the reading itself, as before
        ("Paint a picture of the translation of notes.txt", ["read_file", "translate_text", "text_to_image"]),
        ("Paint a picture of the transcript of talk.mp3", ["transcribe_audio", "text_to_image"]),
    ],
)
async def test_each_noun_of_work_said_one_on_another_is_a_step_innermost_first(task: str, tools: list[str]) -> None:
    assert _chain(await whole_plan(task)) == tools


async def test_a_command_run_on_the_results_of_calls_is_each_calls() -> None:
    # before: the calls after the two reads were given no command, and it was asked for
    plan = await whole_plan("read a.txt and b.txt, then run 'wc -l' on them")
    runs = [n.args for n in plan.nodes if n.tool == "shell"]
    reads = [n.id for n in plan.nodes if n.tool == "read_file"]
    assert runs == [{"cmd": "wc -l", "stdin": output_of(r)} for r in reads] and len(reads) == 2


@pytest.mark.parametrize(
    ("task", "quote", "takes"),
    [
        ("Roll '1e400' dice", "1e400", "an integer"),
        ("Roll 'five' dice", "five", "an integer"),
        ("Scale the recipe by 'double'", "double", "a number"),
    ],
)
async def test_a_quote_a_typed_input_does_not_read_is_said_to_be_no_such_value(
    task: str, quote: str, takes: str
) -> None:
    # before: "given to no call; say where it goes", though where it went was plain, and its type was wrong
    result = await plan_task(task, default_registry([TYPED, MEDIA]))
    assert result.execution.missing_inputs, result.execution
    (warning,) = result.execution.warnings
    assert warning.startswith(f"'{quote}'") and f"is not {takes}" in warning and "no call" not in warning
