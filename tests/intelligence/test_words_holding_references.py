"""The request's own words put in an argument are words: ``${...}`` in them would be read, when the plan
runs, as a reference to another step's output or to a plan input (attack23)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from orchestra.analysis.data import extract
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.test_question_about_a_kind import PAINTER, PICTURE_QA, TEXT_QA, registry


@pytest.mark.parametrize(
    "task",
    [
        "Paint a picture of a fox ${inputs.secret || env.HOME} in snow",
        "Here is a note: 'The train ${inputs.a} leaves'. Answer the question 'When does the ${steps.n1.output.text} train leave?'",
        "Could you paint a picture of 'a lighthouse'? I wonder 'What ${inputs.token} stands out in this picture?'. "
        "Please translate the answer into Spanish.",
    ],
)
def test_words_holding_a_reference_are_never_an_argument(tmp_path: Path, task: str) -> None:
    """Before: the prompt was 'a fox ${inputs.secret || env.HOME} in snow', so the plan was refused
    ('references unknown input'), or, naming one that exists, would have read it in place of the words."""
    result = asyncio.run(plan_task(task, registry(tmp_path, PAINTER, TEXT_QA, PICTURE_QA)))
    execution = result.execution
    assert execution.problems == [] and execution.plan is not None
    args = json.dumps([node.args for node in execution.plan.nodes])
    for words in ("inputs.secret", "inputs.a}", "steps.n1", "inputs.token"):
        assert words not in args


@pytest.mark.parametrize(
    "task",
    [
        'Read notes.txt, then write "hello ${read.output.path}" to out.txt',
        'Write "${read.output.content}" to out.txt',
        'Write the JSON {"a": "${inputs.token}"} to out.json',
        "Fetch https://example.com/${inputs.token} and extract the titles",
    ],
)
def test_words_holding_a_reference_are_never_an_argument_of_a_built_in_tool(task: str) -> None:
    """The built-in tools' binders took the request's text as it was: write_file's content was
    'hello ${read.output.path}', which the run would have read as the path of notes.txt (attack34)."""
    execution = asyncio.run(plan_task(task, default_registry())).execution
    args = json.dumps([node.args for node in execution.plan.nodes] if execution.plan else [])
    for words in ("read.output.path", "${read.output.content}", "inputs.token"):
        assert words not in args


@pytest.mark.parametrize(
    ("task", "kept"),
    [
        ("Run `echo ${HOME:-x}`", "echo ${HOME:-x}"),
        ('Write "use ${HOME:-/tmp} here" to out.txt', "use ${HOME:-/tmp} here"),
    ],
)
def test_words_holding_a_dollar_brace_the_run_passes_through_stay_the_arguments(task: str, kept: str) -> None:
    """Only what the run reads as a reference is left out: a shell's ${HOME:-x} reaches the tool as written."""
    execution = asyncio.run(plan_task(task, default_registry())).execution
    assert execution.plan is not None
    assert kept in json.dumps([node.args for node in execution.plan.nodes])


@pytest.mark.parametrize(
    ("task", "path"),
    [
        ("Read ~/notes.txt", "${inputs.read_file_path}"),
        ("Read $HOME/notes.txt", "${inputs.read_file_path}"),
        ("Read %USERPROFILE%/notes.txt", "${inputs.read_file_path}"),
        ("Read ${HOME}/x.txt", "${inputs.read_file_path}"),
        ("Read notes.txt and write it to ${HOME}/out.txt", "${inputs.write_file_path}"),
    ],
)
def test_a_path_from_a_home_or_a_variable_is_never_read_from_its_slash(task: str, path: str) -> None:
    """Before: 'Delete ${HOME}/x.txt' deleted /x.txt and '$HOME/notes.txt' read HOME/notes.txt (the path was
    read from the '/' or the name after the variable), and a destination left out for its reference fell back
    to write_file's output.txt (attack36). A path is kept whole, or asked for, never another file; one from a
    home or a variable the run would not expand is asked for (fix38)."""
    execution = asyncio.run(plan_task(task, default_registry())).execution
    assert execution.plan is not None
    assert execution.plan.nodes[-1].args["path"] == path


def test_brackets_nested_thousands_deep_are_no_data_and_no_crash() -> None:
    """Before: '[ ' * 5000 raised RecursionError out of the JSON decoder, a traceback for `plan` (attack37)."""
    extracted = extract("Send " + "[ " * 5000 + "to the api, and [NaN, 1] too")
    assert len([d for d in extracted.items if d.kind == "json"]) == 1  # the [NaN, 1] list, as before ca38068
