"""Work a request names that the plan did otherwise, noted or not at all (fix117, from attack110 / 112 / 114's
left items), with the built-ins as `client.py plan` has them: "roll 5 dice 3 times" rolled once with only a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

TYPED = Path(__file__).with_name("typed_tools.yaml")


@pytest.mark.parametrize(
    ("task", "asked", "said"),
    [
        ("roll 5 dice 3 times", "roll_dice_dice", "'3 times'"),
        ("roll 2 dice twice", "roll_dice_dice", "'twice'"),
        ("fetch https://example.com/a 3 times", "http_request_url", "'3 times'"),
    ],
)
async def test_a_repeat_of_any_tool_is_asked_for(task: str, asked: str, said: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, TYPED)
    assert missing == [asked], (calls, missing)
    assert any(said in n and "asked for" in n for n in notes), notes


async def test_a_call_said_once_is_still_made() -> None:
    calls, missing, _ = await calls_asked_and_said("roll 5 dice", TYPED)
    assert (calls, missing) == ([("roll_dice", {"dice": 5})], [])


@pytest.mark.parametrize("task", ["grep for 'x'", "grep the secrets for 'x'", "run 'grep -e x'", "run 'grep -i x'"])
async def test_a_search_given_nothing_to_search_is_asked_for(task: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, TYPED)
    assert missing == ["shell_cmd"], (calls, missing)
    assert any("searches nothing" in s for s in said), said


@pytest.mark.parametrize(
    ("task", "cmd"),
    [
        ("grep notes.txt for 'x'", "grep -e x notes.txt"),
        ("run 'grep x notes.txt'", "grep x notes.txt"),
        ("run 'grep -r x'", "grep -r x"),  # the working folder
        ("run 'grep -m 1 x notes.txt'", "grep -m 1 x notes.txt"),
    ],
)
async def test_a_search_with_a_file_runs(task: str, cmd: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, TYPED)
    assert (calls, missing) == ([("shell", {"cmd": cmd})], [])


async def test_a_search_of_a_step_before_runs_on_its_output() -> None:
    calls, missing, _ = await calls_asked_and_said("Download https://a.com/p then grep it for 'x'", TYPED)
    assert calls[1] == ("shell", {"cmd": "grep -e x", "stdin": "${download.output.text}"}) and not missing


@pytest.mark.parametrize(
    ("task", "write"),
    [
        ("write 'hi' over notes.txt", {"path": "notes.txt", "content": "hi"}),  # was delete_file on notes.txt
        (
            "Summarize notes.txt and write it over notes.txt",
            {"path": "notes.txt", "content": "${summarize.output.text}"},
        ),
        (
            "Could I have the summary of notes.txt written over out.txt?",  # the write was dropped unsaid
            {"path": "out.txt", "content": "${summarize.output.text}"},
        ),
    ],
)
async def test_a_result_written_over_a_file_is_written(task: str, write: dict[str, object]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("write_file", write) and not missing, (calls, missing)


async def test_a_summary_written_over_its_own_file_is_asked_where() -> None:
    # as "... written to notes.txt" is (attack114's left item): asked, never summarized with the write dropped
    calls, missing, _ = await calls_asked_and_said(
        "Could I have the summary of notes.txt written over notes.txt?", MEDIA
    )
    assert calls[-1][0] == "write_file" and missing == ["write_file_path"], (calls, missing)


@pytest.mark.parametrize("task", ["write 'hi' in the workspace file notes.txt", "write 'hi' upon notes.txt"])
async def test_a_clause_saying_no_delete_deletes_no_file(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert ("delete_file", {"path": "notes.txt"}) not in calls, calls
