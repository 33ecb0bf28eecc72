"""A clause asking to come to know something in its own words ("help me understand the main theme of the document",
"figure out who signed it", "determine the date of the meeting") to a tool taking a question beside the user's
picture or document is that question: its words, as said, are the tool's text. Left as an input, the user was asked
for a question they had already put. Work on the data that is no asking ("summarize the main theme", "translate what
it says"), a clause naming nothing to know ("figure it out", "tell me the answer") and a change ("edit the picture
to ...") keep their plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

GENERIC = Path(__file__).with_name("generic_inputs_tools.yaml")
DQA, VQA = "Document_Question_Answering", "Visual_Question_Answering"


async def _calls(task: str) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    result = (await plan_task(task, as_the_cli_plans(GENERIC))).execution
    calls = [(n.tool, n.args) for n in result.plan.nodes] if result.plan is not None else []
    return calls, result.missing_inputs


@pytest.mark.parametrize(
    ("task", "tool", "image", "question"),
    [
        ("I have a photo of a document, page.png. Can you help me understand the main theme of the document?",
         DQA, "page.png", "understand the main theme of the document"),
        ("I scanned a document as scan.png. Could you figure out the main topic of the document?",
         DQA, "scan.png", "figure out the main topic of the document"),
        ("I have a document image called form.png. Please find out the due date of the assignment in the document.",
         DQA, "form.png", "find out the due date of the assignment in the document"),
        ("My document scan.png is hard to read. Can you identify the main subject of the document?",
         DQA, "scan.png", "identify the main subject of the document"),
        ("There is a document image memo.png. Could you determine the date of the meeting in the document?",
         DQA, "memo.png", "determine the date of the meeting in the document"),
        ("I have a document picture letter.png. Can you ascertain the sender of the document?",
         DQA, "letter.png", "ascertain the sender of the document"),
        ("Here is a scanned document report.png. Help me understand what the document is about.",
         DQA, "report.png", "understand what the document is about"),
        ("I took a picture of a document, doc.jpg. Could you work out the total amount on the document?",
         DQA, "doc.jpg", "work out the total amount on the document"),
        ("I have a picture photo.jpg. Could you figure out the colour of the car in the picture?",
         VQA, "photo.jpg", "figure out the colour of the car in the picture"),
        ("I have a scanned document scan.png. Can you decipher the due date in the document?",
         DQA, "scan.png", "decipher the due date in the document"),
        ("Can you help me understand the main theme of the document in scan.png?",
         DQA, "scan.png", "understand the main theme of the document in scan.png"),
        ("I have a scanned document page.png. Could you figure out the due date in it?",
         DQA, "page.png", "figure out the due date in it"),
    ],
)  # fmt: skip
async def test_the_words_are_the_question(task: str, tool: str, image: str, question: str) -> None:
    calls, missing = await _calls(task)
    assert calls == [(tool, {"image": image, "text": question})], calls
    assert not missing, missing


@pytest.mark.parametrize(
    "task",
    [
        "I have a scanned document scan.png. Could you summarize the main theme of the document?",
        "I have a scanned document scan.png. Could you translate what the document says?",
        "I have a scanned document scan.png. Can you figure it out for me?",
        "I have a scanned document scan.png. Tell me the answer.",
        "I have a scanned document scan.png. Can you figure that out?",
        "I have a picture photo.jpg. Could you describe the picture?",
        "Summarize the main theme of document.jpg",
        "Translate what it says in photo.jpg",
        "Find the objects in photo.jpg",
        "Identify the main topic of document.jpg",
        "Help me comprehend what page.png is mainly discussing",
        "Find out who is speaking in talk.wav",
    ],
)
async def test_no_question_is_made_of_other_words(task: str) -> None:
    # no question is put in words the clause did not ask with: a question taker's text stays a reference or is asked
    # (the last three: a question taker fed in front of other work, and no tool asked of a picture for a sound)
    calls, _ = await _calls(task)
    asked = [args.get("text") for tool, args in calls if tool in (DQA, VQA)]
    assert all(str(text).startswith("${") for text in asked), calls


async def test_a_change_is_still_its_instruction() -> None:
    calls, missing = await _calls("I have a picture photo.jpg. Could you edit the picture to make the car red?")
    assert calls == [("Image_Editing", {"text": "edit the picture to make the car red", "image": "photo.jpg"})], calls
    assert not missing, missing
