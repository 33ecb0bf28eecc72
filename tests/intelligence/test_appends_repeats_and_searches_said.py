"""Writes said as appends, repeats said in other words than "N times", and greps told where to search in other
spellings than -r (attack122), with the built-ins as `client.py plan` has them: "Append 'x' to notes.txt" wrote
notes.txt over with 'x'; "roll 5 dice a few times", "every hour", "10x" rolled once in silence, "Roll them again" was folded into the roll;
"run 'grep -d recurse x'" was asked for as searching nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

TYPED = Path(__file__).with_name("typed_tools.yaml")


@pytest.mark.parametrize(
    ("task", "write"),
    [
        ("Append 'x' to notes.txt", {"path": "notes.txt", "mode": "append", "content": "x"}),
        (
            "Summarize notes.txt and append it to log.txt",
            {"path": "log.txt", "mode": "append", "content": "${summarize.output.text}"},
        ),
        ("Write 'x' to notes.txt", {"path": "notes.txt", "content": "x"}),  # a write said plainly writes over
    ],
)
async def test_an_append_never_writes_over(task: str, write: dict[str, object]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("write_file", write) and not missing, (calls, missing)


@pytest.mark.parametrize(
    "task",
    [
        "roll 5 dice a couple of times",
        "roll 5 dice several times",
        "roll 5 dice 1e3 times",
        "roll 5 dice, 3 rounds",
        "roll 5 dice repeatedly",
        "roll 5 dice every hour",
        "roll 5 dice every 5 minutes",
        "roll 5 dice 10x",
        "repeat: roll 5 dice",
        "keep rolling 5 dice",
        "roll 5 dice until I get a six",
    ],
)
async def test_a_repeat_in_any_words_is_asked_for(task: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, TYPED)
    assert missing == ["roll_dice_dice"], (calls, missing)
    assert any("asked for" in n and "says" in n for n in notes), notes


async def test_a_fetch_every_minute_is_asked_for() -> None:
    calls, missing, _ = await calls_asked_and_said("fetch https://example.com/a every minute", TYPED)
    assert missing == ["http_request_url"], calls


async def test_again_of_work_done_before_the_request_is_once() -> None:
    calls, missing, _ = await calls_asked_and_said("roll 5 dice again", TYPED)
    assert (calls, missing) == ([("roll_dice", {"dice": 5})], [])


async def test_again_after_the_same_work_is_a_second_call() -> None:
    # folded into the first roll as its restatement, it rolled once in silence
    calls, _, _ = await calls_asked_and_said("roll 5 dice. Roll them again.", TYPED)
    assert [tool for tool, _ in calls] == ["roll_dice", "roll_dice"], calls
    calls, missing, _ = await calls_asked_and_said("Translate 'hola'. Translate it again into German.", MEDIA)
    assert [tool for tool, _ in calls] == ["translate_text", "translate_text"] and not missing, (calls, missing)


@pytest.mark.parametrize(
    "cmd", ["grep -d recurse x", "grep -id recurse x", "grep --directories=recurse x", "grep --directories recurse x"]
)
async def test_a_grep_of_the_working_folder_runs(cmd: str) -> None:
    calls, missing, _ = await calls_asked_and_said(f"run '{cmd}'", TYPED)
    assert (calls, missing) == ([("shell", {"cmd": cmd})], [])


@pytest.mark.parametrize("cmd", ["zgrep x", "grep -eread", "grep -d skip x"])
async def test_a_grep_of_nothing_in_other_spellings_is_asked_for(cmd: str) -> None:
    calls, missing, said = await calls_asked_and_said(f"run '{cmd}'", TYPED)
    assert missing == ["shell_cmd"], (calls, missing)
    assert any("searches nothing" in s for s in said), said


@pytest.mark.parametrize(
    "task", ["Find the lines with 'x'", "Find lines containing 'x'", "Filter the lines that mention 'x'"]
)
async def test_lines_holding_a_quote_with_nothing_to_look_through_are_asked_for(task: str) -> None:
    # extract_text looked through the quote itself ('x' holds 'x'): found, as if the request was answered
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [("extract_text", {"text": "${inputs.extract_text_text}", "mode": "lines", "pattern": "\\Qx\\E"})]
    assert missing == ["extract_text_text"], missing


async def test_lines_of_a_file_holding_a_quote_are_one_search_of_it() -> None:
    # two calls: the lines of 'x' itself, and every line of notes.txt
    calls, missing, _ = await calls_asked_and_said("Find the lines of notes.txt with 'x'", MEDIA)
    assert calls[-1] == ("extract_text", {"text": "${read.output.content}", "mode": "lines", "pattern": "\\Qx\\E"})
    assert len(calls) == 2 and not missing, calls
