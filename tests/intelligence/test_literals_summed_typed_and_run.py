"""The request's literals as the user meant them (fix75): a duration said in parts is one, "the original" is the
user's own beside "it", a quoted number is the number a typed input takes, a program named unquoted after "run"
is the command, and a command run on a path no one would read as written is asked for. Requests written for
these tests, with the built-ins, the media catalogue and a catalogue of typed inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis.data import extract
from orchestra.analysis.models import TaskStep
from orchestra.plan import PlanNode
from orchestra.planning.binding import bind
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import plan_read

HERE = Path(__file__).parent
MEDIA = HERE / "media_tools.yaml"
TYPED = HERE / "typed_tools.yaml"


def _args(nodes: list[PlanNode], tool: str) -> dict[str, object]:
    return next(n.args for n in nodes if n.tool == tool)


@pytest.mark.parametrize(
    ("task", "seconds"),
    [
        ("Sleep 2 minutes and 10 seconds", 130.0),
        ("Wait 1 minute 30 seconds, then list the files", 90.0),
        ("Sleep 20 minutes, 30 seconds", 1230.0),
        ("Sleep 1m30s", 90.0),
        ("Sleep 5m10s", 310.0),
        ("Wait a few seconds, then list the files", 3.0),
        ("Wait several seconds", 5.0),
    ],
)
async def test_a_duration_said_in_parts_is_one_summed(task: str, seconds: float) -> None:
    """Before: two durations, the sleep took the first (120 s, 60 s, 1,200 s); "1m30s" and "a few seconds" were
    none (the default 1 s)."""
    nodes, _, _ = await plan_read(task)
    assert _args(nodes, "sleep") == {"seconds": seconds}


@pytest.mark.parametrize("task", ["Sleep 1 hour 30 minutes", "Sleep 1h30m", "Wait an hour and a half"])
async def test_a_duration_in_parts_past_the_workers_longest_call_is_refused_whole(task: str) -> None:
    """Said as "1 hour 30 minutes" the sleep took the hour (3,600 s, within the limit): now 5,400 s, refused at planning."""
    result = await plan_task(task, default_registry())
    assert result.execution.plan is None
    assert any("5,400 is over 3,600" in p for p in result.execution.problems), result.execution.problems


def test_durations_whose_units_do_not_shrink_stay_apart() -> None:
    assert [d.value for d in extract("Sleep 5 seconds and 10 seconds").items] == [5.0, 10.0]


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt. Compare it with the original text",
        "Summarize notes.txt, then compare the summary with the source",
        "Translate notes.txt into French. Compare it with the input",
    ],
)
async def test_the_original_is_what_the_earlier_step_read_and_it_the_result(task: str) -> None:
    """Before: "the original" was the only text given (the summary left out, the other text asked for), or "the
    source" was not read as one (the other text asked for)."""
    nodes, _, missing = await plan_read(task, MEDIA)
    worked = next(n for n in nodes if n.tool in ("summarize_text", "translate_text"))
    assert set(_args(nodes, "sentence_similarity").values()) == {
        f"${{{worked.id}.output.text}}",
        "${read.output.content}",
    }
    assert missing == []


async def test_the_source_language_is_no_original() -> None:
    nodes, _, _ = await plan_read("Translate notes.txt from the source language to French", MEDIA)
    assert [n.tool for n in nodes] == ["read_file", "translate_text"]


@pytest.mark.parametrize(
    ("task", "args"),
    [
        ("Roll '5' dice", {"dice": 5}),
        ('Scale the recipe by "3.5"', {"factor": 3.5}),
        ("Look up the postcode '10115'", {"postcode": "10115"}),
    ],
)
async def test_a_quoted_number_binds_as_the_type_its_input_takes(task: str, args: dict[str, object]) -> None:
    """Before: '5' was given to no input of type integer (asked for, the quote warned of), '3.5' went to a number
    as the string "3.5"."""
    nodes, warnings, _ = await plan_read(task, TYPED)
    assert nodes[0].args == args
    assert warnings == []


