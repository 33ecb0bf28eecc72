"""After "also", the step before's work asked again on "it" works on what that step was given: "Translate
notes.txt into French. Also translate it into German." (or "... as well", "... too") translated the French into German (plan89 made it a
second step, fed the first one's result); the German is of the notes, as the French is. "Then translate it"
still goes on from the French. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import output_of, whole_plan


@pytest.mark.parametrize(
    ("task", "given"),
    [
        ("Translate notes.txt into French. Also translate it into German.", output_of("read")),
        ("Translate 'good morning' into French. Also translate it into German.", "good morning"),
        ("Translate notes.txt into French and translate it into German as well.", output_of("read")),
        ("Translate notes.txt into French, and translate it into German too.", output_of("read")),
        (
            "Transcribe talk.wav and translate it into French. Also translate it into German.",
            output_of("transcribe", "text"),
        ),
    ],
)
async def test_also_the_same_work_on_it_takes_what_the_step_before_was_given(task: str, given: str) -> None:
    plan = await whole_plan(task)
    assert [n.args["text"] for n in plan.nodes if n.tool == "translate_text"] == [given, given]


async def test_then_the_same_work_on_it_goes_on_from_its_result() -> None:
    plan = await whole_plan("Translate notes.txt into French. Then translate it into German.")
    assert [n.args["text"] for n in plan.nodes if n.tool == "translate_text"] == [
        output_of("read"),
        output_of("translate", "text"),
    ]
