"""A send whose recipient comes right after its verb reads the rest as what is sent (plan354): "Email bob@x.com the
numbers in b.txt" read "in b.txt" as where the e-mail went, since no "to" followed. Storing phrasings, and sends
whose first object is the thing sent, keep "in" as the destination."""

from __future__ import annotations

import pytest

from orchestra.analysis.data import destination_phrases, extract


def _destinations(task: str) -> list[str]:
    text = extract(task).text
    return [" ".join(m.group(0).split()) for m in destination_phrases(text)]


@pytest.mark.parametrize(
    "task",
    [
        "Email bob@x.com the numbers in b.txt",
        "Email Bob the report in r.txt",
        "Send me the lines in a.txt",
        "Send us the summary in notes.txt",
        "Mail alice@example.com the figures in sales.csv",
        "Text Bob the code in b.txt",
        "Message Carol the list in todo.txt",
        "Forward him the notes in meeting.txt",
        "Send them all the rows in data.csv",
        "Email me the errors in app.log",
        "DM Dave the link in links.txt",
    ],
)
def test_the_file_after_a_recipient_is_no_destination(task: str) -> None:
    assert _destinations(task) == []


@pytest.mark.parametrize(
    "task",
    [
        "Save the numbers in b.txt",
        "Write the report in r.txt",
        "Store the summary of notes.txt in out.txt",
        "Send the lines in a.txt",
        "Save the text in out.txt",
        "Write 'hello' in greeting.txt",
        "Save Bob's reply in reply.txt",
    ],
)
def test_a_store_keeps_its_destination(task: str) -> None:
    assert len(_destinations(task)) == 1
