"""`validate` and a whole reference of alternatives, ``${a.output.x || b.output.y}``: the run takes the first
that is there and not null (orchestra/references.py), the last as it is. One that is certainly there and
never null is what the run takes, and is checked as that alternative alone; one that may be missing or
null leaves which is taken to the run, and passes.
"""

from __future__ import annotations

from typing import Any

import pytest

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan

REGISTRY = default_registry()
FETCH = {"id": "h", "tool": "http_request", "args": {"url": "https://example.com/a.txt"}}


def problems(*nodes: dict[str, Any], inputs: dict[str, Any] | None = None) -> list[str]:
    try:
        prepare_plan(parse_plan({"inputs": inputs or {}, "nodes": [FETCH, *nodes]}), REGISTRY)
    except PlanValidationError as exc:
        return exc.problems
    return []


def extract(text: str, **node: Any) -> dict[str, Any]:
    return {"id": "x", "tool": "extract_text", "args": {"text": text, "mode": "lines"}, **node}


@pytest.mark.parametrize(
    "text,inputs",
    [
        ("${h.output.status || h.output.text}", {}),  # the status is always there: a number, never text
        ("${h.output.nosuch || h.output.status || h.output.text}", {}),  # no such field: passed over
        ("${inputs.unset || h.output.status || h.output.text}", {"unset": None}),  # null: passed over
        ("${inputs.absent_later || h.output.status}", {}),  # an input not given: an unknown input, and the status
        ("${h.output.elapsed_ms || h.output.url}", {}),
    ],
)
def test_an_alternative_always_there_is_what_the_run_takes(text: str, inputs: dict[str, Any]) -> None:
    found = problems(extract(text), inputs=inputs)
    assert any("argument text" in problem and "gives a" in problem for problem in found), found


@pytest.mark.parametrize(
    "node",
    [
        extract("${h.output.json || h.output.text}"),  # json may be null: the text may be taken
        extract("${inputs.given || h.output.status}"),  # an input given is taken, as it is
        extract("${h.output.status || h.output.text} and more"),  # inside text: text whichever is taken
        {"id": "s", "tool": "sleep", "args": {"seconds": "${h.output.status || h.output.text}"}},  # a number
    ],
    ids=["nullable first", "input given", "inside text", "into a number"],
)
def test_what_the_argument_may_take_passes(node: dict[str, Any]) -> None:
    assert problems(node, inputs={"given": "a line"}) == []


def test_a_step_that_may_fail_and_let_its_readers_run_gives_no_certain_output() -> None:
    """With ``skip_on_error``, a failed step's readers run with its output null: the next alternative is read."""
    read = {"id": "r", "tool": "read_file", "args": {"path": "notes.txt"}}
    fetch = {**FETCH, "skip_on_error": True}
    node = extract("${h.output.status || r.output.content}")
    try:
        prepare_plan(parse_plan({"nodes": [fetch, read, node]}), REGISTRY)
    except PlanValidationError as exc:
        pytest.fail(f"refused: {exc.problems}")


def test_an_undo_is_certain_only_of_its_own_step() -> None:
    """An undo runs once the run ends, whichever steps ran: another step's output may be missing."""
    undo = {"tool": "write_file", "args": {"path": "undo.txt", "content": "${h.output.status || w.output.path}"}}
    write = {"id": "w", "tool": "write_file", "args": {"path": "a.txt", "content": "a"}, "compensation": undo}
    try:
        prepare_plan(parse_plan({"nodes": [FETCH, write]}), REGISTRY)
    except PlanValidationError as exc:
        pytest.fail(f"refused: {exc.problems}")
    own = {**undo, "args": {"path": "undo.txt", "content": "${w.output.bytes_written || h.output.text}"}}
    with pytest.raises(PlanValidationError, match="gives an integer"):
        prepare_plan(parse_plan({"nodes": [FETCH, {**write, "compensation": own}]}), REGISTRY)
