"""`validate` and `start` of a plan with thousands of problems print the first ones and how many more, not
a line each (10,000 lines for a 10,000-step bad plan); `validate --json` lists them all, for a program."""

from __future__ import annotations

from pathlib import Path

from orchestra.cli.errors import SHOWN_PROBLEMS, problem_lines
from tests.cli.cli import Cli, write_plan

STEPS = 2_000


def bad_plan(steps: int) -> dict[str, object]:
    return {"name": "bad", "nodes": [{"id": f"s{n}", "tool": "no_such_tool", "args": {}} for n in range(steps)]}


async def test_thousands_of_problems_are_listed_first_and_counted(cli: Cli, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, bad_plan(STEPS))
    for command in ("validate", "start"):
        shown = await cli(command, "--plan", plan)
        assert shown.code == 2, shown.out + shown.err
        listed = [line for line in shown.err.splitlines() if line.startswith("  - ")]
        assert len(listed) == SHOWN_PROBLEMS, shown.err[-2000:]
        assert "s0" in listed[0], listed[0]
        assert f"… and {STEPS - SHOWN_PROBLEMS:,} more problems" in shown.err, shown.err[-2000:]
        assert f"({STEPS:,} problems)" in shown.err and "nothing was started" in shown.err
    whole = await cli("validate", "--plan", plan, "--json")
    assert whole.code == 2 and len(whole.json["problems"]) >= STEPS, whole.err


def test_a_few_problems_are_listed_whole_and_each_on_one_line() -> None:
    assert problem_lines(["a", "b"]) == ["  - a", "  - b"]
    [line] = problem_lines(["x\n" * 5_000])
    assert "\n" not in line and len(line) < 1_100
    assert problem_lines(["p"] * 3, "missing part", shown=2)[-1] == "  … and 1 more missing part"