@pytest.mark.parametrize(("task", "quote"), [("Roll 'five' dice", "five"), ("Roll '3.5' dice", "3.5")])
async def test_a_quote_the_type_does_not_read_is_asked_for(task: str, quote: str) -> None:
    nodes, warnings, missing = await plan_read(task, TYPED)
    assert nodes[0].args == {"dice": "${inputs.roll_dice_dice}"} and missing == ["roll_dice_dice"]
    assert any(f"'{quote}'" in w for w in warnings), warnings


@pytest.mark.parametrize(("params", "args", "missing"), [(10115, {"postcode": "10115"}, [])])
def test_a_number_hinted_for_a_text_input_is_its_text(params: object, args: object, missing: object) -> None:
    """A hint of the wrong type (a number for a string, an LLM planner's) was passed, to fail at the call."""
    spec = default_registry([TYPED]).get("lookup_postcode").spec
    step = TaskStep(id="look", action="look up the postcode", capability="look", params={"postcode": params})
    binding = bind(spec, step, None, [], collect=False)
    assert (binding.args, binding.missing_inputs) == (args, missing)


@pytest.mark.parametrize("hint", ["many", 3.5])
def test_a_hint_no_integer_reads_is_asked_for(hint: object) -> None:
    spec = default_registry([TYPED]).get("roll_dice").spec
    step = TaskStep(id="roll", action="roll dice", capability="roll", params={"dice": hint})
    binding = bind(spec, step, None, [], collect=False)
    assert (binding.args, binding.missing_inputs) == ({}, ["dice"])


@pytest.mark.parametrize(
    ("task", "args"),
    [
        ("run wc on notes.txt", {"cmd": "wc notes.txt"}),
        ("Run wc -l on notes.txt and todo.txt", {"cmd": "wc -l notes.txt todo.txt"}),
        ("execute the command sort on notes.txt", {"cmd": "sort notes.txt"}),
        ("run ls -la in src/", {"cmd": "ls -la", "cwd": "src/"}),
        ("run 'wc -l' on /srv/notes.txt", {"cmd": "wc -l /srv/notes.txt"}),
        ("run 'wc -l' on docs/../notes.txt", {"cmd": "wc -l docs/../notes.txt"}),  # above it: asked (plan141)
        ("run 'wc -l' on ./notes.txt", {"cmd": "wc -l ./notes.txt"}),
    ],
)
async def test_a_program_named_after_run_is_run_on_its_files(task: str, args: dict[str, str]) -> None:
    """Before: "run wc on notes.txt" asked for the command and warned notes.txt was given to no call."""
    nodes, warnings, missing = await plan_read(task)
    assert _args(nodes, "shell") == args
    assert (warnings, missing) == ([], [])


@pytest.mark.parametrize("task", ["run grep on notes.txt", "run the report on notes.txt"])
async def test_a_run_that_names_no_whole_command_asks_for_it(task: str) -> None:
    """grep says no pattern, "the report" no program: neither is made a command."""
    result = await plan_task(task, default_registry())
    plan = result.execution.plan
    assert plan is None or all(n.args.get("cmd") in (None, "${inputs.shell_cmd}") for n in plan.nodes)


@pytest.mark.parametrize("task", ["run 'wc -l' on ~/notes.txt", "run wc on $HOME/notes.txt"])
async def test_a_command_run_on_a_path_read_as_written_by_no_one_is_asked_for(task: str) -> None:
    """Before: `wc -l` ran without the file (on an empty standard input), the path warned of as given to no call."""
    nodes, warnings, missing = await plan_read(task)
    assert _args(nodes, "shell") == {"cmd": "${inputs.shell_cmd}"} and missing == ["shell_cmd"]
    assert len(warnings) == 1 and "would not read as written" in warnings[0], warnings
