"""The check that no step's result completes a ``${secrets.…}`` reference runs in workflow code, on every
string argument: its cost must grow with the string, not with the namings times the results (a plan of
thousands of each held the workflow task for seconds, past Temporal's deadlock detection). Counted in
lines run, not in time."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

from orchestra import references
from orchestra.references import ReferenceError_, resolve

PAIRS = 1_000
# A sweep runs a few lines per naming and per result; a pair for each would run about 2 * PAIRS**2.
MOST_LINES = 20 * PAIRS


def _lines_run_by_the_check(text: str, scope: dict[str, Any]) -> int:
    lines = 0
    code = references._naming_no_secret_across.__code__

    def local(frame: FrameType, event: str, _arg: Any) -> Any:
        nonlocal lines
        if event == "line":
            lines += 1
        return local if lines <= MOST_LINES else None

    def calls(frame: FrameType, event: str, _arg: Any) -> Any:
        return local if event == "call" and frame.f_code is code else None

    sys.settrace(calls)
    try:
        resolve(text, scope)
    finally:
        sys.settrace(None)
    return lines


def test_the_check_is_one_sweep_over_namings_and_results() -> None:
    text = "${secrets.KEY} ${page.output} " * PAIRS
    lines = _lines_run_by_the_check(text, {"page": {"output": "x"}, "inputs": {}})
    assert 0 < lines <= MOST_LINES, lines


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("${a.output}${b.output}", "$", "{secrets.KEY}"),
        ("$${b.output}", "", "{secrets.KEY}"),
        ("${secrets.${b.output}}", "", "KEY"),
        ("${secrets.KEY} ${a.output} ${secrets.${b.output}}", "x", "KEY"),
    ],
)
def test_a_result_completing_a_naming_is_refused_wherever_it_stands(text: str, first: str, second: str) -> None:
    with pytest.raises(ReferenceError_, match="may not name a secret"):
        resolve(text, {"a": {"output": first}, "b": {"output": second}, "inputs": {}})


def test_results_beside_a_plans_own_naming_are_kept() -> None:
    scope = {"a": {"output": "x"}, "b": {"output": "y"}, "inputs": {}}
    assert resolve("${a.output} ${secrets.KEY}${b.output}", scope) == "x ${secrets.KEY}y"
