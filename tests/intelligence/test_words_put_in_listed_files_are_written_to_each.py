"""Words put in a list of files are written to each: "Put hello in a.txt and b.txt" read b.txt and wrote hello to
a.txt only. A list after "in", "into" or "inside" is places, as one after "to" is; a file after "and" with a verb of
its own ("and delete b.txt") is that verb's."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _calls(task: str) -> list[tuple[str, dict[str, object]]]:
    result = (await plan_task(task, as_the_cli_plans())).execution
    assert result.plan is not None, result.problems
    assert not result.missing_inputs, result.missing_inputs
    return [(n.tool, dict(n.args)) for n in result.plan.nodes]


@pytest.mark.parametrize(
    ("task", "places"),
    [
        ("Put hello in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Put hello into a.txt, b.txt and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Put the word hello in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Store the text hello in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Put 'hello' in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Dump hello into a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Put hello inside a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Output hello to a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Jot hello in a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Put hello in both a.txt and b.txt", ["a.txt", "b.txt"]),
        ("Put hello in a.txt, b.txt and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Put hello in a.txt, b.txt, and c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Write hello to a.txt, b.txt, and c.txt", ["a.txt", "b.txt", "c.txt"]),
    ],
)
async def test_each_file_listed_is_written(task: str, places: list[str]) -> None:
    calls = await _calls(task)
    assert calls == [("write_file", {"path": p, "content": "hello"}) for p in places], calls


@pytest.mark.parametrize(
    ("task", "calls"),
    [
        ("Put hello in a.txt", [("write_file", {"path": "a.txt", "content": "hello"})]),
        (
            "Put hello in a.txt and read b.txt",
            [("write_file", {"path": "a.txt", "content": "hello"}), ("read_file", {"path": "b.txt"})],
        ),
        (
            "Put hello in a.txt and delete b.txt",
            [("write_file", {"path": "a.txt", "content": "hello"}), ("delete_file", {"path": "b.txt"})],
        ),
        (
            "Save the text hello in a.txt. Read b.txt",
            [("write_file", {"path": "a.txt", "content": "hello"}), ("read_file", {"path": "b.txt"})],
        ),
        ("Append hello in a.txt", [("write_file", {"path": "a.txt", "mode": "append", "content": "hello"})]),
        (
            "Put hello in a.txt, then copy it to b.txt",
            [
                ("write_file", {"path": "a.txt", "content": "hello"}),
                ("write_file", {"path": "b.txt", "content": "hello"}),
            ],
        ),
        (
            "Add hello to a.txt and b.txt",
            [
                ("write_file", {"path": "a.txt", "mode": "append", "content": "hello"}),
                ("write_file", {"path": "b.txt", "mode": "append", "content": "hello"}),
            ],
        ),
        (
            "Write hello to a.txt and b.txt",
            [
                ("write_file", {"path": "a.txt", "content": "hello"}),
                ("write_file", {"path": "b.txt", "content": "hello"}),
            ],
        ),
        ("Put hello in a.txt and then summarize b.txt", [("write_file", {"path": "a.txt", "content": "hello"})]),
        (
            "Put hello in a.txt and goodbye in b.txt",
            [
                ("write_file", {"path": "a.txt", "content": "hello"}),
                ("write_file", {"path": "b.txt", "content": "goodbye"}),
            ],
        ),
        (
            "Put hello in a.txt and copy b.txt to c.txt",
            [
                ("write_file", {"path": "a.txt", "content": "hello"}),
                ("read_file", {"path": "b.txt"}),
                ("write_file", {"path": "c.txt", "content": "${read.output.content}"}),
            ],
        ),
    ],
)
async def test_a_file_of_other_work_keeps_its_plan(task: str, calls: list[tuple[str, dict[str, object]]]) -> None:
    assert await _calls(task) == calls
