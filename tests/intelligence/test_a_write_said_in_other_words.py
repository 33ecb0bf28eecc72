"""attack309: writes said in other words, and the words they write said bare. "Put hello in b.txt" found no tool,
"output hello to b.txt" asked for the content (and with the media catalogue made an image), "make a file b.txt
containing hello" read b.txt and wrote it to a place asked for, "Overwrite b.txt with hello" asked for the content,
and with ", whether or not it exists" after it the media catalogue read b.txt and answered a question. A verb of
putting with a file to put it in writes there; a file made with what it holds is written; bare words written are
the content, unless they may name something made or held ("it", "the summary", "notes"), which is asked as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _calls(task: str, media: bool) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    result = await plan_task(task, as_the_cli_plans(MEDIA) if media else as_the_cli_plans())
    assert result.execution.plan is not None, result.execution
    assert not result.execution.missing, result.execution.missing
    return [(n.tool, n.args) for n in result.execution.plan.nodes], result.execution.missing_inputs


@pytest.mark.parametrize("media", [False, True])
@pytest.mark.parametrize(
    ("task", "path", "content"),
    [
        ("Put hello in b.txt", "b.txt", "hello"),
        ("output hello to b.txt", "b.txt", "hello"),
        ("Dump 'hi there' into c.txt", "c.txt", "hi there"),
        ("Write hello world to b.txt", "b.txt", "hello world"),
        ("store the text hello in d.txt", "d.txt", "hello"),
        ("make a file b.txt containing hello", "b.txt", "hello"),
        ("Create b.txt with 'hello'", "b.txt", "hello"),
        ("make a new file called b.txt with the text 'hello'", "b.txt", "hello"),
        ("Overwrite b.txt with hello", "b.txt", "hello"),
        ("Overwrite b.txt with hello, whether or not it exists", "b.txt", "hello"),
        ("Write 'hi' to b.txt regardless of whether it exists", "b.txt", "hi"),
    ],
)
async def test_the_write_and_its_words_are_bound(task: str, path: str, content: str, media: bool) -> None:
    assert await _calls(task, media) == ([("write_file", {"path": path, "content": content})], [])


@pytest.mark.parametrize(
    "task", ["Write the summary to b.txt", "Put everything in b.txt", "Save notes to b.txt", "Put it in b.txt"]
)
async def test_words_that_may_name_something_are_asked_not_written(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    plan = result.execution.plan
    assert plan is None or all(
        n.args.get("content") not in {"the summary", "everything", "notes", "it"} for n in plan.nodes
    )


async def test_words_appended_are_bound() -> None:
    calls, asked = await _calls("Append hello to b.txt", False)
    assert (calls, asked) == ([("write_file", {"path": "b.txt", "mode": "append", "content": "hello"})], [])


@pytest.mark.parametrize(
    ("task", "command"),
    [("Execute: ls -la", "ls -la"), ("Run: 'make test'", "make test"), ("run the following command: pwd", "pwd")],
)
async def test_a_command_after_a_colon_is_run(task: str, command: str) -> None:
    assert await _calls(task, False) == ([("shell", {"cmd": command})], [])


async def test_an_indirect_question_is_still_asked() -> None:
    calls, _ = await _calls("Tell me whether or not a.txt is empty", True)
    assert [tool for tool, _ in calls] == ["read_file", "answer_question"]


@pytest.mark.parametrize("task", ["Put a watermark in photo.jpg", "Place a hat on the cat in photo.jpg"])
async def test_what_is_put_in_a_picture_is_no_write(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is None or not any(n.tool == "write_file" for n in plan.nodes)
