"""The size limits a plan is checked against count what the server receives: UTF-8 bytes of the payload
as the converter writes it (pydantic's JSON, non-ASCII as it is, models without their defaults)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from orchestra.errors import PlanValidationError
from orchestra.limits import check_limits
from orchestra.plan import load_plan, parse_plan
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.validation import prepare_plan

REGISTRY = default_registry()
OFF = Settings(storage="off")  # Temporal's 2 MiB for every value


def problems(plan_source: dict[str, Any] | str, settings: Settings, tmp_path: Path | None = None) -> list[str]:
    if isinstance(plan_source, str):
        assert tmp_path is not None
        path = tmp_path / "plan.yaml"
        path.write_text(plan_source, encoding="utf-8")
        plan = load_plan(str(path), settings=settings)
    else:
        plan = parse_plan(plan_source)
    try:
        check_limits(prepare_plan(plan, REGISTRY), settings)
    except PlanValidationError as err:
        return err.problems
    return []


def test_arguments_of_non_ascii_text_that_fit_are_not_refused():
    """1.2 MB of '€' (400,000 characters) fit in 2 MiB: they were counted as their ASCII escapes, 2.4 MB."""
    content = "€" * 400_000
    plan = {"name": "euro", "nodes": [{"id": "w", "tool": "write_file", "args": {"path": "a.txt", "content": content}}]}
    assert problems(plan, OFF) == []


def test_a_plan_larger_than_the_limit_in_bytes_is_refused_though_its_characters_fit(tmp_path):
    """A 0.9 MB file whose alias repeats 300,000 '€' three times: 2.7 MB once expanded, 0.9 M characters.
    It was valid, and `run` then failed with Temporal's "Blob data size exceeds limit"."""
    big = "€" * 300_000
    text = "name: euro\nnodes:\n" + f'  - {{id: w0, tool: write_file, args: {{path: a0.txt, content: &big "{big}"}}}}\n'
    text += "".join(f"  - {{id: w{i}, tool: write_file, args: {{path: a{i}.txt, content: *big}}}}\n" for i in (1, 2))
    found = problems(text, OFF, tmp_path)
    assert any(p.startswith("the plan is 2,7") and "bytes as one value" in p for p in found), found


@pytest.mark.parametrize("count", [2_000, 4_000])
def test_the_plan_is_measured_as_it_is_sent_without_its_defaults(count):
    """A node's defaults (retry, timeouts…) are not sent (orchestra.converter): counting them made a plan
    4.6 times its size, so 100 KB of nodes were refused under a 200 KB limit."""
    nodes = [{"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(count)]
    limit = 60 * count  # sent: about 50 bytes a node; with the defaults, about 230
    settings = Settings(storage_max_payload_bytes=limit)
    assert problems({"name": "many", "nodes": nodes}, settings) == []
