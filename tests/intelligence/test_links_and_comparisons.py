"""Comparisons that name other tools' work, work named inside a description, quotes beyond a comparison's two
inputs, and the analysis's counts of calls against the plan's. Requests written for these tests, with the
media catalogue and the built-ins."""

from __future__ import annotations

from orchestra.plan import Plan
from tests.intelligence.reading import tools_chosen


def _pairs(plan: Plan) -> list[set[object]]:
    return [{n.args["a"], n.args["b"]} for n in plan.nodes if n.tool == "sentence_similarity"]


def _one(plan: Plan, tool: str) -> str:
    (node,) = [n for n in plan.nodes if n.tool == tool]
    return node.id


def test_compare_is_the_comparing_tool_whatever_nouns_it_names():
    # "summary" found the summariser, which only makes what is to be compared
    assert tools_chosen("Compare the summary with the transcript") == ["sentence_similarity"]
    assert tools_chosen("Compare the translation with 'hello'") == ["sentence_similarity"]
    # asked for, not pointed at: the summary is the work
    assert tools_chosen("Write a summary of notes.txt")[-1] == "summarize_text"


def test_a_comparison_after_a_step_is_no_repeat_of_it():
    # "Compare it with the original text" was read as the summary said again, and dropped
    assert tools_chosen("Summarize notes.txt. Compare it with the original text")[-1] == "sentence_similarity"
    # one thing named: more of the step before, as it was
    assert tools_chosen("Detect the objects in photo.jpg and mark them with bounding boxes") == ["detect_objects"]
