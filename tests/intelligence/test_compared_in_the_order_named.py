"""A tool comparing two things of one kind is given them in the order the request names them: "compare 'hello'
with notes.txt" gave the notes (a result, which the binder fills first) to ``a`` and hello to ``b``. Requests
written for these tests, with the media catalogue (sentence_similarity: a, b) and the built-ins."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from tests.intelligence.reading import output_of, whole_plan


def _compared(plan: Plan) -> dict[str, object]:
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    return dict(compare.args)


@pytest.mark.parametrize(
    "request_", ["Compare 'hello' with notes.txt", "How similar is 'good morning' to the text of notes.txt?"]
)
async def test_the_quote_named_first_is_a(request_: str):
    plan = await whole_plan(request_)
    (read,) = [n.id for n in plan.nodes if n.tool == "read_file"]
    assert _compared(plan) == {"a": request_.split("'")[1], "b": output_of(read)}


async def test_the_file_named_first_stays_a():
    plan = await whole_plan("Compare notes.txt with 'hello'")
    (read,) = [n.id for n in plan.nodes if n.tool == "read_file"]
    assert _compared(plan) == {"a": output_of(read), "b": "hello"}
