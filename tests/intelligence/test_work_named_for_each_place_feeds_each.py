"""Work a write names, written to several places, is what each place gets: "Copy the summary of x.txt to both a.txt
and b.txt" wrote the summary to a.txt and x.txt's own text to b.txt (the copy for b.txt was fed the read, not the
summary made of it). Each copy of the write takes what the work made; a write of the file itself ("Copy x.txt to
a.txt and b.txt") or a place given other work ("... and copy x.txt to b.txt") keeps its own."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _written(task: str) -> dict[str, str]:
    result = (await plan_task(task, default_registry([MEDIA]))).execution
    assert result.plan is not None, result.problems
    assert not result.missing and not result.missing_inputs, (result.missing, result.missing_inputs)
    return {str(n.args["path"]): str(n.args["content"]) for n in result.plan.nodes if n.tool == "write_file"}


@pytest.mark.parametrize(
    ("task", "made", "places"),
    [
        ("Copy the summary of x.txt to both a.txt and b.txt", "summarize", ["a.txt", "b.txt"]),
        ("Write the summary of x.txt to a.txt and b.txt", "summarize", ["a.txt", "b.txt"]),
        ("Save the French translation of x.txt to a.txt and b.txt", "translate", ["a.txt", "b.txt"]),
        ("Write the summary of x.txt to a.txt, b.txt and c.txt", "summarize", ["a.txt", "b.txt", "c.txt"]),
        ("Save the summary of notes.txt to each of a.txt and b.txt", "summarize", ["a.txt", "b.txt"]),
        ("Copy the translation of x.txt to a.txt and b.txt", "translate", ["a.txt", "b.txt"]),
        ("Write a summary of x.txt to a.txt and b.txt", "summarize", ["a.txt", "b.txt"]),
        ("Save the summary of report.txt into a.txt and b.txt", "summarize", ["a.txt", "b.txt"]),
        ("Write the summary of x.txt to both out1.txt and out2.txt", "summarize", ["out1.txt", "out2.txt"]),
        ("Save the summary of x.txt to a.txt, b.txt, and c.txt", "summarize", ["a.txt", "b.txt", "c.txt"]),
    ],
)
async def test_each_place_gets_the_work(task: str, made: str, places: list[str]) -> None:
    written = await _written(task)
    assert sorted(written) == places, written
    assert all(content.startswith(f"${{{made}.output.") for content in written.values()), written


@pytest.mark.parametrize(
    ("task", "written"),
    [
        ("Copy x.txt to a.txt and b.txt", {"a.txt": "${read.output.content}", "b.txt": "${read.output.content}"}),
        (
            "Write the text of x.txt to a.txt and b.txt",
            {"a.txt": "${read.output.content}", "b.txt": "${read.output.content}"},
        ),
        (
            "Summarize x.txt and write it to a.txt and b.txt",
            {"a.txt": "${summarize.output.text}", "b.txt": "${summarize.output.text}"},
        ),
        (
            "Write the summary of x.txt to a.txt and copy x.txt to b.txt",
            {"a.txt": "${summarize.output.text}", "b.txt": "${read.output.content}"},
        ),
        (
            "Copy the contents of x.txt to a.txt and b.txt",
            {"a.txt": "${read.output.content}", "b.txt": "${read.output.content}"},
        ),
        ("Write the summary of x.txt to a.txt", {"a.txt": "${summarize.output.text}"}),
        ("Save x.txt to a.txt and b.txt", {"a.txt": "${read.output.content}", "b.txt": "${read.output.content}"}),
        (
            "Write the summary of x.txt to a.txt and the summary of y.txt to b.txt",
            {"a.txt": "${summarize.output.text}", "b.txt": "${summary.output.text}"},
        ),
        (
            "Translate x.txt into French and save it to a.txt and b.txt",
            {"a.txt": "${translate.output.text}", "b.txt": "${translate.output.text}"},
        ),
        (
            "Write x.txt to a.txt, b.txt and c.txt",
            {"a.txt": "${read.output.content}", "b.txt": "${read.output.content}", "c.txt": "${read.output.content}"},
        ),
    ],
)
async def test_a_place_keeps_what_its_own_words_give(task: str, written: dict[str, str]) -> None:
    assert await _written(task) == written
