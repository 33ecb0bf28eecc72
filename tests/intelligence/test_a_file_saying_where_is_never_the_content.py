"""attack330 (issue 11): "Text a.txt to the number in b.txt" texted b.txt too, "Email a.txt to the person named in
b.txt" e-mailed both files joined, "Write the contents of a.txt to the path in b.txt" wrote both, "Save a.txt under the
name given in b.txt" wrote b.txt over a.txt, "Write hello to the path in b.txt" wrote over b.txt. b.txt says where
(a number, a person, a path), not what: what is sent or written is a.txt's (or the words said), b.txt is read by no
step, and the number, person or path is asked for, with why (no step reads one out of a file reliably)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


def _reads(calls: list[tuple[str, dict[str, object]]]) -> list[object]:
    return [args.get("path") for tool, args in calls if tool == "read_file"]


@pytest.mark.parametrize(
    ("task", "tool", "asked"),
    [
        ("Text a.txt to the number in b.txt", "send_sms", "send_sms_phone"),
        ("Text a.txt to the phone number listed in b.txt", "send_sms", "send_sms_phone"),
        ("SMS a.txt to the number b.txt holds", "send_sms", "send_sms_phone"),
        ("Text the number in b.txt the contents of a.txt", "send_sms", "send_sms_phone"),
        ("Email a.txt to the person named in b.txt", "send_email", "send_email_to"),
        ("Email a.txt to the address given in b.txt", "send_email", "send_email_to"),
        ("Send a.txt to the email address written in b.txt", "send_email", "send_email_to"),
        ("Email a.txt to whoever is named in b.txt", "send_email", "send_email_to"),
        ("Email a.txt to whoever b.txt names", "send_email", "send_email_to"),
        ("Mail a.txt to the recipients listed in the file b.txt", "send_email", "send_email_to"),
        ("Email a.txt to the contact found in b.txt", "send_email", "send_email_to"),
        ("Email a.txt to everyone listed in b.txt", "send_email", "send_email_to"),
        ("Send a.txt to the people on the list in b.txt", "send_sms", "send_sms_phone"),
        ("Write the contents of a.txt to the path in b.txt", "write_file", "write_file_path"),
        ("Copy a.txt to the folder named in b.txt", "write_file", "write_file_path"),
        ("Save a.txt under the name given in b.txt", "write_file", "write_file_path"),
        ("Save a.txt to the location specified in b.txt", "write_file", "write_file_path"),
        ("Write a.txt to the output path that b.txt contains", "write_file", "write_file_path"),
    ],
)
async def test_the_file_saying_where_is_not_what_goes(task: str, tool: str, asked: str) -> None:
    calls, missing_inputs, notes = await calls_asked_and_said(task, THIRD_PARTY)
    assert "b.txt" not in _reads(calls), calls
    assert "a.txt" in _reads(calls), calls
    assert [t for t, _ in calls].count(tool) == 1, calls
    assert not any("b.txt" in str(args) for _, args in calls), calls
    assert asked in missing_inputs, missing_inputs
    assert any("b.txt" in note and "says where, not what" in note for note in notes), notes


@pytest.mark.parametrize(
    "task",
    [
        "Write hello to the path in b.txt",
        "Put hello in the location given in b.txt",
        "Save the text hello to the path b.txt holds",
    ],
)
async def test_words_written_to_the_place_a_file_says_are_the_words(task: str) -> None:
    calls, missing_inputs, notes = await calls_asked_and_said(task, THIRD_PARTY)
    assert calls == [("write_file", {"content": "hello", "path": "${inputs.write_file_path}"})], calls
    assert missing_inputs == ["write_file_path"]
    assert any("says where, not what" in note for note in notes), notes


@pytest.mark.parametrize(
    ("task", "calls"),
    [
        # b.txt is what is sent or written, or the place itself
        ("Email b.txt to bob@x.com", [("read_file", "b.txt"), ("send_email", "${read.output.content}")]),
        ("Write a.txt to b.txt", [("read_file", "a.txt"), ("write_file", "b.txt")]),
        ("Save a.txt as b.txt", [("read_file", "a.txt"), ("write_file", "b.txt")]),
        ("Write the path in b.txt to a.txt", [("read_file", "b.txt"), ("write_file", "a.txt")]),
        ("Summarize the numbers in b.txt", [("read_file", "b.txt"), ("summarize_text", None)]),
    ],
)
async def test_a_file_named_as_what_or_where_is_as_before(task: str, calls: list[tuple[str, str | None]]) -> None:
    made, _, notes = await calls_asked_and_said(task, THIRD_PARTY)
    first = {"read_file": "path", "write_file": "path", "send_email": "body"}
    assert [(tool, args.get(first[tool]) if tool in first else None) for tool, args in made] == calls, made
    assert not any("says where, not what" in note for note in notes), notes


@pytest.mark.parametrize(
    "task",
    [
        "Compare a.txt to the numbers in b.txt",
        "Look at the names in b.txt",
        "Match a.txt to the addresses listed in b.txt",
        "Summarize the people named in b.txt",
        "Download the file at the URL in b.txt",
    ],
)
async def test_a_place_no_send_or_write_goes_to_is_as_before(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    assert not any("says where, not what" in note for note in result.analysis.notes), result.analysis.notes


@pytest.mark.parametrize(
    "task",
    [
        "Text a.txt to the number in b.txt",
        "Email a.txt to the person named in b.txt",
        "Send a.txt to the email address given in b.txt",
        "Text a.txt to the phone number b.txt holds",
    ],
)
async def test_with_no_sender_the_send_is_missing_and_nothing_else_is_done(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing, result.execution  # "text" found a translator of a.txt and b.txt
    plan = result.execution.plan
    assert plan is None or not any(n.tool in ("translate_text", "http_request") for n in plan.nodes), plan.nodes
