"""A second catalogue the planner was not tuned for (finance_tools.yaml), scored by the same harness
as the benchmark (bench/planning_quality.py): each request's tools and data links against a gold
plan written by hand. Quoted words stand for the catalogue's own kinds of data (a ticker), steps
nobody asked for are added by data type (prices before a chart of 'TSLA'), and what nothing serves
is listed as missing while the rest is planned."""

from __future__ import annotations

import json
from pathlib import Path

from bench.planning_quality import Counts, Graph, prediction
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

FINANCE = Path(__file__).with_name("finance_tools.yaml")

# request -> (tools in plan order, data links as (from tool, to tool), a missing sub-goal or "")
GOLD: dict[str, tuple[list[str], set[tuple[str, str]], str]] = {
    "Get the closing prices of 'AAPL' for the last month and plot them as a chart.": (
        ["stock_prices", "price_chart"], {("stock_prices", "price_chart")}, ""),
    "Could you compute the returns of 'MSFT' and explain them to me in plain words?": (
        ["stock_prices", "returns", "explain_numbers"],
        {("stock_prices", "returns"), ("returns", "explain_numbers")}, ""),
    "Hi! Please convert '250 USD' to euros. Thanks!": (["fx_convert"], set(), ""),
    "I have my bank statement in statement.pdf. Can you list the transactions, flag any suspicious payments "
    "and email them to me@example.com?": (
        ["statement_transactions", "flag_fraud", "email_report"],
        {("statement_transactions", "flag_fraud"), ("flag_fraud", "email_report")}, ""),
    "Book a table for two at a sushi place, then chart the prices of 'NVDA'.": (
        ["stock_prices", "price_chart"], {("stock_prices", "price_chart")}, "Book a table"),
    "Chart 'TSLA' prices and email the chart to boss@example.com.": (
        ["stock_prices", "price_chart", "email_report"],
        {("stock_prices", "price_chart"), ("price_chart", "email_report")}, ""),
}  # fmt: skip


async def test_a_finance_catalogue_is_planned_like_its_gold_plans():
    nodes, edges = Counts(), Counts()
    for task, (tools, links, missing) in GOLD.items():
        result = await plan_task(task, default_registry([FINANCE]))
        execution = json.loads(result.model_dump_json())["execution"]
        predicted = prediction(execution["plan"])
        expected = Graph(
            [t.replace("_", " ") for t in tools], {(a.replace("_", " "), b.replace("_", " ")) for a, b in links}
        )
        nodes.add(set(predicted.nodes), set(expected.nodes))
        edges.add(predicted.edges, expected.edges)
        assert predicted.nodes == expected.nodes and predicted.edges == expected.edges, task
        assert (missing in " ".join(execution["missing"])) if missing else not execution["missing"], task
    assert nodes.f1() == edges.f1() == 100.0


async def test_quoted_words_stand_for_the_catalogues_own_kinds():
    result = await plan_task(
        "Chart 'TSLA' prices and email the chart to boss@example.com.", default_registry([FINANCE])
    )
    plan = result.execution.plan
    assert plan is not None
    args = {n.tool: n.args for n in plan.nodes}
    assert args["stock_prices"] == {"ticker": "TSLA"}
    assert args["email_report"]["to"] == "boss@example.com"
    assert args["email_report"]["body"].startswith("${chart")
