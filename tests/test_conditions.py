"""Conditions are evaluated inside workflow code: they must stay cheap whatever a plan writes."""

from __future__ import annotations

import pytest

from orchestra.conditions import ConditionError, evaluate

SCOPE = {"fetch": {"output": {"status": 200, "items": [1, 2, 3], "name": "report"}}, "inputs": {"limit": 2}}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("fetch.output.status == 200 and len(fetch.output.items) > inputs.limit", True),
        ("fetch.output.items[0] * 10 + 1 == 11", True),
        ("'rep' in fetch.output.name and not fetch.output.status >= 400", True),
        ("fetch.output.name + '.md' == 'report.md'", True),
    ],
)
def test_ordinary_conditions(expression, expected):
    assert evaluate(expression, SCOPE) is expected


@pytest.mark.parametrize(
    "expression",
    [
        "len(str([0] * 60000000)) > 0",
        "len('x' * 100000000) > 0",
        "len(fetch.output.items * 50000000) > 0",
    ],
)
def test_expressions_that_would_build_huge_values_are_refused(expression):
    with pytest.raises(ConditionError) as err:
        evaluate(expression, SCOPE)
    assert "numbers only" in str(err.value)


def test_long_expressions_are_refused():
    with pytest.raises(ConditionError, match="longer than"):
        evaluate(" or ".join(["fetch.output.status == 200"] * 100), SCOPE)


def test_calls_and_attributes_of_python_objects_are_refused():
    for expression in ("__import__('os').system('id')", "fetch.output.name.upper()", "().__class__"):
        with pytest.raises(ConditionError):
            evaluate(expression, SCOPE)


@pytest.mark.parametrize("levels", [201, 300, 3000])
def test_brackets_nested_too_deep_are_refused_for_their_depth(levels):
    with pytest.raises(ConditionError, match=f"nested {levels:,} brackets deep; at most 200"):
        evaluate("(" * levels + "fetch.output.status == 200" + ")" * levels, SCOPE)


def test_brackets_inside_quoted_text_are_not_nesting():
    with pytest.raises(ConditionError, match="longer than 1000 characters"):
        evaluate("fetch.output.name != '" + "(" * 600 + "\\'" + "[" * 600 + "'", SCOPE)
    assert evaluate("(" * 200 + "fetch.output.status == 200" + ")" * 200, SCOPE)
