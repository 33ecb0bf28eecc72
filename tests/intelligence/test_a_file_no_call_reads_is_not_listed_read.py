"""plan214: "Transcribe talk.wav and email it" (third_party: its transcriber takes a text, never a path) listed
talk.wav as read though no call of the plan reads it: a file is listed as read only when a call is given it."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    ("task", "read"),
    [
        ("Transcribe talk.wav and email it", []),
        ("Caption photo.jpg and email it", []),
        ("Summarize notes.txt and upload it", ["notes.txt"]),
        ("Read a.txt, then run wc -l a.txt", ["a.txt"]),
    ],
)
async def test_only_a_file_a_call_is_given_is_read(task: str, read: list[str]) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    assert result.analysis.resource_requirements.files_read == read, result.execution.plan
