"""A call of a step that fans out over the request's items describes its own item, not all of them: every
call carried the whole clause, so a download of 100 / 400 URLs wrote 250 kB / 3.6 MB of plan, and the plan
check that reads every description took quadratic time in the request's length."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry


async def test_each_call_names_its_own_item_only() -> None:
    urls = [f"https://example.com/f{i}.txt" for i in range(40)]
    result = await plan_task("Download " + ", ".join(urls), default_registry())
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    assert sorted(n.description or "" for n in plan.nodes) == sorted(f"Download [{url}]" for url in urls)


async def test_a_call_over_json_values_is_described_by_its_clause() -> None:
    # a JSON value is no text to look for in the clause: the description cut at it raised a TypeError
    result = await plan_task('query {"a": 1} and {"b": 2} with the expression a', default_registry())
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    assert [n.tool for n in plan.nodes] == ["json_query", "json_query"]
    assert all((n.description or "").startswith("query ") for n in plan.nodes)
