"""A built-in tool's numbers are numbers: a yes or no in their place (YAML's, or JSON's true) is refused, as a
plan's own are (tests/test_plan_bounds.py), instead of read as 1 or 0 (`timeout_s: yes`, a one-second deadline)."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import ValidationError

from orchestra.tools.builtin import builtin_tools


def _number_fields() -> list[tuple[str, str]]:
    found = []
    for tool in builtin_tools():
        for name, field in tool.spec.input_model.model_fields.items():
            # `int | None` holds its number inside Annotated when it carries a validator
            kinds = {field.annotation, *(get_args(a)[0] if get_args(a) else a for a in get_args(field.annotation))}
            if {int, float} & kinds:
                found.append((tool.spec.name, name))
    return found


NUMBER_FIELDS = _number_fields()


def test_the_built_in_tools_have_numbers_to_check() -> None:
    assert {("sleep", "seconds"), ("shell", "timeout_s"), ("read_file", "max_bytes")} <= set(NUMBER_FIELDS)


@pytest.mark.parametrize(("tool", "field"), NUMBER_FIELDS)
def test_a_yes_or_no_is_no_number(tool: str, field: str) -> None:
    model = next(t for t in builtin_tools() if t.spec.name == tool).spec.input_model
    with pytest.raises(ValidationError) as refused:
        model.model_validate({field: True})
    said = [e["msg"] for e in refused.value.errors() if e["loc"][:1] == (field,)]
    assert said and "is yes or no, not a number" in said[0], refused.value


def _keys(schema: object) -> set[str]:
    if isinstance(schema, dict):
        return set(schema) | {k for v in schema.values() for k in _keys(v)}
    if isinstance(schema, list):
        return {k for v in schema for k in _keys(v)}
    return set()


def test_the_bounds_of_numbers_reach_the_schema_in_json_schemas_words() -> None:
    """A bound beside a validator on `int | None` came out as pydantic's own "gt", which a model or MCP
    client reading the schema does not know, in place of "exclusiveMinimum"."""
    for tool in builtin_tools():
        assert not _keys(tool.spec.input_model.model_json_schema()) & {"gt", "ge", "lt", "le"}, tool.spec.name
