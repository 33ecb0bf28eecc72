"""What a command is run on and how long a wait is, as the user said it (attack82): a command run "on" files
reads them, so where the program would write one (sort's -o, uniq's second operand, tee's operands) it is asked for
whole and the file said why, never run; a number no reading of durations took is asked for, not slept as 1 s."""

from __future__ import annotations

import pytest

from orchestra.commands import written_operands
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry


@pytest.mark.parametrize(
    ("task", "written"),
    [
        ("Run uniq on a.txt and b.txt", "b.txt"),  # was `uniq a.txt b.txt`: a.txt's lines over b.txt
        ("run 'uniq -c' on a.txt and b.txt", "b.txt"),
        ("Run sort -o on notes.txt", "notes.txt"),  # was `sort -o notes.txt`: emptied from an empty stdin
        ("run 'sort -u -o' on notes.txt", "notes.txt"),
        ("run 'tee' on notes.txt", "notes.txt"),
        ("run 'sort --o' on notes.txt", "notes.txt"),  # was `sort --o notes.txt` (attack86): it overwrote it
        ("run 'uniq --skip-f 1 a.txt' on b.txt", "b.txt"),
        ("run 'uniq --check 2 a.txt' on b.txt", "b.txt"),
    ],
)
async def test_a_command_that_would_write_the_file_it_runs_on_is_asked_for(task: str, written: str) -> None:
    result = await plan_task(task, default_registry())
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    commands = [n.args.get("cmd") for n in plan.nodes if n.tool == "shell"]
    assert commands == ["${inputs.shell_cmd}"], commands  # one call, asked for, none run
    assert any(f"'{written}'" in w and "the command would write" in w for w in result.execution.warnings)


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("run uniq on notes.txt", "uniq notes.txt"),
        ("run sort on a.txt and b.txt", "sort a.txt b.txt"),
        ("run 'sort -o out.txt' on notes.txt", "sort -o out.txt notes.txt"),  # the user said where it writes
        ("run wc on a.txt and b.txt", "wc a.txt b.txt"),
    ],
)
async def test_a_command_reading_the_files_it_runs_on_still_runs_on_them(task: str, command: str) -> None:
    result = await plan_task(task, default_registry())
    assert result.execution.plan is not None
    assert [n.args.get("cmd") for n in result.execution.plan.nodes] == [command]


async def test_files_from_a_home_make_one_call_asked_for_not_a_bare_run() -> None:
    """Two files from a home fanned out: the command's own call ran `wc -l` on an empty stdin."""
    result = await plan_task("run 'wc -l' on ~/a.txt and ~/b.txt", default_registry())
    assert result.execution.plan is not None
    assert [n.args.get("cmd") for n in result.execution.plan.nodes] == ["${inputs.shell_cmd}"]


@pytest.mark.parametrize(
    ("program", "args", "written"),
    [
        ("sort", ["-o", "a"], ["a"]),
        ("sort", ["-uoa", "b"], ["a"]),
        ("sort", ["--output=a", "b"], ["a"]),
        ("sort", ["--outp", "a", "b"], ["a"]),
        ("sort", ["-k", "o", "b"], []),
        ("sort", ["--o", "a"], ["a"]),  # GNU takes any unique prefix: "--o" is --output (attack86)
        ("sort", ["--o=a", "b"], ["a"]),
        ("sort", ["--field-s", "o", "a"], []),  # a value taken by an abbreviated option is no operand
        ("sort", ["--unique", "a"], []),
        ("uniq", ["--skip-f", "1", "a", "b"], ["b"]),  # was ["a"]: "1" counted as the input
        ("uniq", ["--check", "2", "a", "b"], ["b"]),  # "--check" is a prefix of --check-chars only
        ("uniq", ["--count", "a", "b"], ["b"]),
        ("tee", ["--app", "a"], ["a"]),
        ("uniq", ["-f", "1", "a", "b"], ["b"]),
        ("uniq", ["--", "-a", "-b"], ["-b"]),
        ("tee", ["-a", "a", "b"], ["a", "b"]),
        ("wc", ["a", "b"], []),
    ],
)
def test_written_operands_in_every_spelling(program: str, args: list[str], written: list[str]) -> None:
    assert written_operands(program, args) == written


@pytest.mark.parametrize(
    "task", ["Sleep 2m", "Sleep 1e3 seconds", "Sleep 1h1h1h", "Sleep " + "9" * 400 + " hours", "Sleep 5"]
)
async def test_a_number_no_duration_read_is_asked_for_not_slept_as_one_second(task: str) -> None:
    """Each slept the tool's default of 1 s in silence."""
    result = await plan_task(task, default_registry())
    assert result.execution.plan is not None
    assert [n.args for n in result.execution.plan.nodes] == [{"seconds": "${inputs.sleep_seconds}"}]
    assert result.execution.missing_inputs == ["sleep_seconds"]


@pytest.mark.parametrize(("task", "seconds"), [("Sleep", 1.0), ("wait a bit", 1.0), ("Sleep 2 minutes", 120.0)])
async def test_a_wait_with_no_number_or_a_read_one_is_as_before(task: str, seconds: float) -> None:
    result = await plan_task(task, default_registry())
    assert result.execution.plan is not None
    assert [n.args for n in result.execution.plan.nodes] == [{"seconds": seconds}]
