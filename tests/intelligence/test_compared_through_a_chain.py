"""A quote named before a result made of a file is compared as ``a`` even when the result's file was read by a
step before it: "compare 'hello' with the summary of notes.txt" gave the summary to ``a`` (the file had moved
from the summarizer to its reader, where the order check did not look). Requests written for these tests,
with the media catalogue (sentence_similarity: a, b; summarize_text) and the built-ins."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from tests.intelligence.reading import output_of, whole_plan


def _compared_and_made(plan: Plan, tool: str) -> tuple[dict[str, object], str]:
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    (made,) = [n.id for n in plan.nodes if n.tool == tool]
    return dict(compare.args), made


@pytest.mark.parametrize(
    "request_",
    [
        "Compare 'hello' with the summary of notes.txt",
        "Compare 'a quiet evening' to the summary of my report.txt",
    ],
)
async def test_the_quote_named_before_a_summary_of_a_file_is_a(request_: str):
    args, summary = _compared_and_made(await whole_plan(request_), "summarize_text")
    assert args == {"a": request_.split("'")[1], "b": output_of(summary, "text")}


async def test_the_summary_named_first_stays_a():
    args, summary = _compared_and_made(
        await whole_plan("Compare the summary of notes.txt with 'hello'"), "summarize_text"
    )
    assert args == {"a": output_of(summary, "text"), "b": "hello"}
