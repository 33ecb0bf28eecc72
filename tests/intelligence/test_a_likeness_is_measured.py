"""A question on how alike two things are is measured by a similarity tool, of the things it names: "how closely do
they mirror each other?" (two phrases said before) and "check whether 'A' matches 'B'" went to a question answerer;
"check if the summary matches 'B'" after a summary summarised again, and "how similar is the summary to 'B'?" asked
for what to compare with: the summary made is compared."""

from __future__ import annotations

import asyncio

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "I have two phrases: 'The fox jumps.' and 'The dog leaps.'. How closely do they mirror each other?",
        "Check whether 'The fox jumps.' matches 'The dog leaps.'",
        "Do 'The fox jumps.' and 'The dog leaps.' mean the same thing?",
        "What do 'The fox jumps.' and 'The dog leaps.' have in common?",
    ],
)
def test_two_things_compared_are_measured(task: str) -> None:
    assert tools_chosen(task) == ["sentence_similarity"]


@pytest.mark.parametrize(
    ("task", "made", "result"),
    [
        ("Summarize notes.txt and check if the summary matches 'AI is great'.", "summarize", "text"),
        ("Summarize notes.txt. How similar is the summary to 'AI is great'?", "summarize", "text"),
        ("Caption photo.jpg and tell me if the caption matches 'AI is great'.", "caption", "text"),
    ],
)
def test_a_result_compared_is_the_one_made(task: str, made: str, result: str) -> None:
    planned = asyncio.run(plan_task(task, as_the_cli_plans(MEDIA), backend="heuristic"))
    plan = planned.execution.plan
    assert plan is not None
    tools = [node.tool for node in plan.nodes]
    assert (
        tools.count("sentence_similarity") == 1
        and tools.count(f"{made}_text" if made == "summarize" else "caption_image") == 1
    ), tools
    [compared] = [node for node in plan.nodes if node.tool == "sentence_similarity"]
    assert sorted(map(str, compared.args.values())) == sorted([f"${{{made}.output.{result}}}", "AI is great"]), (
        compared.args
    )


def test_a_match_not_of_two_things_is_no_likeness() -> None:
    assert "sentence_similarity" not in tools_chosen("Find the lines of notes.txt that match 'error'.")
