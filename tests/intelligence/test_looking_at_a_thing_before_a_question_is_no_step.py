"""Looking at a thing before a question about it is no step of its own: "Open x.jpg and tell me what is in it" asked
the question and said a step "open" was missing, which no tool serves and no user wants done apart. The question
takes what was looked at. A look-at clause with no question after it, or one followed by other work or by a
question about something else, keeps its plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

GENERIC = Path(__file__).with_name("generic_inputs_tools.yaml")
VQA = "Visual_Question_Answering"


async def _plan(task: str, catalogue: Path) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    result = (await plan_task(task, as_the_cli_plans(catalogue))).execution
    calls = [(n.tool, n.args) for n in result.plan.nodes] if result.plan is not None else []
    return calls, result.missing


@pytest.mark.parametrize(
    ("task", "question"),
    [
        ("Open x.jpg and tell me what is in it", "tell me what is in it"),
        ("Check x.jpg and tell me who is in it", "tell me who is in it"),
        ("Look at x.jpg and tell me what it shows", "tell me what it shows"),
        ("View x.jpg. What is in it?", "What is in it"),
        ("Examine x.jpg and tell me how many people are in it", "tell me how many people are in it"),
        ("Inspect x.jpg and tell me what colour the car is", "tell me what colour the car is"),
        ("Take a quick look at x.jpg and tell me who is in it", "tell me who is in it"),
        ("Have a look at x.jpg. What does it show?", "What does it show"),
        ("Please open x.jpg and tell me what it shows", "tell me what it shows"),
        ("Open x.jpg, then tell me what animals are in it", "tell me what animals are in it"),
    ],
)
async def test_the_question_is_the_work(task: str, question: str) -> None:
    calls, missing = await _plan(task, GENERIC)
    assert calls == [(VQA, {"image": "x.jpg", "text": question})], calls
    assert not missing, missing


@pytest.mark.parametrize(
    "task",
    [
        "Open x.jpg and tell me what is in it",
        "Check x.jpg and tell me who is in it",
        "Examine x.jpg and tell me how many people are in it",
        "Take a quick look at x.jpg and tell me who is in it",
    ],
)
async def test_no_missing_look_with_no_picture_answerer(task: str) -> None:
    # the media catalogue answers from a caption: the picture is captioned, and no "open" step is said missing
    calls, missing = await _plan(task, MEDIA)
    assert [tool for tool, _ in calls] == ["caption_image", "answer_question"], calls
    assert not missing, missing


@pytest.mark.parametrize(
    ("task", "missing_step"),
    [
        ("Open x.jpg", "open"),
        ("Check x.jpg", "check"),
        ("Open x.jpg and make it darker", "open"),
        ("Open x.jpg and tell me what is in b.jpg", "open"),
    ],
)
async def test_a_look_with_no_question_about_it_keeps_its_step(task: str, missing_step: str) -> None:
    _, missing = await _plan(task, GENERIC)
    assert any(m.startswith(f"step {missing_step!r}") for m in missing), missing


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Check https://x.example and tell me if it is up", ["http_request"]),
        ("Read notes.txt and tell me who wrote it", ["read_file", "Question_Answering"]),
        ("Look at the document x.jpg and tell me who wrote it", ["Document_Question_Answering"]),
    ],
)
async def test_a_look_a_tool_serves_keeps_its_plan(task: str, tools: list[str]) -> None:
    calls, _ = await _plan(task, GENERIC)
    assert [tool for tool, _ in calls] == tools, calls
