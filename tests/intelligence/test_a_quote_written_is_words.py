"""attack330 (issue 11): "Write 'b.txt' to a.txt" read b.txt and copied it into a.txt: a quote written is the words
quoted, never a file to read. "Save the text hello as b.txt" and "Store the word delete in b.txt" asked for what to
write: words said to be text or a word are written as said. A file named bare is a file, as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "path", "content"),
    [
        ("Write 'b.txt' to a.txt", "a.txt", "b.txt"),
        ('Write "b.txt" to a.txt', "a.txt", "b.txt"),
        ("Put 'c.txt' in b.txt", "b.txt", "c.txt"),
        ("Save 'report.pdf' to notes.txt", "notes.txt", "report.pdf"),
        ('Write "my notes.txt" to a.txt', "a.txt", "my notes.txt"),
        ("Save the text hello as b.txt", "b.txt", "hello"),
        ("Save the word hello as b.txt", "b.txt", "hello"),
        ("Save 'hello' as b.txt", "b.txt", "hello"),
        ("Store the word delete in b.txt", "b.txt", "delete"),
        ("Write the word summarize to b.txt", "b.txt", "summarize"),
        ("Put the phrase send now in b.txt", "b.txt", "send now"),
        ("Save the string translate as b.txt", "b.txt", "translate"),
        ("Type hello into b.txt", "b.txt", "hello"),
        ("Enter hello in b.txt", "b.txt", "hello"),
        ("Paste 'hi there' into b.txt", "b.txt", "hi there"),
        ("Print hello to b.txt", "b.txt", "hello"),
        ("Write down hello in b.txt", "b.txt", "hello"),
        ("Jot down the word milk in b.txt", "b.txt", "milk"),
    ],
)
async def test_the_words_are_written(task: str, path: str, content: str) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [("write_file", {"path": path, "content": content})], calls
    assert not missing_inputs, missing_inputs


@pytest.mark.parametrize(
    ("task", "read", "written"),
    [
        ("Write a.txt to b.txt", "a.txt", "b.txt"),
        ("Save a.txt as b.txt", "a.txt", "b.txt"),
        ("Write the text in b.txt to a.txt", "b.txt", "a.txt"),
        ("Write the contents of b.txt to a.txt", "b.txt", "a.txt"),
    ],
)
async def test_a_file_named_bare_is_copied(task: str, read: str, written: str) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [
        ("read_file", {"path": read}),
        ("write_file", {"path": written, "content": "${read.output.content}"}),
    ], calls
    assert not missing_inputs, missing_inputs


@pytest.mark.parametrize(
    "task",
    [
        "Save the summary as b.txt",
        "Store the words of it in b.txt",
        "Save it as b.txt",
        "Put a.txt in b.txt",
        "Enter the password in config.json",  # a field of it: no write over the whole file
        "Type the summary into b.txt",
    ],
)
async def test_words_that_name_something_are_not_written_as_words(task: str) -> None:
    plan = (await plan_task(task, as_the_cli_plans(MEDIA))).execution.plan
    written = [n.args.get("content") for n in plan.nodes if n.tool == "write_file"] if plan is not None else []
    assert not any(c in ("the summary", "summary", "it", "of it", "a.txt", "the password") for c in written), written
    if "password" in task:
        assert written == [], written
