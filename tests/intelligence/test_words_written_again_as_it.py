"""attack350 F11 (issue 11): "Write hello to a.txt. Write it to b.txt too" wrote the name "a.txt" (the first write's
result, its path) into b.txt. "It" after a write of words said is those words, written again."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Write hello to a.txt. Write it to b.txt too",
        "Write hello to a.txt. Write it to b.txt",
        "Write hello to a.txt and write it to b.txt",
        "Write hello to a.txt, then write it to b.txt",
        "Write 'hello' to a.txt. Also save it to b.txt",
        "Write hello to a.txt. Put it in b.txt too",
        "Write hello to a.txt and write the same to b.txt",
        "Save hello in a.txt. Write it to b.txt as well",
        "Write hello to a.txt; store it in b.txt",
        "Write hello to a.txt. Now write it to b.txt",
    ],
)
async def test_it_is_the_words(task: str) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert [(args.get("path"), args.get("content")) for tool, args in calls if tool == "write_file"] == [
        ("a.txt", "hello"),
        ("b.txt", "hello"),
    ], calls
    assert not missing_inputs, missing_inputs


@pytest.mark.parametrize("task", ["Write hello to a.txt. Read it", "Write hello to a.txt. Then delete it"])
async def test_it_after_a_write_is_still_the_file_elsewhere(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[0] == ("write_file", {"path": "a.txt", "content": "hello"}), calls
    assert all(args.get("content") != "hello" for _, args in calls[1:]), calls
