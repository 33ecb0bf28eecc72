"""attack242: "Summarize notes.txt and keep it in out.txt" (third_party) planned resize_image on out.txt, found by
"keeping the aspect ratio", and wrote nothing: a keep in a file stores what it keeps there, as "save it in" does. A
copy kept ("keep a copy in b.txt") is no store of the work before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    ("task", "catalogue", "made"),
    [
        ("Summarize notes.txt and keep it in out.txt", THIRD_PARTY, "${summarize.output.json.summary}"),
        ("Summarize notes.txt and keep it in out.txt", MEDIA, "${summarize.output.text}"),
        ("Summarize notes.txt, then keep that in out.txt", MEDIA, "${summarize.output.text}"),
        ("Translate notes.txt to French and keep the result in out.txt", MEDIA, "${translate.output.text}"),
    ],
)
async def test_a_keep_in_a_file_writes_it_there(task: str, catalogue: Path, made: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, catalogue)
    assert ("write_file", {"path": "out.txt", "content": made}) in calls, calls
    assert all(tool in ("read_file", "write_file", "summarize_text", "translate_text") for tool, _ in calls), calls
