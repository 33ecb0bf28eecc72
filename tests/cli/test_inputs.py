"""`--input K=V` values: JSON keeps its type, but what JSON cannot carry is refused before anything starts
(a number the run would receive as null, nesting the parser cannot read) and NaN/Infinity stay text."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cli

PLAN = "examples/slow_note.yaml"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("1e999", "the plan's inputs: seconds: inf is not a number JSON can carry"),
        ("[" * 5_000 + "]" * 5_000, "--input seconds: nested deeper than the JSON parser goes"),
        ('"\\udfff"', "the plan's inputs: seconds: a string with half a surrogate pair (\\udfff)"),
    ],
    ids=["overflowing number", "deep beyond the parser", "half a surrogate pair"],
)
async def test_an_input_json_cannot_carry_is_a_usage_error(value: str, says: str, cli: Cli) -> None:
    result = await cli("start", "--plan", PLAN, "--input", f"seconds={value}")
    assert result.code == 2, result.err
    assert says in result.err
    assert "Traceback" not in result.err and result.out == ""
