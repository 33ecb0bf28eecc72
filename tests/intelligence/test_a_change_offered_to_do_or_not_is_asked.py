"""attack242 (issue 8): "Email notes.txt to bob@example.com, or not", "Delete notes.txt if you want" sent and deleted:
work offered to be done or not ("or not", "or don't", "if you want / like", "up to you", "maybe", "perhaps") leaves
the choice open, and a change so offered is asked, as one said under a condition is. A politeness ("Could you perhaps
...") and a quote ("To be, or not to be") offer nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    "task",
    [
        "Delete notes.txt, or not",
        "Delete notes.txt, or don't",
        "Delete notes.txt if you want",
        "If you want, delete notes.txt",
        "Maybe delete notes.txt",
        "Delete notes.txt. Up to you.",
        "Summarize a.txt and perhaps delete notes.txt",
    ],
)
async def test_a_delete_offered_to_do_or_not_is_asked(task: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    assert [args for tool, args in calls if tool == "delete_file"] == [{"path": "${inputs.delete_file_path}"}], calls
    assert "delete_file_path" in missing and any("offered as a choice" in s for s in said), said


@pytest.mark.parametrize(
    "task",
    [
        "Email notes.txt to bob@example.com, or not",
        "Email notes.txt to bob@example.com if you like",
        "Perhaps email notes.txt to bob@example.com",
        "Email notes.txt to bob@example.com. Your call.",
    ],
)
async def test_a_send_offered_to_do_or_not_asks_what_it_sends(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, THIRD_PARTY)
    sends = [args for tool, args in calls if tool == "send_email"]
    assert sends and all(args["body"] == "${inputs.send_email_body}" for args in sends), calls
    assert "send_email_body" in missing, missing


@pytest.mark.parametrize(
    ("task", "call"),
    [
        ("Could you perhaps delete notes.txt?", ("delete_file", {"path": "notes.txt"})),
        (
            "Write 'To be, or not to be' to out.txt",
            ("write_file", {"path": "out.txt", "content": "To be, or not to be"}),
        ),
    ],
)
async def test_a_politeness_or_a_quote_offers_nothing(task: str, call: tuple[str, dict[str, object]]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert call in calls and not missing, calls
