"""The request's literals reach the input their words say (fix66): files a quoted command is run on, quotes one
after another, quotes after "from" / "to", a quoted JSON value, durations said in words. Requests written for
these tests, with the built-ins, the media catalogue and a one-tool currency catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.plan import PlanNode
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import plan_read

HERE = Path(__file__).parent
MEDIA = HERE / "media_tools.yaml"
CURRENCY = HERE / "currency_tools.yaml"


def _args(nodes: list[PlanNode], tool: str) -> list[dict[str, object]]:
    return [n.args for n in nodes if n.tool == tool]


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("run 'wc -l' on notes.txt", "wc -l notes.txt"),
        ("run `sort -r` on notes.txt and todo.txt", "sort -r notes.txt todo.txt"),
        ("run 'wc -c' on 'my notes.txt'", "wc -c 'my notes.txt'"),
        ("run 'ls -la' on src/", "ls -la src/"),
        ("run 'wc -l' on -n.txt", "wc -l ./-n.txt"),
    ],
)
async def test_a_command_run_on_files_is_given_them_as_its_arguments(task: str, command: str) -> None:
    nodes, warnings, missing = await plan_read(task)
    # before: the file was given to no call (a warning) and the command ran without it
    assert _args(nodes, "shell") == [{"cmd": command}]
    assert (warnings, missing) == ([], [])


@pytest.mark.parametrize(
    ("task", "args"),
    [
        ("run 'make' in build/", {"cmd": "make", "cwd": "build/"}),
        ("run 'grep x' on notes.txt in the folder docs/", {"cmd": "grep x notes.txt", "cwd": "docs/"}),
    ],
)
async def test_a_folder_a_command_is_run_in_is_where_it_runs(task: str, args: dict[str, str]) -> None:
    nodes, warnings, _ = await plan_read(task)
    # before: the folder was given to no call; as an argument, "make build/" would build another target
    assert _args(nodes, "shell") == [args]
    assert warnings == []


async def test_a_command_run_on_a_result_still_reads_it_on_stdin() -> None:
    nodes, warnings, _ = await plan_read("read notes.txt and run 'wc -l' on it")
    assert _args(nodes, "shell") == [{"cmd": "wc -l", "stdin": "${read.output.content}"}]
    assert warnings == []


@pytest.mark.parametrize(
    ("task", "commands"),
    [
        ("run 'ls' 'pwd'", ["ls", "pwd"]),
        ("run 'ls' \"pwd\" and 'id'", ["ls", "pwd", "id"]),
    ],
)
async def test_quotes_one_after_another_after_run_are_commands_each(task: str, commands: list[str]) -> None:
    nodes, warnings, _ = await plan_read(task)
    # before: the second quote was given to no call
    assert sorted(str(a["cmd"]) for a in _args(nodes, "shell")) == sorted(commands)
    assert warnings == []


@pytest.mark.parametrize(
    "task",
    [
        "convert 100 'USD' to 'EUR'",
        "convert 100 from 'USD' into 'EUR'",
        "convert to 'EUR' from 'USD' 100",
    ],
)
async def test_quotes_go_to_the_inputs_their_way_words_name(task: str) -> None:
    nodes, warnings, missing = await plan_read(task, CURRENCY)
    # before: both quotes (and the amount) were asked for, the quotes warned of as given to no call; 'USD' was
    # given to the numeric amount, a plan the validation refused
    assert _args(nodes, "convert_currency") == [{"amount": 100, "from": "USD", "to": "EUR"}]
    assert (warnings, missing) == ([], [])


@pytest.mark.parametrize(
    "task",
    [
        "Translate '{\"a\": 1}', then summarize notes.txt",
        "Summarize notes.txt, then translate '{\"a\": 1}'",
    ],
)
async def test_a_quoted_json_value_is_text_to_a_text_input(task: str) -> None:
    nodes, warnings, missing = await plan_read(task, MEDIA)
    # before: first, the text was asked for; second, the summary was translated and the quote dropped in silence
    assert _args(nodes, "translate_text") == [{"text": '{"a": 1}'}]
    assert (warnings, missing) == ([], [])


async def test_a_quoted_json_value_is_json_to_an_input_taking_json() -> None:
    nodes, warnings, _ = await plan_read("write '{\"a\": [1, 2]}' to out.json")
    assert _args(nodes, "write_file") == [{"path": "out.json", "json": {"a": [1, 2]}}]
    assert warnings == []


async def test_json_no_call_takes_is_said() -> None:
    _, warnings, _ = await plan_read('Summarize notes.txt, then translate {"a": 1}', MEDIA)
    # before: the value was dropped without a word (left_out looked at no JSON)
    assert any('{"a":1}' in w and "given to no call" in w for w in warnings)


@pytest.mark.parametrize(
    ("said", "seconds"),
    [
        ("a minute", 60),
        ("half a minute", 30),
        ("an hour", 3600),
        ("half an hour", 1800),
        ("a couple of seconds", 2),
        ("90 secs", 90),
        ("1.5 minutes", 90),
        ("2 mins", 120),
        ("one and a half minutes", 90),
        ("a second", 1),
    ],
)
async def test_a_duration_said_in_words_is_waited(said: str, seconds: float) -> None:
    nodes, _, _ = await plan_read(f"Wait {said}, then read notes.txt aloud", MEDIA)
    # before: "a minute", "an hour"... were the sleep tool's default, 1 s
    assert _args(nodes, "sleep") == [{"seconds": seconds}]


async def test_an_hour_and_a_half_is_read_and_refused_as_past_the_workers_longest_tool_call() -> None:
    result = await plan_task("Wait an hour and a half, then read notes.txt aloud", default_registry([MEDIA]))
    assert any("5,400 is over 3,600" in p for p in result.execution.problems), result.execution.problems


@pytest.mark.parametrize("task", ["Summarize notes.txt a second time", "Transcribe an hour of talk.wav"])
async def test_a_unit_before_a_noun_is_no_wait(task: str) -> None:
    nodes, _, _ = await plan_read(task, MEDIA)
    assert _args(nodes, "sleep") == []
