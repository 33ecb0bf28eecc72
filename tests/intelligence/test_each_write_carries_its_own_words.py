"""attack330 (issue 11): "Write hello world to b.txt and goodbye to c.txt" wrote 'hello world' to c.txt: the second
write, said without its verb, took the first's words. Each write carries the words said with it; words that name
something ("the summary", "it") are a write of their own of what they name, never the first write's words again."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "writes"),
    [
        ("Write hello world to b.txt and goodbye to c.txt", [("b.txt", "hello world"), ("c.txt", "goodbye")]),
        ("Write hello world to b.txt and then goodbye to c.txt", [("b.txt", "hello world"), ("c.txt", "goodbye")]),
        (
            "Write hello to b.txt, bye to c.txt and ciao to d.txt",
            [("b.txt", "hello"), ("c.txt", "bye"), ("d.txt", "ciao")],
        ),
        ("Put hi in a.txt and bye in b.txt", [("a.txt", "hi"), ("b.txt", "bye")]),
        ("Write 'hello' to b.txt and goodbye to c.txt", [("b.txt", "hello"), ("c.txt", "goodbye")]),
        ("Write hello to b.txt and 'good bye' to c.txt", [("b.txt", "hello"), ("c.txt", "good bye")]),
        ("Save green to a.txt, and blue to b.txt", [("a.txt", "green"), ("b.txt", "blue")]),
        ("Write 1 to a.txt and 2 to b.txt", [("a.txt", "1"), ("b.txt", "2")]),
        ("Save yes to a.txt, and no to b.txt", [("a.txt", "yes"), ("b.txt", "no")]),
        ("Write 'ok' to a.txt and maybe to b.txt", [("a.txt", "ok"), ("b.txt", "maybe")]),
        ("Append hi to a.txt and bye to b.txt", [("a.txt", "hi"), ("b.txt", "bye")]),
    ],
)
async def test_each_write_has_its_own_words(task: str, writes: list[tuple[str, str]]) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert [(args.get("path"), args.get("content")) for tool, args in calls if tool == "write_file"] == writes, calls
    assert not missing_inputs, missing_inputs


@pytest.mark.parametrize(
    "task",
    [
        "Write 'x' to a.txt and the summary to b.txt",
        "Write 'x' to a.txt and it to b.txt",
        "Write hello to a.txt and the result to b.txt",
    ],
)
async def test_words_naming_something_are_not_the_first_writes_words(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert all(args.get("content") not in ("x", "hello") for _, args in calls if args.get("path") == "b.txt"), calls
