"""Arguments breaking one rule of a tool's input schema many times show the rule once per check, not once per
value: each of a 50,000-item array's values outside a 6,000-value enum encoded the enum again (53 KB of JSON
each, 70 s of one check at load, the slowest test of the suite: test_costly_schemas' enum)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from orchestra.mcp.tools import arguments_model

VALUES = 6_000
SCHEMA = {"type": "object", "properties": {"x": {"type": "array", "items": {"enum": [f"v{i}" for i in range(VALUES)]}}}}


def test_a_rule_broken_by_many_values_is_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    model = arguments_model("h.enum", SCHEMA)
    real = json.dumps
    enums_encoded: list[int] = []

    def counting(value: Any, *args: Any, **kwargs: Any) -> str:
        if isinstance(value, list) and len(value) == VALUES:
            enums_encoded.append(len(value))
        return real(value, *args, **kwargs)

    monkeypatch.setattr(json, "dumps", counting)
    with pytest.raises(ValidationError) as refused:
        model.model_validate({"x": ["v1", *["zz"] * 1_000]})
    errors = refused.value.errors()
    assert len(errors) == 1_000 and {e["loc"] for e in errors} == {("x", i) for i in range(1, 1_001)}
    said = {e["msg"] for e in errors}
    assert said == {f'the value at $.x[{i}] breaks its schema\'s "enum": (a value of 52,890 characters of JSON)'
                    for i in range(1, 1_001)}  # fmt: skip
    assert len(enums_encoded) == 1, f"the enum was encoded {len(enums_encoded)} times for one check"
