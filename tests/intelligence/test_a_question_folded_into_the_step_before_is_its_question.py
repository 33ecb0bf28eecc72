"""A question after a clause that only brings the data ("Look at the document scan.jpg and tell me who wrote it") is
folded into that clause's step, whose tool answers it: the question is the tool's text. Before, the question was
dropped with the folded clause and the tool's text asked for, as if the user had said none. Work other than a
question after such a clause, and a question asked alone, keep their plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said

GENERIC = Path(__file__).with_name("generic_inputs_tools.yaml")
DOCUMENT, PHOTO = "Document_Question_Answering", "Visual_Question_Answering"


@pytest.mark.parametrize(
    ("task", "tool", "image", "question"),
    [
        ("Look at the document scan.jpg and tell me who wrote it.", DOCUMENT, "scan.jpg", "tell me who wrote it"),
        ("Read the document scan.jpg and tell me who wrote it.", DOCUMENT, "scan.jpg", "tell me who wrote it"),
        ("Read the document scan.jpg and answer who wrote it.", DOCUMENT, "scan.jpg", "answer who wrote it"),
        ("Take the document scan.jpg and tell me who signed it.", DOCUMENT, "scan.jpg", "tell me who signed it"),
        ("Check the document scan.jpg and tell me who wrote it.", DOCUMENT, "scan.jpg", "tell me who wrote it"),
        (
            "Read the scanned document scan.jpg and tell me the date on it.",
            DOCUMENT,
            "scan.jpg",
            "tell me the date on it",
        ),
        (
            "Examine the photo photo.jpg and let me know how many people are in it.",
            PHOTO,
            "photo.jpg",
            "tell me how many people are in it",
        ),
        (
            "Look at the photo photo.jpg and tell me what colour the car is.",
            PHOTO,
            "photo.jpg",
            "tell me what colour the car is",
        ),
    ],
)
async def test_the_folded_question_is_asked(task: str, tool: str, image: str, question: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, GENERIC)
    assert calls == [(tool, {"image": image, "text": question})], calls
    assert not missing


async def test_a_question_alone_keeps_its_plan() -> None:
    calls, missing, _ = await calls_asked_and_said("Who wrote the document scan.jpg?", GENERIC)
    assert calls == [(DOCUMENT, {"image": "scan.jpg", "text": "Who wrote the document scan.jpg"})] and not missing


async def test_work_after_the_data_is_no_question() -> None:
    # no reader of text in a picture here: the document's tool is asked its question, and the translation is its own
    calls, missing, _ = await calls_asked_and_said("Read the document scan.jpg and translate it into French.", GENERIC)
    assert [c[0] for c in calls] == [DOCUMENT, "Translation"] and missing == ["Document_Question_Answering_text"]
