"""Whole-plan validation: each invalid case gives a specific error naming the node."""

from __future__ import annotations

from typing import Any

import pytest

from orchestra.errors import PlanValidationError
from orchestra.plan import load_plan, parse_plan
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan

REGISTRY = default_registry()


def problems(plan: dict[str, Any]) -> list[str]:
    with pytest.raises(PlanValidationError) as err:
        prepare_plan(parse_plan(plan), REGISTRY)
    return err.value.problems


def node(id: str, tool: str = "sleep", **fields: Any) -> dict[str, Any]:
    return {"id": id, "tool": tool, "args": fields.pop("args", {"seconds": 0}), **fields}


def test_unknown_tool_is_named_with_a_suggestion():
    [problem] = problems({"nodes": [node("a", "read_fil", args={"path": "x"})]})
    assert "node 'a'" in problem and "unknown tool 'read_fil'" in problem and "did you mean 'read_file'" in problem


def test_arguments_that_break_the_schema():
    found = problems({"nodes": [node("a", "sleep", args={"seconds": "soon", "extra": 1})]})
    assert any("node 'a'" in p and "argument seconds" in p for p in found)
    assert any("argument extra" in p for p in found)


def test_missing_required_argument():
    [problem] = problems({"nodes": [node("a", "read_file", args={})]})
    assert "node 'a'" in problem and "argument path" in problem and "required" in problem.lower()


def test_reference_to_unknown_node_and_input():
    found = problems({"nodes": [node("a", "read_file", args={"path": "${nope.output.path}"}),
                                node("b", "read_file", args={"path": "${inputs.where}"})]})  # fmt: skip
    assert any("node 'a'" in p and "unknown node 'nope'" in p for p in found)
    assert any("node 'b'" in p and "unknown input 'where'" in p for p in found)


def test_unknown_depends_on():
    [problem] = problems({"nodes": [node("a"), node("b", depends_on=["aa"])]})
    assert "node 'b'" in problem and "unknown node 'aa'" in problem


def test_cycle_reports_its_path():
    [problem] = problems(
        {"nodes": [node("a", depends_on=["c"]), node("b", depends_on=["a"]), node("c", depends_on=["b"])]}
    )
    assert "cycle" in problem
    path = problem.split("cycle ")[1].split(" -> ")
    assert path[0] == path[-1] and set(path) == {"a", "b", "c"}


def test_cycle_through_references():
    found = problems({"nodes": [node("a", "read_file", args={"path": "${b.output.path}"}),
                                node("b", "read_file", args={"path": "${a.output.path}"})]})  # fmt: skip
    assert any("cycle" in p for p in found)


def test_bad_condition_and_duplicate_ids():
    found = problems({"nodes": [node("a", condition="__import__('os')"), node("a")]})
    assert any("used by more than one node" in p for p in found)
    assert any("condition" in p for p in found)


def test_reference_values_are_checked_at_run_time_not_rejected():
    prepared = prepare_plan(
        parse_plan(
            {
                "nodes": [
                    node("a", "json_query", args={"data": [1], "expression": "length(@)"}),
                    node("b", "sleep", args={"seconds": "${a.output.result}"}),
                ]
            }
        ),
        REGISTRY,
    )
    assert prepared.deps["b"] == ["a"] and prepared.phases == [["a"], ["b"]]


def test_an_input_is_known_before_the_run_and_its_value_is_checked_where_it_goes():
    """`--input seconds=soon` for a plan whose step takes ``${inputs.seconds}`` as a number: refused at
    start, naming the input, not a run that fails at that step after the steps before it have run."""
    write = node("save", "write_file", args={"path": "${inputs.name}", "content": "x"})
    found = problems(
        {
            "inputs": {"seconds": "soon", "name": ["a", "list"], "ok": 1, "later": None},  # null: still to be given
            "nodes": [
                write,
                node("wait", "sleep", args={"seconds": "${inputs.seconds}"}, depends_on=["save"]),
                node("fine", "sleep", args={"seconds": "${ inputs.ok }"}),
                node("later", "sleep", args={"seconds": "${fine.output.slept_s}"}),
                node("given_later", "sleep", args={"seconds": "${inputs.later}"}),
                node("either", "sleep", args={"seconds": "${fine.output.slept_s || inputs.seconds}"}),
                node(
                    "alt", "read_file", args={"path": "x"}, alternatives=[{"tool": "write_file", "args": write["args"]}]
                ),
            ],
        }
    )
    assert len(found) == 3, found
    assert "node 'save': argument path for tool 'write_file'" in found[0] and "${inputs.name}" in found[0]
    assert (
        "node 'wait': argument seconds for tool 'sleep'" in found[1] and "(the value of ${inputs.seconds})" in found[1]
    )
    assert "node 'alt' alternative #1" in found[2]


def test_structural_errors_name_the_node(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("nodes:\n  - id: fetch\n    tool: http_request\n    retries: 3\n")
    with pytest.raises(PlanValidationError) as err:
        load_plan(path)
    assert "node 'fetch' field 'retries'" in str(err.value)


def test_a_long_node_id_that_failed_is_named_cut_with_its_place(tmp_path):
    """The id may be what failed its pattern, of any length: a 100,000-character id was quoted whole."""
    long_id = "run-" + "x" * 100_000 + " bad"
    path = tmp_path / "plan.yaml"
    path.write_text(f'nodes:\n  - id: "{long_id}"\n    tool: sleep\n    args: {{seconds: 0}}\n')
    with pytest.raises(PlanValidationError) as err:
        load_plan(path)
    message = str(err.value)
    assert long_id not in message and len(message) < 1_000, message[:300]
    assert "node 'run-xxx" in message and "(#1) field 'id'" in message


def test_malformed_yaml_is_reported(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("nodes: [unclosed\n")
    with pytest.raises(PlanValidationError) as err:
        load_plan(path)
    assert "not valid YAML" in str(err.value)


def test_a_reference_takes_the_first_alternative_that_is_there():
    from orchestra.references import ReferenceError_, iter_references, resolve

    scope = {"get": {"output": {"json": None, "text": "<p>", "n": 0}}, "inputs": {"x": 1}}
    assert resolve("${get.output.json || get.output.text}", scope) == "<p>"
    assert resolve("${get.output.n || get.output.text}", scope) == 0, "only null falls through, not falsy"
    assert resolve("${get.output.missing || inputs.x}", scope) == 1
    assert resolve("value: ${get.output.json || inputs.x}", scope) == "value: 1"
    assert list(iter_references("${a.output.b || c.state}")) == [("a", ["output", "b"]), ("c", ["state"])]
    with pytest.raises(ReferenceError_):
        resolve("${get.output.json || get.output.nothing}", scope)
