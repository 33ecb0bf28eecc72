"""`--input K=V` values: JSON keeps its type, but what JSON cannot carry is refused before anything starts
(a number the run would receive as null, nesting the parser cannot read) and NaN/Infinity stay text."""

from __future__ import annotations

import pytest

from tests.cli.cli import Cli

PLAN = "examples/slow_note.yaml"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("1e999", "the plan's inputs: seconds: inf is not a number JSON can carry"),
        ("[" * 5_000 + "]" * 5_000, "--input seconds: nested deeper than the JSON parser goes"),
        ('"\\udfff"', "the plan's inputs: seconds: a string with half a surrogate pair (\\udfff)"),
        # Python reads at most 4,300 digits as an int: this became the text "999…", silently
        ("9" * 5_000, "--input seconds: a number of 5,000 digits: numbers are read up to 4,300 digits"),
        ("[1, -" + "9" * 4_301 + "]", "--input seconds: a number of 4,301 digits"),
    ],
    ids=["overflowing number", "deep beyond the parser", "half a surrogate pair", "too many digits", "nested"],
)
async def test_an_input_json_cannot_carry_is_a_usage_error(value: str, says: str, cli: Cli) -> None:
    result = await cli("start", "--plan", PLAN, "--input", f"seconds={value}")
    assert result.code == 2, result.err
    assert says in result.err
    assert "Traceback" not in result.err and result.out == ""


async def test_an_input_the_plan_does_not_take_is_refused_with_the_nearest_name(cli: Cli) -> None:
    """``--input secnods=1`` was added to the plan's inputs unseen, and the plan ran on its default."""
    result = await cli("validate", "--plan", PLAN, "--input", "secnods=1")
    assert result.code == 2, result.err
    assert "--input 'secnods': the plan takes no input of that name (did you mean 'seconds'?)" in result.err
    assert (await cli("validate", "--plan", PLAN, "--input", "seconds=1")).code == 0
